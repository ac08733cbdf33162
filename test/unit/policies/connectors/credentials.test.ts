import {
  httpSinkHttpsOnly,
  httpSinkNoPlaintextCredentials,
} from "../../../../policies/connectors/credentials";
import { camelSink, confluentSink } from "../fixtures";
import { edit, messages, reportsEach } from "../harness";

describe("http-sink-no-plaintext-credentials", () => {
  const rule =
    "credentials must be in `secretConfig`, which stays encrypted in state and masked in previews.";

  it("passes sinks whose credentials are all in secretConfig", async () => {
    expect(await messages(httpSinkNoPlaintextCredentials, confluentSink)).toEqual([]);
    expect(await messages(httpSinkNoPlaintextCredentials, camelSink)).toEqual([]);
  });

  reportsEach(httpSinkNoPlaintextCredentials, [
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
  ]);

  it("accepts config provider references and the non-secret oauth2 keys", async () => {
    const sink = edit(confluentSink, (p) => {
      p.config["connection.password"] = "${file:/opt/secrets/http.properties:password}";
      p.config["oauth2.token.property"] = "access_token";
      p.config["batch.envelope.secret.field"] = "api_key";
    });
    expect(await messages(httpSinkNoPlaintextCredentials, sink)).toEqual([]);
  });
});

describe("http-sink-https-only", () => {
  it("passes https destinations and token URLs", async () => {
    expect(await messages(httpSinkHttpsOnly, confluentSink)).toEqual([]);
    expect(await messages(httpSinkHttpsOnly, camelSink)).toEqual([]);
  });

  reportsEach(httpSinkHttpsOnly, [
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
  ]);

  it("allows plain http to the hosts the policy config names, and only those", async () => {
    const local = edit(camelSink, (p) => {
      p.config["camel.kamelet.http-sink.url"] = "http://127.0.0.1:18090/collect";
    });
    const lookalike = edit(camelSink, (p) => {
      p.config["camel.kamelet.http-sink.url"] = "http://127.0.0.1.example.com/collect";
    });
    const config = { allowHttpHosts: ["127.0.0.1", "localhost"] };
    expect(await messages(httpSinkHttpsOnly, local, config)).toEqual([]);
    expect(await messages(httpSinkHttpsOnly, lookalike, config)).toEqual([
      '`camel.kamelet.http-sink.url` is "http://127.0.0.1.example.com/collect" on connector prod-receiver-http-sink; it must use https:// (plain http only to 127.0.0.1, localhost), or events and credentials cross the network unencrypted.',
    ]);
  });
});
