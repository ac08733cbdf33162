import * as pulumi from "@pulumi/pulumi";
import {
  clientProperties,
  confluentEnvName,
  jaasConfig,
  jaasQuote,
  prefixed,
  saslMechanismName,
  securityProtocol,
} from "../../../components/kafkaSecurity";
import { convertKey } from "../../boot/podEnv";
import { isSecret, promiseOf, useMocks } from "../mocks";
import { AWKWARD_PASSWORD, TEST_CA } from "./securityFixtures";

/** What Java's StreamTokenizer (Kafka's JAAS parser) reads back from a quoted token. */
function unquote(token: string): string {
  expect(token.startsWith('"') && token.endsWith('"')).toBe(true);
  const escapes: Record<string, string> = { n: "\n", r: "\r", t: "\t" };
  return token.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => escapes[ch] ?? ch);
}

describe("securityProtocol", () => {
  it.each([
    [false, "none", "PLAINTEXT"],
    [true, "none", "SSL"],
    [false, "plain", "SASL_PLAINTEXT"],
    [true, "plain", "SASL_SSL"],
    [false, "scram-sha256", "SASL_PLAINTEXT"],
    [true, "scram-sha512", "SASL_SSL"],
  ] as const)("tls %p with mechanism %p is %p", (tls, mechanism, protocol) => {
    expect(securityProtocol({ tls, mechanism })).toBe(protocol);
  });

  it("names the mechanisms as Kafka spells them", () => {
    expect(
      ["plain", "scram-sha256", "scram-sha512"].map((m) => saslMechanismName(m as "plain")),
    ).toEqual(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]);
  });
});

describe("jaasQuote", () => {
  it.each([
    ["plain", '"plain"'],
    ['quo"te', '"quo\\"te"'],
    ["back\\slash", '"back\\\\slash"'],
    ['\\"', '"\\\\\\""'],
    ["line\nbreak", '"line\\nbreak"'],
  ])("quotes %p as %p", (value, quoted) => {
    expect(jaasQuote(value)).toBe(quoted);
  });

  it.each(["plain", 'quo"te', "back\\slash", '\\"', "a\\nb", "line\nbreak\r", AWKWARD_PASSWORD])(
    "gives back %p once the JAAS parser unquotes it",
    (value) => {
      expect(unquote(jaasQuote(value))).toBe(value);
    },
  );
});

describe("jaasConfig", () => {
  beforeEach(() => useMocks());

  it("writes the SCRAM login line with the password escaped, as a secret", async () => {
    const line = jaasConfig("scram-sha512", { username: "connect", password: 'a"b\\c' });
    expect(await isSecret(line)).toBe(true);
    expect(await promiseOf(line)).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="connect" password="a\\"b\\\\c";',
    );
  });

  it("uses the PLAIN module for plain, and keeps a secret password secret", async () => {
    const line = jaasConfig("plain", { username: "u", password: pulumi.secret("pw") });
    expect(await isSecret(line)).toBe(true);
    expect(await promiseOf(line)).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="pw";',
    );
  });
});

describe("clientProperties", () => {
  beforeEach(() => useMocks());
  const principal = { username: "rest-proxy", password: "pw-1" };

  it("sets only the protocol for a plaintext cluster", () => {
    expect(clientProperties({ tls: false, mechanism: "none" }, principal, "/ca.pem")).toEqual({
      plain: { "security.protocol": "PLAINTEXT" },
      secret: {},
    });
  });

  it("leaves the truststore to the system trust when TLS has no CA", () => {
    expect(clientProperties({ tls: true, mechanism: "none" }, undefined, "/ca.pem").plain).toEqual({
      "security.protocol": "SSL",
    });
  });

  it("points at the mounted PEM, or inlines it, when a CA is set", () => {
    const security = { tls: true, mechanism: "none", caCertificate: TEST_CA } as const;
    expect(clientProperties(security, undefined, "/etc/kafka-tls/ca.pem").plain).toEqual({
      "security.protocol": "SSL",
      "ssl.truststore.type": "PEM",
      "ssl.truststore.location": "/etc/kafka-tls/ca.pem",
    });
    expect(clientProperties(security, undefined, { certificates: TEST_CA }).plain).toEqual({
      "security.protocol": "SSL",
      "ssl.truststore.type": "PEM",
      "ssl.truststore.certificates": TEST_CA,
    });
  });

  it("keeps the JAAS line out of the plain settings", async () => {
    const props = clientProperties({ tls: true, mechanism: "scram-sha256" }, principal);
    expect(props.plain).toEqual({
      "security.protocol": "SASL_SSL",
      "sasl.mechanism": "SCRAM-SHA-256",
    });
    expect(Object.keys(props.secret)).toEqual(["sasl.jaas.config"]);
    expect(await isSecret(props.secret["sasl.jaas.config"])).toBe(true);
    expect(JSON.stringify(props.plain)).not.toContain("pw-1");
  });

  it("refuses SASL without a principal", () => {
    expect(() => clientProperties({ tls: false, mechanism: "plain" })).toThrow(
      'a principal is required when the SASL mechanism is "plain"; set the client\'s user and password',
    );
  });

  it("prefixes every key of both halves", () => {
    const props = prefixed(
      clientProperties({ tls: false, mechanism: "plain" }, principal),
      "consumer.override.",
    );
    expect(Object.keys(props.plain)).toEqual([
      "consumer.override.security.protocol",
      "consumer.override.sasl.mechanism",
    ]);
    expect(Object.keys(props.secret)).toEqual(["consumer.override.sasl.jaas.config"]);
  });
});

describe("confluentEnvName", () => {
  it.each([
    ["CONNECT_", "security.protocol", "CONNECT_SECURITY_PROTOCOL"],
    ["CONNECT_PRODUCER_", "sasl.jaas.config", "CONNECT_PRODUCER_SASL_JAAS_CONFIG"],
    ["KAFKA_REST_CLIENT_", "ssl.truststore.location", "KAFKA_REST_CLIENT_SSL_TRUSTSTORE_LOCATION"],
  ])("names %p + %p %p", (prefix, property, env) => {
    expect(confluentEnvName(prefix, property)).toBe(env);
  });

  it.each([
    "security.protocol",
    "sasl.mechanism",
    "sasl.jaas.config",
    "ssl.truststore.type",
    "ssl.truststore.location",
    "confluent.topic.bootstrap.servers",
    "key_with_underscores.and-dash",
  ])("reads back %p by the images' own rule", (property) => {
    expect(convertKey(confluentEnvName("", property))).toBe(property);
  });
});
