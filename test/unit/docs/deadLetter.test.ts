import { readFileSync } from "node:fs";
import { join } from "node:path";
import { httpSinkConfig, HttpSinkSettings } from "../../../components/httpSinkConnector";

/**
 * The README's "What reaches the dead-letter topic" rests on what the mapping configures and on
 * what our connector writes: errors.tolerance `all` with a declared topic (our connector reads
 * it and dead-letters refused requests), string converters and no transforms (so Connect itself
 * dead-letters nothing), behavior.on.error for when errors are not tolerated, and the headers
 * HttpSinkTask adds. When any of these changes, this test fails so that the README changes too.
 */
const ROOT = join(__dirname, "..", "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const TASK = readFileSync(
  join(ROOT, "connectors/http-sink/src/main/java/tracking/connect/http/HttpSinkTask.java"),
  "utf8",
);
const STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

const sink: HttpSinkSettings = {
  connectorName: "dev-amp-http-sink",
  topics: ["dev.tracking"],
  url: "https://collect.example.com/e",
  kafkaBootstrapServers: ["k1:9092"],
  errors: { deadLetterTopic: "dev.amp.dlq" },
};

const section = (): string => {
  expect(README).toContain("### What reaches the dead-letter topic");
  return README.split("### What reaches the dead-letter topic")[1].split("\n### ")[0];
};

describe("what the README says reaches the dead-letter topic", () => {
  it.each([undefined, "tracking", "local", "confluent"] as const)(
    "holds for the %s class: tolerance all with the topic, string converters, no transforms",
    (connectorClass) => {
      const { config } = httpSinkConfig({ ...sink, connectorClass });
      expect(config["errors.tolerance"]).toBe("all");
      expect(config["errors.deadletterqueue.topic.name"]).toBe("dev.amp.dlq");
      expect(config["key.converter"]).toBe(STRING_CONVERTER);
      expect(config["value.converter"]).toBe(STRING_CONVERTER);
      expect(Object.keys(config).filter((k) => k.startsWith("transforms"))).toEqual([]);
      expect(config["behavior.on.error"]).toBe("fail");
    },
  );

  it("names the headers our connector adds, as HttpSinkTask spells them", () => {
    const headers = [...TASK.matchAll(/static final String HEADER_\w+ = "([^"]+)";/g)].map(
      (m) => m[1],
    );
    expect(headers).toEqual([
      "http.sink.error.status",
      "http.sink.error.response",
      "http.sink.error.url",
    ]);
    for (const h of headers) expect(section()).toContain(`\`${h}\``);
  });

  it("says when refused events are dead-lettered and when behaviorOnError decides", () => {
    for (const phrase of [
      "errant-record reporter",
      "`errors.tolerance` is `all`",
      "`errors.tolerance: none`, `behaviorOnError` decides",
      "skipped, not dead-lettered",
      "StringConverter",
      "no transforms",
      "with `connectorClass: confluent`, count on `behaviorOnError` only",
    ]) {
      expect(section()).toContain(phrase);
    }
  });
});
