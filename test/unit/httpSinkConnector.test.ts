import * as pulumi from "@pulumi/pulumi";
import { unknownSinkArgs } from "../../components/httpSinkArgs";
import {
  HttpSinkConnector,
  HttpSinkConnectorArgs,
  httpSinkConfig,
  HttpSinkSettings,
} from "../../components/httpSinkConnector";
import { CONNECTOR_TYPE, isSecret, named, ofType, promiseOf, settled, useMocks } from "./mocks";

const base: HttpSinkSettings = {
  connectorName: "dev-amp-http-sink",
  topics: ["dev.tracking"],
  url: "https://collect.example.com/e",
  kafkaBootstrapServers: ["k1:9092", "k2:9092"],
  errors: { deadLetterTopic: "dev.amp.dlq" },
};

async function resolve(map: Record<string, pulumi.Input<string>>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[k] = await promiseOf(pulumi.output(v));
  return out;
}

describe("httpSinkConfig", () => {
  beforeAll(() => useMocks());

  it("maps the defaults to Confluent's keys for our own class, every value a string, keys sorted", () => {
    const { config, secretConfig } = httpSinkConfig(base);
    expect(config).toEqual({
      "auth.type": "NONE",
      "batch.max.size": "500",
      "batch.prefix": "[",
      "batch.separator": ",",
      "batch.suffix": "]",
      "behavior.on.error": "fail",
      "behavior.on.null.values": "ignore",
      "confluent.topic.bootstrap.servers": "k1:9092,k2:9092",
      "confluent.topic.replication.factor": "3",
      "connector.class": "tracking.connect.http.HttpSinkConnector",
      "consumer.override.client.id": "dev-amp-http-sink-consumer",
      "consumer.override.max.poll.records": "500",
      "errors.deadletterqueue.context.headers.enable": "true",
      "errors.deadletterqueue.topic.name": "dev.amp.dlq",
      "errors.deadletterqueue.topic.replication.factor": "3",
      "errors.log.enable": "true",
      "errors.log.include.messages": "false",
      "errors.retry.delay.max.ms": "60000",
      "errors.retry.timeout": "300000",
      "errors.tolerance": "all",
      "header.separator": "|",
      headers: "Content-Type:application/json",
      "http.api.url": "https://collect.example.com/e",
      "http.connect.timeout.ms": "30000",
      "http.request.timeout.ms": "30000",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "max.retries": "10",
      "request.body.format": "string",
      "request.method": "POST",
      "retry.backoff.ms": "3000",
      "retry.backoff.policy": "EXPONENTIAL_WITH_JITTER",
      "retry.on.status.codes": "408,429,500-",
      "tasks.max": "3",
      topics: "dev.tracking",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    });
    expect(Object.keys(config)).toEqual(Object.keys(config).sort());
    expect(Object.values(config).every((v) => typeof v === "string")).toBe(true);
    expect(secretConfig).toEqual({});
  });

  it("maps batching, retries, timeouts, reporter and consumer overrides", () => {
    const { config } = httpSinkConfig({
      ...base,
      connectorClass: "confluent",
      method: "PUT",
      tasksMax: 6,
      batching: { maxSize: 5, jsonArray: true },
      retries: {
        maxRetries: 3,
        backoffMs: 100,
        backoffPolicy: "constant",
        retryOnStatusCodes: "429,503",
      },
      timeouts: { connectMs: 1000, requestMs: 2000 },
      behaviorOnError: "log",
      behaviorOnNullValues: "delete",
      reporter: { resultTopic: "dev.amp.success", errorTopic: "dev.amp.error" },
      replicationFactor: 2,
      consumerOverrides: { "fetch.max.bytes": "1048576" },
      maxPollRecords: 50,
    });
    expect(config).toMatchObject({
      "request.method": "PUT",
      "tasks.max": "6",
      "batch.max.size": "5",
      "request.body.format": "json",
      "batch.json.as.array": "true",
      "max.retries": "3",
      "retry.backoff.ms": "100",
      "retry.backoff.policy": "CONSTANT_VALUE",
      "retry.on.status.codes": "429,503",
      "http.connect.timeout.ms": "1000",
      "http.request.timeout.ms": "2000",
      "behavior.on.error": "log",
      "behavior.on.null.values": "delete",
      "reporter.bootstrap.servers": "k1:9092,k2:9092",
      "reporter.result.topic.name": "dev.amp.success",
      "reporter.error.topic.name": "dev.amp.error",
      "reporter.result.topic.replication.factor": "2",
      "consumer.override.fetch.max.bytes": "1048576",
      "consumer.override.max.poll.records": "50",
    });
    expect(config).not.toHaveProperty("batch.prefix");
  });

  it("keeps a basic auth password in secretConfig only", async () => {
    const { config, secretConfig } = httpSinkConfig({
      ...base,
      auth: { type: "basic", username: "tracker", password: pulumi.secret("s3cret") },
    });
    expect(config["auth.type"]).toBe("BASIC");
    expect(config["connection.user"]).toBe("tracker");
    expect(config).not.toHaveProperty("connection.password");
    expect(Object.keys(secretConfig)).toEqual(["connection.password"]);
    expect(await isSecret(pulumi.output(secretConfig["connection.password"]))).toBe(true);
  });

  it("maps OAuth2, with the client secret in secretConfig", async () => {
    const { config, secretConfig } = httpSinkConfig({
      ...base,
      auth: {
        type: "oauth2",
        tokenUrl: "https://auth.example.com/token",
        clientId: "pipeline",
        clientSecret: pulumi.secret("cs"),
        scope: "events.write",
      },
    });
    expect(config).toMatchObject({
      "auth.type": "OAUTH2",
      "oauth2.token.url": "https://auth.example.com/token",
      "oauth2.client.id": "pipeline",
      "oauth2.client.scope": "events.write",
      "oauth2.client.auth.mode": "header",
    });
    expect(await resolve(secretConfig)).toEqual({ "oauth2.client.secret": "cs" });
  });

  it("moves the headers key into secretConfig when one header is secret", async () => {
    const { config, secretConfig } = httpSinkConfig({
      ...base,
      headers: { "Content-Type": "application/json" },
      secretHeaders: { "X-Api-Key": pulumi.secret("k-123") },
    });
    expect(config).not.toHaveProperty("headers");
    expect(await isSecret(pulumi.output(secretConfig.headers))).toBe(true);
    expect(await resolve(secretConfig)).toEqual({
      headers: "Content-Type:application/json|X-Api-Key:k-123",
    });
  });

  it("maps the same settings to Camel's HTTP sink keys", async () => {
    const { config, secretConfig } = httpSinkConfig({
      ...base,
      connectorClass: "camel",
      batching: { maxSize: 5, timeoutMs: 200 },
      retries: { maxRetries: 4, backoffMs: 500 },
      auth: { type: "basic", username: "u", password: pulumi.secret("p") },
    });
    expect(config).toMatchObject({
      "connector.class": "org.apache.camel.kafkaconnector.httpsink.CamelHttpsinkSinkConnector",
      "camel.kamelet.http-sink.url": "https://collect.example.com/e",
      "camel.kamelet.http-sink.method": "POST",
      "camel.error.handler": "default",
      "camel.error.handler.max.redeliveries": "4",
      "camel.error.handler.redelivery.delay": "500",
      "camel.aggregation.size": "5",
      "camel.aggregation.timeout": "200",
      transforms: "header0,header1",
      "transforms.header0.type": "org.apache.kafka.connect.transforms.InsertHeader",
      "transforms.header0.header": "CamelHeader.Content-Type",
      "transforms.header0.value.literal": "application/json",
      "transforms.header1.header": "CamelHeader.Authorization",
      "tasks.max": "3",
      topics: "dev.tracking",
      "errors.deadletterqueue.topic.name": "dev.amp.dlq",
    });
    expect(config).not.toHaveProperty("http.api.url");
    expect(Object.keys(config)).toEqual(Object.keys(config).sort());
    expect(await isSecret(pulumi.output(secretConfig["transforms.header1.value.literal"]))).toBe(
      true,
    );
    expect(await resolve(secretConfig)).toEqual({
      "transforms.header1.value.literal": `Basic ${Buffer.from("u:p").toString("base64")}`,
    });
  });

  it("maps our class (the default; `local` is its alias) with exactly Confluent's keys", () => {
    const oauth2 = {
      ...base,
      auth: {
        type: "oauth2" as const,
        tokenUrl: "https://a/t",
        clientId: "c",
        clientSecret: "s",
      },
    };
    const confluent = httpSinkConfig({ ...oauth2, connectorClass: "confluent" });
    for (const connectorClass of [undefined, "tracking", "local"] as const) {
      const { config, secretConfig } = httpSinkConfig({ ...oauth2, connectorClass });
      const { "connector.class": cls, ...rest } = config;
      const { "connector.class": _confluent, ...confluentRest } = confluent.config;
      expect(cls).toBe("tracking.connect.http.HttpSinkConnector");
      expect(rest).toEqual(confluentRest);
      expect(Object.keys(secretConfig)).toEqual(["oauth2.client.secret"]);
    }
  });

  it("refuses reporter topics with our class, which dead-letters instead", () => {
    const reporter = { resultTopic: "dev.amp.success", errorTopic: "dev.amp.error" };
    expect(() => httpSinkConfig({ ...base, reporter })).toThrow(
      "`reporter` topics are written by Confluent's connector only",
    );
    const { config } = httpSinkConfig({ ...base, reporter, connectorClass: "confluent" });
    expect(config["reporter.result.topic.name"]).toBe("dev.amp.success");
  });

  it("does not aggregate with Camel when the batch size is 1", () => {
    const { config } = httpSinkConfig({
      ...base,
      connectorClass: "camel",
      batching: { maxSize: 1 },
    });
    expect(config).not.toHaveProperty("camel.beans.aggregate");
  });

  it("refuses OAuth2 with Camel, naming the setting", () => {
    expect(() =>
      httpSinkConfig({
        ...base,
        connectorClass: "camel",
        auth: { type: "oauth2", tokenUrl: "https://a/t", clientId: "c", clientSecret: "s" },
      }),
    ).toThrow('`auth.type` "oauth2" is not supported by the camel connector class');
  });

  it("refuses error tolerance all without a dead-letter topic", () => {
    expect(() => httpSinkConfig({ ...base, errors: { tolerance: "all" } })).toThrow(
      "`errors.deadLetterTopic` is required",
    );
  });
});

