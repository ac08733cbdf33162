import { TrackingPipeline } from "../../../components/trackingPipeline";
import { parseStackConfig } from "../../../config";
import { named, ofType, settled, useMocks } from "../mocks";

const REPLAY = "pulumi-nodejs:dynamic/tracking:ConnectorReplay";
const REDRIVE = "pulumi-nodejs:dynamic/tracking:DeadLetterRedrive";

function pipelineWith(jobs: Record<string, unknown>) {
  const settings = parseStackConfig({
    kafkaBootstrapServers: JSON.stringify(["k:9092"]),
    kubernetesEnabled: "false",
    topics: JSON.stringify(["tracking", "orders"]),
    connectUrl: "http://connect:8083",
    destinations: JSON.stringify([
      { name: "a", url: "https://a.example.com/e", topics: ["tracking", "orders"], ...jobs },
      { name: "b", url: "https://b.example.com/e", topics: ["tracking"] },
    ]),
  });
  return new TrackingPipeline("tracking", { environment: "dev", settings, secrets: {} });
}

describe("offset jobs in the pipeline", () => {
  beforeEach(() => useMocks());

  it("declare nothing when no destination asks", async () => {
    await settled(pipelineWith({}));
    expect(ofType(REPLAY)).toHaveLength(0);
    expect(ofType(REDRIVE)).toHaveLength(0);
  });

  it("declare a replay and a redrive for that destination only, after its connector", async () => {
    const pipeline = pipelineWith({
      replay: { from: "2026-11-30T09:30:00Z", id: "outage-1" },
      redrive: { id: "fix-1" },
    });
    await settled(pipeline);
    expect(ofType(REPLAY).map((r) => r.name)).toEqual(["tracking-a-replay"]);
    expect(ofType(REDRIVE).map((r) => r.name)).toEqual(["tracking-a-redrive"]);
    expect(named(REPLAY, "tracking-a-replay").inputs).toMatchObject({
      connector: "dev-a-http-sink",
      topics: ["dev.tracking", "dev.orders"],
      from: "2026-11-30T09:30:00.000Z",
      jobId: "outage-1",
      setting: "destinations[0].replay",
      connect: { url: "http://connect:8083" },
      kafka: { bootstrapServers: ["k:9092"], tls: false, mechanism: "none", username: "" },
    });
    const redrive = named(REDRIVE, "tracking-a-redrive").inputs;
    expect(redrive).toMatchObject({
      connector: "dev-a-http-sink-redrive",
      deadLetterTopic: "dev.a.dlq",
      jobId: "fix-1",
      setting: "destinations[0].redrive",
    });
    // The destination's own connector config, to run on the dead-letter topic.
    expect(redrive.config).toMatchObject({
      "connector.class": "tracking.connect.http.HttpSinkConnector",
      "http.api.url": "https://a.example.com/e",
      "errors.deadletterqueue.topic.name": "dev.a.dlq",
    });
  });
});
