import {
  connectorNoPayloadLogging,
  httpSinkErrorHandling,
  httpSinkHttpsOnly,
  httpSinkNoPlaintextCredentials,
  httpSinkRetries,
  httpSinkTasksMax,
  missingStatusCodes,
  parseStatusCodes,
} from "../../../policies/connectors";
import { camelSink, confluentSink, ConnectorProps, trackingTopic } from "./fixtures";
import { edit, FakeResource, messages, UNKNOWN } from "./harness";

type Change = (props: ConnectorProps) => void;

function changed(sink: FakeResource<ConnectorProps>, change: Change) {
  return edit(sink, change);
}

describe("http-sink-retries", () => {
  it("passes both connector classes with bounded retries, a backoff and 429/5xx retried", async () => {
    expect(await messages(httpSinkRetries, confluentSink)).toEqual([]);
    expect(await messages(httpSinkRetries, camelSink)).toEqual([]);
  });

  it("ignores resources that are not HTTP sinks", async () => {
    expect(await messages(httpSinkRetries, trackingTopic)).toEqual([]);
  });

  it.each<[string, FakeResource<ConnectorProps>, Change, string]>([
    [
      "max.retries 0",
      confluentSink,
      (p) => (p.config["max.retries"] = "0"),
      "`max.retries` is 0 on connector prod-analytics-http-sink; it must be between 3 and 50: fewer lose events on a single 503 from the analytics provider, more hold the partition behind a request that will not succeed.",
    ],
    [
      "max.retries above the ceiling",
      confluentSink,
      (p) => (p.config["max.retries"] = "100"),
      "`max.retries` is 100 on connector prod-analytics-http-sink; it must be between 3 and 50: fewer lose events on a single 503 from the analytics provider, more hold the partition behind a request that will not succeed.",
    ],
    [
      "a backoff below the floor",
      confluentSink,
      (p) => (p.config["retry.backoff.ms"] = "10"),
      "`retry.backoff.ms` is 10 on connector prod-analytics-http-sink; it must be at least 500 ms, or retries hammer a provider that is already failing or rate-limiting us.",
    ],
    [
      "429 not retried",
      confluentSink,
      (p) => (p.config["retry.on.status.codes"] = "408,500-"),
      '`retry.on.status.codes` is "408,500-" on connector prod-analytics-http-sink; it must include 429 and 500-599 but misses 429, or a rate-limited or briefly failing provider loses events.',
    ],
    [
      "part of 5xx not retried",
      confluentSink,
      (p) => (p.config["retry.on.status.codes"] = "429,500-502"),
      '`retry.on.status.codes` is "429,500-502" on connector prod-analytics-http-sink; it must include 429 and 500-599 but misses 503-599, or a rate-limited or briefly failing provider loses events.',
    ],
    [
      "malformed status codes",
      confluentSink,
      (p) => (p.config["retry.on.status.codes"] = "all"),
      '`retry.on.status.codes` is "all" on connector prod-analytics-http-sink; it must include 429 and 500-599 (codes and ranges such as "408,429,500-"), or a rate-limited or briefly failing provider loses events.',
    ],
    [
      "Camel redeliveries left at the class default",
      camelSink,
      (p) => delete p.config["camel.error.handler.max.redeliveries"],
      "`camel.error.handler.max.redeliveries` is unset (connector default 0) on connector prod-receiver-http-sink; it must be between 3 and 50: fewer lose events on a single 503 from the analytics provider, more hold the partition behind a request that will not succeed.",
    ],
    [
      "a Camel redelivery delay below the floor",
      camelSink,
      (p) => (p.config["camel.error.handler.redelivery.delay"] = "0"),
      "`camel.error.handler.redelivery.delay` is 0 on connector prod-receiver-http-sink; it must be at least 500 ms, or retries hammer a provider that is already failing or rate-limiting us.",
    ],
  ])("reports %s", async (_, sink, change, message) => {
    expect(await messages(httpSinkRetries, changed(sink, change))).toEqual([message]);
  });

  it("takes its thresholds from the policy config", async () => {
    const sink = changed(confluentSink, (p) => (p.config["max.retries"] = "2"));
    expect(await messages(httpSinkRetries, sink, { minRetries: 1 })).toEqual([]);
  });

  it("judges unset Confluent keys by the class defaults (10 retries, 3000 ms, 400-)", async () => {
    const sink = changed(confluentSink, (p) => {
      delete p.config["max.retries"];
      delete p.config["retry.backoff.ms"];
      delete p.config["retry.on.status.codes"];
    });
    expect(await messages(httpSinkRetries, sink)).toEqual([]);
  });

  it("parses status code lists and names the codes they miss", () => {
    expect(parseStatusCodes("408,429,500-")).toEqual([
      [408, 408],
      [429, 429],
      [500, 999],
    ]);
    expect(parseStatusCodes("500-400")).toBeUndefined();
    expect(missingStatusCodes(parseStatusCodes("429,500,502-503")!, [[500, 599]])).toEqual([
      "501",
      "504-599",
    ]);
  });
});

