import { resolve } from "node:path";

/**
 * A single-file Java program of the connector's test support (connectors/http-sink/src/test-support/),
 * run with `java <file> ...` by the integration tests: ReadMetrics, ReadTopic, ProduceTopic.
 */
export function testSupportProgram(name: string): string {
  return resolve(__dirname, "..", "..", "connectors", "http-sink", "src", "test-support", name);
}
