import * as pulumi from "@pulumi/pulumi";
import { httpSinkConfig, HttpSinkSettings } from "../../../components/httpSinkConnector";
import { sinkGroupId } from "../../../components/sinkKafkaClients";
import { isSecret, promiseOf, useMocks } from "../mocks";
import { TEST_CA } from "./securityFixtures";

const security = { tls: true, mechanism: "scram-sha512", caCertificate: TEST_CA } as const;
const worker = { username: "tracking-connect", password: "worker-pw" };
const own = { username: "tracking-warehouse", password: "own-pw" };

const base: HttpSinkSettings = {
  connectorName: "prod-warehouse-http-sink",
  topics: ["prod.tracking"],
  url: "https://ingest.example.com/e",
  kafkaBootstrapServers: ["k:9093"],
  errors: { deadLetterTopic: "prod.warehouse.dlq" },
};

/** The keys of a client set (`consumer.override.` ...) in the plain config, and in the secret one. */
function keysOf(prefix: string, mapped: ReturnType<typeof httpSinkConfig>) {
  const pick = (map: Record<string, unknown>) =>
    Object.keys(map)
      .filter((k) => k.startsWith(prefix) && /security|sasl|ssl/.test(k))
      .map((k) => k.slice(prefix.length));
  return { plain: pick(mapped.config), secret: pick(mapped.secretConfig) };
}

/** An override's login: the truststore comes from the worker's own set, never inline too. */
const LOGIN = { plain: ["sasl.mechanism", "security.protocol"], secret: ["sasl.jaas.config"] };
/** Confluent's own clients inherit nothing from the worker: the CA is inlined for them. */
const STANDALONE = {
  plain: [
    "sasl.mechanism",
    "security.protocol",
    "ssl.truststore.certificates",
    "ssl.truststore.type",
  ],
  secret: ["sasl.jaas.config"],
};
const NONE = { plain: [], secret: [] };

describe("a sink's Kafka clients", () => {
  beforeAll(() => useMocks());

  it("logs the consumer and the dead-letter producer and admin in as the sink's own principal", async () => {
    const mapped = httpSinkConfig({
      ...base,
      kafka: { security, principal: own, ownPrincipal: true },
    });
    for (const prefix of ["consumer.override.", "producer.override.", "admin.override."]) {
      expect([prefix, keysOf(prefix, mapped)]).toEqual([prefix, LOGIN]);
    }
    expect(mapped.config).toMatchObject({
      "consumer.override.security.protocol": "SASL_SSL",
      "consumer.override.sasl.mechanism": "SCRAM-SHA-512",
      "producer.override.security.protocol": "SASL_SSL",
      "admin.override.sasl.mechanism": "SCRAM-SHA-512",
    });
    expect(
      await promiseOf(pulumi.output(mapped.secretConfig["consumer.override.sasl.jaas.config"])),
    ).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="tracking-warehouse" password="own-pw";',
    );
    expect(
      await isSecret(pulumi.output(mapped.secretConfig["producer.override.sasl.jaas.config"])),
    ).toBe(true);
    expect(JSON.stringify(mapped.config)).not.toContain("own-pw");
  });

  it("overrides the consumer and the offsets API's admin when the sink has no dead-letter topic", () => {
    const mapped = httpSinkConfig({
      ...base,
      errors: { tolerance: "none" },
      kafka: { security, principal: own, ownPrincipal: true },
    });
    expect(keysOf("consumer.override.", mapped)).toEqual(LOGIN);
    expect(keysOf("producer.override.", mapped)).toEqual(NONE);
    expect(keysOf("admin.override.", mapped)).toEqual(LOGIN);
  });

  it("leaves the workers' login alone for a sink on the workers' principal", () => {
    const mapped = httpSinkConfig({ ...base, kafka: { security, principal: worker } });
    for (const prefix of [
      "consumer.override.",
      "producer.override.",
      "admin.override.",
      "confluent.topic.",
    ]) {
      expect([prefix, keysOf(prefix, mapped)]).toEqual([prefix, NONE]);
    }
    expect(Object.keys(mapped.secretConfig)).toEqual([]);
  });

  it("logs Confluent's licence and reporter clients in as the sink's principal", async () => {
    const mapped = httpSinkConfig({
      ...base,
      connectorClass: "confluent",
      reporter: { resultTopic: "prod.warehouse.success", errorTopic: "prod.warehouse.error" },
      kafka: { security, principal: worker },
    });
    for (const prefix of ["confluent.topic.", "reporter.admin.", "reporter.producer."]) {
      expect([prefix, keysOf(prefix, mapped)]).toEqual([prefix, STANDALONE]);
    }
    expect(keysOf("consumer.override.", mapped)).toEqual(NONE);
    expect(mapped.config["confluent.topic.security.protocol"]).toBe("SASL_SSL");
    expect(
      await promiseOf(pulumi.output(mapped.secretConfig["reporter.producer.sasl.jaas.config"])),
    ).toContain('username="tracking-connect"');
  });

  it("sets no reporter clients for Confluent's class without the reporter", () => {
    const mapped = httpSinkConfig({
      ...base,
      connectorClass: "confluent",
      kafka: { security, principal: worker },
    });
    expect(keysOf("confluent.topic.", mapped)).toEqual(STANDALONE);
    expect(keysOf("reporter.", mapped)).toEqual(NONE);
  });

  it("trusts the system CAs, with no truststore key, when no CA is set", () => {
    const mapped = httpSinkConfig({
      ...base,
      kafka: {
        security: { tls: true, mechanism: "scram-sha512" },
        principal: own,
        ownPrincipal: true,
      },
    });
    expect(keysOf("consumer.override.", mapped)).toEqual({
      plain: ["sasl.mechanism", "security.protocol"],
      secret: ["sasl.jaas.config"],
    });
  });

  it("keeps keys sorted with the security keys merged in", () => {
    const { config } = httpSinkConfig({
      ...base,
      kafka: { security, principal: own, ownPrincipal: true },
    });
    expect(Object.keys(config)).toEqual([...Object.keys(config)].sort());
  });

  it("names Connect's default consumer group of a sink", () => {
    expect(sinkGroupId("prod-warehouse-http-sink")).toBe("connect-prod-warehouse-http-sink");
    expect(httpSinkConfig(base).config).not.toHaveProperty("consumer.override.group.id");
  });
});