describe("http-sink-error-handling", () => {
  it("passes a sink with a dead-letter topic, failing requests and error logging", async () => {
    expect(await messages(httpSinkErrorHandling, confluentSink)).toEqual([]);
    expect(await messages(httpSinkErrorHandling, camelSink)).toEqual([]);
  });

  it.each<[string, FakeResource<ConnectorProps>, Change, string]>([
    [
      "errors.tolerance all without a dead-letter topic",
      confluentSink,
      (p) => delete p.config["errors.deadletterqueue.topic.name"],
      '`errors.tolerance` is "all" on connector prod-analytics-http-sink but `errors.deadletterqueue.topic.name` is unset; set a dead-letter topic or the tolerance to "none", or events that fail are dropped silently.',
    ],
    [
      "behavior.on.error ignore",
      confluentSink,
      (p) => (p.config["behavior.on.error"] = "ignore"),
      '`behavior.on.error` is "ignore" on connector prod-analytics-http-sink; it must be one of fail, log, or requests the provider rejects for good are dropped without a trace.',
    ],
    [
      "error logging off",
      camelSink,
      (p) => (p.config["errors.log.enable"] = "false"),
      '`errors.log.enable` is "false" on connector prod-receiver-http-sink; it must be "true", or failed events leave no trace in the worker log.',
    ],
    [
      "error logging left at the Connect default",
      confluentSink,
      (p) => delete p.config["errors.log.enable"],
      '`errors.log.enable` is unset (connector default false) on connector prod-analytics-http-sink; it must be "true", or failed events leave no trace in the worker log.',
    ],
  ])("reports %s", async (_, sink, change, message) => {
    expect(await messages(httpSinkErrorHandling, changed(sink, change))).toEqual([message]);
  });

  it("says it cannot judge a value unknown during preview rather than call it unset", async () => {
    const sink = changed(confluentSink, (p) => (p.config["errors.log.enable"] = UNKNOWN));
    expect(await messages(httpSinkErrorHandling, sink)).toEqual([
      "can't run during preview: string value at .config.errors.log.enable can't be known during preview",
    ]);
  });

  it("accepts tolerance none without a dead-letter topic", async () => {
    const sink = changed(confluentSink, (p) => {
      p.config["errors.tolerance"] = "none";
      delete p.config["errors.deadletterqueue.topic.name"];
    });
    expect(await messages(httpSinkErrorHandling, sink)).toEqual([]);
  });
});

