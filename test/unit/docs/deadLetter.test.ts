import { readFileSync } from "node:fs";
import { join } from "node:path";
import { httpSinkConfig, HttpSinkSettings } from "../../../components/httpSinkConnector";

/**
 * The README's "What reaches the dead-letter topic" rests on what the mapping configures: a
 * converter that accepts any bytes and no transforms, so Connect's framework never dead-letters a
 * record, and refused requests go by `behavior.on.error`. When either changes, this test fails so
 * that the README is changed with it.
 */
const README = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
const STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

const sink: HttpSinkSettings = {
  connectorName: "dev-amp-http-sink",
  topics: ["dev.tracking"],
  url: "https://collect.example.com/e",
  kafkaBootstrapServers: ["k1:9092"],
  errors: { deadLetterTopic: "dev.amp.dlq" },
};

describe("what the README says reaches the dead-letter topic", () => {
  it.each(["confluent", "local"] as const)(
    "holds for the %s class: string converters, no transforms, behavior.on.error for refusals",
    (connectorClass) => {
      const { config } = httpSinkConfig({ ...sink, connectorClass });
      expect(config["key.converter"]).toBe(STRING_CONVERTER);
      expect(config["value.converter"]).toBe(STRING_CONVERTER);
      expect(Object.keys(config).filter((k) => k.startsWith("transforms"))).toEqual([]);
      expect(config["errors.deadletterqueue.topic.name"]).toBe("dev.amp.dlq");
      expect(config["behavior.on.error"]).toBe("fail");
    },
  );

  it("does not promise that failed events are routed to the dead-letter topic", () => {
    expect(README).toContain("### What reaches the dead-letter topic");
    expect(README).not.toMatch(/route failed events there/i);
    const section = README.split("### What reaches the dead-letter topic")[1].split("\n### ")[0];
    for (const phrase of [
      "StringConverter",
      "no transforms",
      "`behaviorOnError`",
      "skipped, not dead-lettered",
    ]) {
      expect(section).toContain(phrase);
    }
  });
});
