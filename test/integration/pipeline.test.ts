import axios from "axios";
import { httpSinkConfig } from "../../components/httpSinkConnector";
import { topicNaming } from "../../components/topicSet";
import {
  connectorProvider,
  ConnectorInputs,
  ConnectorOutputs,
  PROVIDER_VERSION,
} from "../../providers/connect/provider";
import { createTopic, platformEndpoints, produce, receiver, uniqueName, V2_JSON } from "./platform";

/**
 * End to end, as the stack wires it: the connector config comes from the same mapping the
 * HttpSinkConnector component uses, the connector is created through the project's Connector
 * provider, and events go browser-style through the REST proxy to the analytics receiver.
 */
const e = platformEndpoints();
const client = receiver();

function sinkInputs(name: string, topic: string, path: string): ConnectorInputs {
  const env = "it";
  const { config } = httpSinkConfig({
    connectorClass: "local",
    connectorName: name,
    topics: [topic],
    url: `${e.receiverUrl}${path}`,
    kafkaBootstrapServers: [e.kafkaBootstrap],
    replicationFactor: 1,
    tasksMax: 2,
    batching: { maxSize: 50 },
    retries: { maxRetries: 20, backoffMs: 100 },
    errors: { deadLetterTopic: topicNaming.deadLetter(env, name) },
  });
  return {
    connect: { url: e.connectUrl },
    connectSecrets: {},
    name,
    config: config as Record<string, string>,
    secretConfig: {},
    state: "RUNNING",
    restartPolicy: { type: "on-failure", maxRestarts: 3 },
    waitTimeoutSeconds: 90,
    providerVersion: PROVIDER_VERSION,
  };
}

function events(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    type: i % 3 === 0 ? "page_view" : "add_to_cart",
    sku: `SKU-${i % 17}`,
  }));
}

function ours(ids: readonly string[], batch: readonly { id: string }[]): string[] {
  const mine = new Set(batch.map((ev) => ev.id));
  return ids.filter((id) => mine.has(id));
}

async function post(topic: string, batch: readonly unknown[]) {
  for (let i = 0; i < batch.length; i += 100) {
    const answer = await produce(topic, batch.slice(i, i + 100));
    expect(answer.offsets.every((o) => o.error_code === null)).toBe(true);
  }
}

describe("the tracking pipeline end to end (REST proxy -> Kafka -> Connector provider -> receiver)", () => {
  const created: ConnectorOutputs[] = [];
  let topic: string;
  let inputs: ConnectorInputs;
  let path: string;

  beforeAll(async () => {
    topic = uniqueName("it.tracking");
    path = `/${uniqueName("collect")}`;
    const name = uniqueName("it-receiver-http-sink");
    inputs = sinkInputs(name, topic, path);
    await createTopic(topic, 3);
    await createTopic(inputs.config["errors.deadletterqueue.topic.name"], 1);
    const { outs } = await connectorProvider.create(inputs);
    created.push(outs as ConnectorOutputs);
  });

  afterAll(async () => {
    await client.fail(500, 0);
    for (const outs of created) await connectorProvider.delete!(outs.name, outs);
  });

  it("creates the connector RUNNING with all its tasks", () => {
    expect(created[0]).toMatchObject({
      name: inputs.name,
      connectorState: "RUNNING",
      taskStates: ["0:RUNNING", "1:RUNNING"],
    });
  });

  it("delivers every event posted to the REST proxy to the receiver", async () => {
    const batch = events(`${path}-ok`, 1000);
    await post(topic, batch);
    const report = await client.waitForIds(
      batch.map((ev) => ev.id),
      { timeoutMs: 60_000 },
    );
    expect(report.missing).toEqual([]);
    // With no failures nothing is sent twice (the receiver is shared: count only our ids).
    expect(ours(report.duplicates, batch)).toEqual([]);
  });

  it("delivers every event while the receiver fails for a while (duplicates counted, none lost)", async () => {
    await client.fail(500, 8);
    const batch = events(`${path}-flaky`, 500);
    await post(topic, batch);
    const report = await client.waitForIds(
      batch.map((ev) => ev.id),
      { timeoutMs: 90_000 },
    );
    expect(report.missing).toEqual([]);
    const failed = (await client.requests()).filter(
      (r) => r.status === 500 && r.path === path,
    ).length;
    expect(failed).toBe(8);
    // At-least-once: a batch is sent again only after a failure, so duplicates stay within
    // what the failed requests carried (8 requests of at most 50 events).
    expect(ours(report.duplicates, batch).length).toBeLessThanOrEqual(8 * 50);
  });

  it("answers a malformed body at the REST proxy with a clear client error", async () => {
    const answer = await axios.post(`${e.restProxyUrl}/topics/${topic}`, "{not json", {
      headers: { "Content-Type": V2_JSON },
      validateStatus: () => true,
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.data)).toMatch(/json/i);
  });

  it("reads the connector back with no drift, then deletes it, and a second delete is fine", async () => {
    const outs = created[0];
    const read = await connectorProvider.read!(outs.name, outs);
    expect(read.props).toMatchObject({ config: outs.config, connectorState: "RUNNING" });
    await connectorProvider.delete!(outs.name, outs);
    await connectorProvider.delete!(outs.name, outs);
    const gone = await connectorProvider.read!(outs.name, outs);
    expect(gone.id).toBe("");
    created.length = 0;
  });
});