describe("connector-no-payload-logging", () => {
  it("passes connectors that keep payloads out of logs, or leave the key at false", async () => {
    expect(await messages(connectorNoPayloadLogging, confluentSink)).toEqual([]);
    const unset = changed(camelSink, (p) => delete p.config["errors.log.include.messages"]);
    expect(await messages(connectorNoPayloadLogging, unset)).toEqual([]);
  });

  it("reports errors.log.include.messages true", async () => {
    const sink = changed(camelSink, (p) => (p.config["errors.log.include.messages"] = "true"));
    expect(await messages(connectorNoPayloadLogging, sink)).toEqual([
      '`errors.log.include.messages` is "true" on connector prod-receiver-http-sink; it must be "false", because tracking events can carry personal data that must not reach worker logs.',
    ]);
  });
});

describe("http-sink-tasks-max", () => {
  it("passes tasks.max within bounds", async () => {
    expect(await messages(httpSinkTasksMax, confluentSink)).toEqual([]);
  });

  it.each<[string, string]>([
    ["64", "64"],
    ["0", "0"],
    ["many", '"many"'],
  ])("reports tasks.max %s", async (value, shown) => {
    const sink = changed(confluentSink, (p) => (p.config["tasks.max"] = value));
    expect(await messages(httpSinkTasksMax, sink)).toEqual([
      `\`tasks.max\` is ${shown} on connector prod-analytics-http-sink; it must be between 1 and 16, or the sink sends more parallel requests than the provider is sized for.`,
    ]);
  });
});

describe("http-sink-no-plaintext-credentials", () => {
  const rule =
    "credentials must be in `secretConfig`, which stays encrypted in state and masked in previews.";

  it("passes sinks whose credentials are all in secretConfig", async () => {
    expect(await messages(httpSinkNoPlaintextCredentials, confluentSink)).toEqual([]);
    expect(await messages(httpSinkNoPlaintextCredentials, camelSink)).toEqual([]);
  });

  it.each<[string, FakeResource<ConnectorProps>, Change, string]>([
    [
      "a basic auth password in config",
      confluentSink,
      (p) => (p.config["connection.password"] = "hunter2"),
      `\`connection.password\` holds a plaintext value (7 characters) in the plain \`config\` of connector prod-analytics-http-sink; ${rule}`,
    ],
    [
      "an OAuth2 client secret in config",
      confluentSink,
      (p) => (p.config["oauth2.client.secret"] = "s3cr3t"),
      `\`oauth2.client.secret\` holds a plaintext value (6 characters) in the plain \`config\` of connector prod-analytics-http-sink; ${rule}`,
    ],
    [
      "a SASL JAAS config with a password in a consumer override",
      confluentSink,
      (p) =>
        (p.config["consumer.override.sasl.jaas.config"] =
          'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";'),
      `\`consumer.override.sasl.jaas.config\` holds a plaintext value (91 characters) in the plain \`config\` of connector prod-analytics-http-sink; ${rule}`,
    ],
    [
      "an API key header in the Confluent headers",
      confluentSink,
      (p) => (p.config.headers = "Content-Type:application/json|X-Api-Key:abc123"),
      `\`headers\` sends \`X-Api-Key\` with a plaintext value (6 characters) in the plain \`config\` of connector prod-analytics-http-sink; ${rule}`,
    ],
    [
      "an Authorization header with a custom separator",
      confluentSink,
      (p) => {
        p.config["header.separator"] = ";";
        p.config.headers = "Authorization: Bearer xyz;Content-Type:application/json";
      },
      `\`headers\` sends \`Authorization\` with a plaintext value (10 characters) in the plain \`config\` of connector prod-analytics-http-sink; ${rule}`,
    ],
    [
      "a Camel Authorization header literal in config",
      camelSink,
      (p) => (p.config["transforms.header1.value.literal"] = "Basic c2hvcDpwdw=="),
      `\`transforms.header1.value.literal\` sets header \`CamelHeader.Authorization\` to a plaintext value (18 characters) in the plain \`config\` of connector prod-receiver-http-sink; ${rule}`,
    ],
    [
      "a password in the URL's user info",
      confluentSink,
      (p) => (p.config["http.api.url"] = "https://shop:pw@collect.analytics.example.com/v2/events"),
      `\`http.api.url\` carries a password in its user info in the plain \`config\` of connector prod-analytics-http-sink; ${rule}`,
    ],
    [
      "an API key in the URL's query",
      camelSink,
      (p) => (p.config["camel.kamelet.http-sink.url"] = "https://receiver.example.com/c?api_key=k"),
      `\`camel.kamelet.http-sink.url\` carries the query parameter \`api_key\` in the plain \`config\` of connector prod-receiver-http-sink; ${rule}`,
    ],
  ])("reports %s", async (_, sink, change, message) => {
    expect(await messages(httpSinkNoPlaintextCredentials, changed(sink, change))).toEqual([
      message,
    ]);
  });

  it("accepts config provider references and the non-secret oauth2 keys", async () => {
    const sink = changed(confluentSink, (p) => {
      p.config["connection.password"] = "${file:/opt/secrets/http.properties:password}";
      p.config["oauth2.token.property"] = "access_token";
    });
    expect(await messages(httpSinkNoPlaintextCredentials, sink)).toEqual([]);
  });
});

