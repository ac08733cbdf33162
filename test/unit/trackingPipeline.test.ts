import * as pulumi from "@pulumi/pulumi";
import { TrackingPipeline } from "../../components/trackingPipeline";
import { parseStackConfig } from "../../config";
import { CONNECTOR_TYPE, isSecret, named, ofType, promiseOf, settled, useMocks } from "./mocks";

function settingsOf(raw: Record<string, unknown>) {
  return parseStackConfig(
    Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
  );
}

const destinations = [
  {
    name: "amp",
    url: "https://collect.example.com/e",
    topics: ["tracking"],
    auth: { type: "basic", username: "tracker", passwordSecret: "ampPassword" },
    secretHeaders: { "X-Api-Key": "ampKey" },
    rateLimit: { consumerByteRate: 1048576 },
  },
  { name: "crm", url: "https://crm.example.com/e", topics: ["tracking"], connectorClass: "camel" },
];

describe("TrackingPipeline", () => {
  beforeEach(() => useMocks());

  it("composes topics, REST Proxy, Connect and one sink per destination on Kubernetes", async () => {
    const pipeline = new TrackingPipeline("tracking", {
      environment: "dev",
      settings: settingsOf({ kafkaBootstrapServers: ["k:9092"], destinations }),
      secrets: { ampPassword: pulumi.secret("pw"), ampKey: pulumi.secret("key") },
    });
    await settled(pipeline);
    expect(ofType("tracking:kafka:TopicSet")).toHaveLength(1);
    expect(ofType("tracking:k8s:RestProxy").map((r) => r.name)).toEqual(["tracking-rest-proxy"]);
    expect(ofType("tracking:k8s:ConnectCluster").map((r) => r.name)).toEqual(["tracking-connect"]);
    expect(ofType("tracking:connect:HttpSinkConnector").map((r) => r.name)).toEqual([
      "tracking-amp",
      "tracking-crm",
    ]);
    expect(named("kubernetes:core/v1:Namespace", "tracking-namespace").inputs).toMatchObject({
      metadata: { name: "tracking" },
    });
    expect(ofType("kafka:index/topic:Topic").map((t) => t.inputs.name)).toEqual([
      "dev.tracking",
      "dev.amp.dlq",
      "dev.crm.dlq",
      "dev.connect-configs",
      "dev.connect-offsets",
      "dev.connect-status",
    ]);
    expect(ofType("kafka:index/quota:Quota")).toHaveLength(1);
    const amp = named(CONNECTOR_TYPE, "tracking-amp-connector").inputs;
    expect(amp).toMatchObject({
      name: "dev-amp-http-sink",
      connect: { url: "http://tracking-connect.tracking.svc:8083" },
    });
    expect(amp.config).toMatchObject({
      topics: "dev.tracking",
      "errors.deadletterqueue.topic.name": "dev.amp.dlq",
      "connection.user": "tracker",
    });
    expect(named(CONNECTOR_TYPE, "tracking-crm-connector").inputs.config).toMatchObject({
      "connector.class": "org.apache.camel.kafkaconnector.httpsink.CamelHttpsinkSinkConnector",
    });
    expect(await promiseOf(pipeline.connectorNames)).toEqual([
      "dev-amp-http-sink",
      "dev-crm-http-sink",
    ]);
    expect(await promiseOf(pipeline.topicNames)).toEqual(["dev.tracking"]);
    expect(await promiseOf(pipeline.restProxyEndpoint)).toBe(
      "http://tracking-rest-proxy.tracking.svc:8082",
    );
  });

  it("keeps every credential secret down to the connector", async () => {
    const pipeline = new TrackingPipeline("tracking", {
      environment: "dev",
      settings: settingsOf({
        kafkaBootstrapServers: ["k:9092"],
        destinations,
        connectBasicAuthUsername: "ops",
        kafkaSaslMechanism: "scram-sha512",
        kafkaSaslUsername: "pipeline",
      }),
      secrets: {
        ampPassword: "pw",
        ampKey: "key",
        connectBasicAuthPassword: "connect-pw",
        kafkaSaslPassword: "sasl-pw",
      },
    });
    await settled(pipeline);
    const amp = pipeline.sinks.amp.connector;
    expect(await isSecret(amp.secretConfig)).toBe(true);
    expect(await isSecret(amp.connectSecrets)).toBe(true);
    expect(await isSecret(pipeline.connectCluster!.authSecret!.stringData)).toBe(true);
    expect(await promiseOf(amp.secretConfig)).toEqual({
      "connection.password": "pw",
      headers: "Content-Type:application/json|X-Api-Key:key",
    });
    const registeredText = JSON.stringify(ofType(CONNECTOR_TYPE).map((r) => r.inputs.config));
    for (const secret of ["pw", "key", "connect-pw", "sasl-pw"]) {
      expect(registeredText).not.toContain(`"${secret}"`);
    }
    const kafkaProvider = named("pulumi:providers:kafka", "tracking-kafka").inputs;
    expect(kafkaProvider).toMatchObject({
      saslMechanism: "scram-sha512",
      saslUsername: "pipeline",
    });
  });

  it("targets an existing Connect and skips Kubernetes when it is off", async () => {
    const pipeline = new TrackingPipeline("tracking", {
      environment: "local",
      settings: settingsOf({
        kafkaBootstrapServers: ["127.0.0.1:19092"],
        kubernetesEnabled: false,
        connectUrl: "http://127.0.0.1:18083",
        destinations: [destinations[1]],
      }),
      secrets: {},
    });
    await settled(pipeline);
    expect(registeredKubernetes()).toEqual([]);
    expect(named(CONNECTOR_TYPE, "tracking-crm-connector").inputs.connect).toEqual({
      url: "http://127.0.0.1:18083",
    });
    expect(await promiseOf(pipeline.restProxyEndpoint)).toBeUndefined();
    expect(await promiseOf(pipeline.connectEndpoint)).toBe("http://127.0.0.1:18083");
  });

  it("renders manifests to a folder when asked", async () => {
    const pipeline = new TrackingPipeline("tracking", {
      environment: "dev",
      settings: settingsOf({
        kafkaBootstrapServers: ["k:9092"],
        kubernetesRenderDirectory: "rendered/dev",
      }),
      secrets: {},
    });
    await settled(pipeline);
    expect(named("pulumi:providers:kubernetes", "tracking-k8s").inputs).toMatchObject({
      renderYamlToDirectory: "rendered/dev",
    });
  });

  it("names the destination setting whose secret is not set", () => {
    expect(
      () =>
        new TrackingPipeline("tracking", {
          environment: "dev",
          settings: settingsOf({ kafkaBootstrapServers: ["k:9092"], destinations }),
          secrets: { ampKey: "key" },
        }),
    ).toThrow(
      '`destinations[0].auth.passwordSecret` names the config key "ampPassword", which is not set. Set it with `pulumi config set --secret ampPassword <value>`.',
    );
  });
});

function registeredKubernetes() {
  return ofType("kubernetes:apps/v1:Deployment").concat(ofType("pulumi:providers:kubernetes"));
}