describe("HttpSinkConnector", () => {
  beforeEach(() => useMocks());

  it("registers one Connector with the mapped config and no quota by default", async () => {
    const sink = new HttpSinkConnector("amp", {
      ...base,
      connect: { url: "http://connect:8083" },
    });
    await settled(sink);
    expect(ofType("kafka:index/quota:Quota")).toHaveLength(0);
    const connector = named(CONNECTOR_TYPE, "amp-connector");
    expect(connector.inputs).toMatchObject({
      name: "dev-amp-http-sink",
      state: "RUNNING",
      connect: { url: "http://connect:8083" },
      restartPolicy: { type: "on-failure", maxRestarts: 10 },
      waitTimeoutSeconds: 300,
    });
    expect(connector.inputs.config).toEqual(httpSinkConfig(base).config);
    expect(await promiseOf(sink.connectorName)).toBe("dev-amp-http-sink");
  });

  it("adds a client quota on the sink's fixed consumer client id", async () => {
    const sink = new HttpSinkConnector("amp", {
      ...base,
      connect: { url: "http://connect:8083" },
      consumerByteRate: 1_048_576,
      state: "PAUSED",
    });
    await settled(sink);
    expect(named("kafka:index/quota:Quota", "amp-egress").inputs).toEqual({
      entityType: "client-id",
      entityName: "dev-amp-http-sink-consumer",
      config: { consumer_byte_rate: "1048576" },
    });
    // A changed rate is a replace of the same client id: the old quota must be deleted first.
    expect(named("kafka:index/quota:Quota", "amp-egress").deleteBeforeReplace).toBe(true);
    expect(named(CONNECTOR_TYPE, "amp-connector").inputs.state).toBe("PAUSED");
  });

  it("keeps credentials and the Connect password secret on the Connector", async () => {
    const sink = new HttpSinkConnector("amp", {
      ...base,
      connect: pulumi.output({
        url: "http://connect:8083",
        username: "ops",
        password: pulumi.secret("pw"),
      }),
      auth: { type: "basic", username: "tracker", password: pulumi.secret("s3cret") },
    });
    await settled(sink);
    expect(await isSecret(sink.connector.secretConfig)).toBe(true);
    expect(await isSecret(sink.connector.connectSecrets)).toBe(true);
    expect(await isSecret(sink.connector.config)).toBe(false);
    const inputs = named(CONNECTOR_TYPE, "amp-connector").inputs;
    expect(inputs.connect).toEqual({ url: "http://connect:8083", username: "ops" });
    expect(JSON.stringify(inputs.config)).not.toContain("s3cret");
  });

  it("fails with the setting's name when the settings cannot be mapped", async () => {
    expect(
      () =>
        new HttpSinkConnector("bad", {
          ...base,
          errors: { tolerance: "all" },
          connect: { url: "http://connect:8083" },
        }),
    ).toThrow("`errors.deadLetterTopic` is required");
  });

  it("refuses an argument it does not know at any level, with the closest known one", () => {
    // What a JavaScript caller or a spread of a wider object can pass, which TypeScript cannot see.
    const args = {
      ...base,
      connect: { url: "http://connect:8083" },
      batching: { maxSize: 10, seperator: "\n" },
      tasksMaximum: 2,
    } as HttpSinkConnectorArgs;
    let error: unknown;
    try {
      new HttpSinkConnector("typo", args);
    } catch (err) {
      error = err;
    }
    expect(pulumi.ResourceError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      [
        "`batching.seperator` is not an HttpSinkConnector argument; did you mean `separator`?",
        "`tasksMaximum` is not an HttpSinkConnector argument; did you mean `tasksMax`?",
      ].join("\n"),
    );
    expect(ofType(CONNECTOR_TYPE).filter((c) => c.name === "typo-connector")).toHaveLength(0);
  });

  it("says to remove an argument that is close to none", () => {
    expect(
      unknownSinkArgs({ ...base, colour: "blue", auth: { type: "none", realm: "x" } }),
    ).toEqual([
      "`colour` is not an HttpSinkConnector argument; remove it",
      "`auth.realm` is not an HttpSinkConnector argument; remove it",
    ]);
  });

  it("passes the free-form maps through unchecked", () => {
    expect(
      unknownSinkArgs({
        ...base,
        headers: { "X-Anything": "1" },
        consumerOverrides: { "fetch.min.bytes": "1" },
      }),
    ).toEqual([]);
  });
});