describe("http-sink-https-only", () => {
  it("passes https destinations and token URLs", async () => {
    expect(await messages(httpSinkHttpsOnly, confluentSink)).toEqual([]);
    expect(await messages(httpSinkHttpsOnly, camelSink)).toEqual([]);
  });

  it.each<[string, FakeResource<ConnectorProps>, Change, string]>([
    [
      "an http destination",
      confluentSink,
      (p) => (p.config["http.api.url"] = "http://collect.analytics.example.com/v2/events?key=k"),
      '`http.api.url` is "http://collect.analytics.example.com/v2/events" on connector prod-analytics-http-sink; it must use https:// (plain http only to none), or events and credentials cross the network unencrypted.',
    ],
    [
      "an http token URL",
      confluentSink,
      (p) => (p.config["oauth2.token.url"] = "http://auth.analytics.example.com/token"),
      '`oauth2.token.url` is "http://auth.analytics.example.com/token" on connector prod-analytics-http-sink; it must use https:// (plain http only to none), or events and credentials cross the network unencrypted.',
    ],
    [
      "a Camel destination without a scheme",
      camelSink,
      (p) => (p.config["camel.kamelet.http-sink.url"] = "receiver:8080"),
      '`camel.kamelet.http-sink.url` is "receiver:8080" on connector prod-receiver-http-sink; it must be an absolute https:// URL.',
    ],
    [
      "a relative Camel destination",
      camelSink,
      (p) => (p.config["camel.kamelet.http-sink.url"] = "/collect"),
      '`camel.kamelet.http-sink.url` is "/collect" on connector prod-receiver-http-sink; it must be an absolute https:// URL.',
    ],
  ])("reports %s", async (_, sink, change, message) => {
    expect(await messages(httpSinkHttpsOnly, changed(sink, change))).toEqual([message]);
  });

  it("allows plain http to the hosts the policy config names, and only those", async () => {
    const local = changed(camelSink, (p) => {
      p.config["camel.kamelet.http-sink.url"] = "http://127.0.0.1:18090/collect";
    });
    const lookalike = changed(camelSink, (p) => {
      p.config["camel.kamelet.http-sink.url"] = "http://127.0.0.1.example.com/collect";
    });
    const config = { allowHttpHosts: ["127.0.0.1", "localhost"] };
    expect(await messages(httpSinkHttpsOnly, local, config)).toEqual([]);
    expect(await messages(httpSinkHttpsOnly, lookalike, config)).toEqual([
      '`camel.kamelet.http-sink.url` is "http://127.0.0.1.example.com/collect" on connector prod-receiver-http-sink; it must use https:// (plain http only to 127.0.0.1, localhost), or events and credentials cross the network unencrypted.',
    ]);
  });
});
