import { execFile } from "node:child_process";
import { join } from "node:path";
import { ensureFetched, resolveSettings } from "../../platform";
import { platformEndpoints } from "./platform";
import { testSupportProgram } from "./testSupport";

/** One record of a topic as test support's ReadTopic prints it (key, value and headers as text). */
export interface TopicRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string | null>>;
}

const READ_TOPIC = testSupportProgram("ReadTopic.java");

/**
 * Reads a topic from the beginning with a real Kafka consumer: a single-file Java program run
 * on the platform's own Kafka jars (no client library of our own). Returns once `min` records
 * were read or `timeoutMs` passed, with whatever was read.
 */
export function readTopic(topic: string, min: number, timeoutMs = 30_000): Promise<TopicRecord[]> {
  const jars = ensureFetched(resolveSettings());
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
  const args = [
    "-Xmx128m",
    "-XX:TieredStopAtLevel=1",
    "-cp",
    `${jars.kafkaLibs}/*`,
    READ_TOPIC,
    platformEndpoints().kafkaBootstrap,
    topic,
    String(min),
    String(timeoutMs),
  ];
  return new Promise((done, fail) => {
    execFile(java, args, { timeout: timeoutMs + 60_000, maxBuffer: 64 << 20 }, (err, stdout) => {
      if (err) {
        fail(new Error(`Reading ${topic} failed: ${err.message}`));
        return;
      }
      done(
        stdout
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as TopicRecord),
      );
    });
  });
}
