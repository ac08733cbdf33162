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
        kafkaRestProxyUsername: "rest-proxy",
        kafkaConnectUsername: "connect",
      }),
      secrets: {
        ampPassword: "pw",
        ampKey: "key",
        connectBasicAuthPassword: "connect-pw",
        kafkaSaslPassword: "sasl-pw",
        kafkaRestProxyPassword: "rest-proxy-pw",
        kafkaConnectPassword: "connect-sasl-pw",
      },
    });
    await settled(pipeline);
    const amp = pipeline.sinks.amp.connector;
    expect(await isSecret(amp.connectSecrets)).toBe(true);
    expect(await isSecret(pipeline.connectCluster!.authSecret!.stringData)).toBe(true);
    // By reference: the config names the files of the pods' mounted Secret, which holds the values.
    const mount = "/etc/tracking/connector-secrets";
    const registered = named(CONNECTOR_TYPE, "tracking-amp-connector").inputs;
    expect(registered.config).toMatchObject({
      "connection.password": `\${dir:${mount}:dev-amp-http-sink.connection.password}`,
      headers: `\${dir:${mount}:dev-amp-http-sink.headers}`,
    });
    expect(await promiseOf(amp.secretConfig)).toEqual({});
    const podSecret = pipeline.connectCluster!.connectorSecrets;
    expect(await isSecret(podSecret.stringData)).toBe(true);
    expect(await promiseOf(podSecret.stringData)).toMatchObject({
      "dev-amp-http-sink.connection.password": "pw",
      "dev-amp-http-sink.headers": "Content-Type:application/json|X-Api-Key:key",
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
    const pipeline = localPipeline([destinations[1]]);
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
    const provider = named("pulumi:providers:kubernetes", "tracking-k8s").inputs;
    expect(provider).toMatchObject({ renderYamlToDirectory: "rendered/dev" });
    // A rotated password updates its Secret in place, never a delete and re-create.
    expect(String(provider.enableSecretMutable)).toBe("true");
  });

  it("names every secret that is not set in one message without a stack trace", () => {
    let error: unknown;
    try {
      new TrackingPipeline("tracking", {
        environment: "dev",
        settings: settingsOf({
          kafkaBootstrapServers: ["k:9092"],
          destinations,
          connectBasicAuthUsername: "ops",
        }),
        secrets: { ampKey: "key" },
      });
    } catch (err) {
      error = err;
    }
    // hideStack: the Node runtime then logs the message alone, not the error's inspect output.
    expect(pulumi.ResourceError.isInstance(error)).toBe(true);
    expect((error as pulumi.ResourceError).hideStack).toBe(true);
    expect((error as Error).message).toBe(
      [
        "Secrets the stack configuration needs are not set:",
        '  - connectBasicAuthUsername: needs the secret config key "connectBasicAuthPassword", which is not set; set it with `pulumi config set --secret connectBasicAuthPassword <value>`',
        '  - destinations[0].auth.passwordSecret: needs the secret config key "ampPassword", which is not set; set it with `pulumi config set --secret ampPassword <value>`',
      ].join("\n"),
    );
  });

  it("protects every data topic, Connect's internal ones too, unless protectTopics is false", async () => {
    const topicsOf = async (protectTopics: boolean) => {
      await useMocks();
      const pipeline = new TrackingPipeline("tracking", {
        environment: "dev",
        settings: settingsOf({
          kafkaBootstrapServers: ["k:9092"],
          destinations: [destinations[1]],
          protectTopics,
        }),
        secrets: {},
      });
      await settled(pipeline);
      return ofType("kafka:index/topic:Topic").map((t) => [t.inputs.name, t.protect]);
    };
    const names = [
      "dev.tracking",
      "dev.crm.dlq",
      "dev.connect-configs",
      "dev.connect-offsets",
      "dev.connect-status",
    ];
    expect(await topicsOf(true)).toEqual(names.map((n) => [n, true]));
    expect(await topicsOf(false)).toEqual(names.map((n) => [n, false]));
  });

  it("hands the connector the provider's spelling of the declared state", async () => {
    const pipeline = localPipeline([{ ...destinations[1], state: "paused" }]);
    await settled(pipeline);
    expect(named(CONNECTOR_TYPE, "tracking-crm-connector").inputs.state).toBe("PAUSED");
  });

  it("reports each destination's connector and task states", async () => {
    await useMocks({}, [], "dev", (r) =>
      r.type === CONNECTOR_TYPE
        ? { connectorState: r.inputs.state, taskStates: [r.inputs.state, "FAILED"] }
        : {},
    );
    const pipeline = localPipeline([
      { ...destinations[1], state: "paused" },
      { ...destinations[1], name: "web" },
    ]);
    expect(await promiseOf(pipeline.connectors)).toEqual({
      crm: { name: "local-crm-http-sink", state: "PAUSED", tasks: ["PAUSED", "FAILED"] },
      web: { name: "local-web-http-sink", state: "RUNNING", tasks: ["RUNNING", "FAILED"] },
    });
  });
});

/** A pipeline of the local kind: Kubernetes off, an existing Connect worker on loopback. */
function localPipeline(sinks: Record<string, unknown>[]) {
  return new TrackingPipeline("tracking", {
    environment: "local",
    settings: settingsOf({
      kafkaBootstrapServers: ["127.0.0.1:19092"],
      kubernetesEnabled: false,
      connectUrl: "http://127.0.0.1:18083",
      destinations: sinks,
    }),
    secrets: {},
  });
}

function registeredKubernetes() {
  return ofType("kubernetes:apps/v1:Deployment").concat(ofType("pulumi:providers:kubernetes"));
}
