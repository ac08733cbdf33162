/**
 * The first limit around the pipeline: Kafka alone. A kafka-clients producer
 * (tracking.platform.bench.ProducerBench, in the platform's REST proxy jar) sends at full speed
 * to the bench's topic for a fixed time, with the producer settings the REST proxy builds from
 * the very config file the running proxy read, and the same records (keys and values as the
 * proxy writes them).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureFetched, resolveSettings } from "../../platform";
import { stateFiles } from "../../platform/component";
import { readPid } from "../../platform/processes";

export interface KafkaAlone {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly errors: number;
  /** The producer JVM's own CPU seconds over the measured time. */
  readonly cpuSeconds: number;
  readonly acks: string;
  readonly lingerMs: string;
  readonly batchSize: string;
  readonly compression: string;
}

const WARMUP_SECONDS = 2;
/** Distinct records, sent round and round. */
const RECORDS = 1000;

function java(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}

/** The config file the running REST proxy was started with: the last word of its command. */
function proxyConfigFile(): string {
  const record = readPid(stateFiles(resolveSettings(), "rest-proxy").pidFile);
  const file = record?.command[record.command.length - 1];
  if (!file?.endsWith(".properties")) {
    throw new Error("The REST proxy's pid file names no config file; is the platform up?");
  }
  return file;
}

export async function kafkaAlone(
  topic: string,
  seconds: number,
  recordOf: (n: number) => { readonly key: string; readonly value: string },
): Promise<KafkaAlone> {
  const jars = ensureFetched(resolveSettings());
  const dir = mkdtempSync(join(tmpdir(), "bench-load-"));
  try {
    const file = join(dir, "records.tsv");
    const lines = Array.from({ length: RECORDS }, (_, n) => {
      // JSON text, as the proxy writes a JSON key and value to Kafka.
      const r = recordOf(n);
      return `${r.key}\t${r.value}`;
    });
    writeFileSync(file, `${lines.join("\n")}\n`);
    const args = [
      "-Xmx256m",
      "-XX:+UseSerialGC",
      "-cp",
      `${jars.restProxyLibs}/*`,
      "tracking.platform.bench.ProducerBench",
      proxyConfigFile(),
      topic,
      file,
      String(WARMUP_SECONDS),
      String(seconds),
    ];
    const stdout = await new Promise<string>((done, fail) =>
      execFile(
        java(),
        args,
        { timeout: (seconds + WARMUP_SECONDS + 60) * 1000, maxBuffer: 16 << 20 },
        (err, out, errText) => {
          if (err) {
            fail(new Error(`ProducerBench failed: ${err.message}\n${errText.slice(-2000)}`));
          } else done(out);
        },
      ),
    );
    const line = stdout
      .split("\n")
      .reverse()
      .find((l) => l.startsWith("{"));
    if (!line) throw new Error(`ProducerBench printed no result:\n${stdout.slice(-2000)}`);
    return JSON.parse(line) as KafkaAlone;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
