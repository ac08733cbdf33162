import { execFile } from "node:child_process";
import { join } from "node:path";
import { ensureFetched, resolveSettings } from "../../platform";
import { platformEndpoints } from "./platform";
import { testSupportProgram } from "./testSupport";

/** One record to produce: exact text of key and value, `null` for none (a tombstone value). */
export interface RawRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly partition?: number;
}

const PRODUCE_TOPIC = testSupportProgram("ProduceTopic.java");

const field = (text: string | null): string =>
  text === null ? "-" : Buffer.from(text, "utf8").toString("base64");

/**
 * Produces records with a real Kafka producer (test support's ProduceTopic, run on the
 * platform's Kafka jars), key and value bytes exactly as given and null values as real
 * tombstones. Returns where each landed, in order.
 */
export function produceRaw(
  topic: string,
  records: readonly RawRecord[],
): Promise<{ partition: number; offset: number }[]> {
  const jars = ensureFetched(resolveSettings());
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
  const args = [
    "-Xmx128m",
    "-XX:TieredStopAtLevel=1",
    "-cp",
    `${jars.kafkaLibs}/*`,
    PRODUCE_TOPIC,
    platformEndpoints().kafkaBootstrap,
    topic,
  ];
  const input = records
    .map((r) => `${r.partition ?? "-"}\t${field(r.key)}\t${field(r.value)}\n`)
    .join("");
  return new Promise((done, fail) => {
    const child = execFile(java, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) {
        fail(new Error(`Producing to ${topic} failed: ${err.message}\n${stderr}`));
        return;
      }
      const lines = stdout.split("\n").filter((l) => /^\d+ \d+$/.test(l));
      done(
        lines.map((l) => {
          const [partition, offset] = l.split(" ").map(Number);
          return { partition, offset };
        }),
      );
    });
    child.stdin?.end(input);
  });
}
