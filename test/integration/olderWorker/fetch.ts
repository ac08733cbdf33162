import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** The Kafka release of the older worker (the newest 3.9 the Maven registry serves). */
export const OLDER_KAFKA_VERSION = "3.9.2";

/** The pom that names the worker's jars (connect-runtime and its logging binding). */
export const OLDER_WORKER_POM = resolve(__dirname, "pom.xml");

/** `~/.cache/tracking-pipeline/connect-3.9.2`: the jars, the failure-check plugin, each run's files. */
export const OLDER_WORKER_CACHE = join(
  homedir(),
  ".cache",
  "tracking-pipeline",
  `connect-${OLDER_KAFKA_VERSION}`,
);

const MARKER = "fetch-complete.json";

/** One fetched worker classpath. */
export interface OlderWorkerJars {
  /** Every runtime jar of connect-runtime, as in the `libs/` folder of Kafka's distribution. */
  readonly libs: string;
  /** True when this call ran Maven (a cold cache); false when the marker was there. */
  readonly fetched: boolean;
  readonly seconds: number;
}

/** `<cache>/<12 hex of the pom's hash>`: editing the pom lands in a fresh folder. */
function fetchRoot(): string {
  const hash = createHash("sha256").update(readFileSync(OLDER_WORKER_POM)).digest("hex");
  return join(OLDER_WORKER_CACHE, `jars-${hash.slice(0, 12)}`);
}

/** Runs Maven, passing each jar it downloads or copies to `log` by file name only. */
function runMaven(args: readonly string[], log: (line: string) => void): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn("mvn", [...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let pending = "";
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const downloaded = /^\[INFO\] Downloaded from [^:]+: (\S+)/.exec(line);
        if (downloaded && downloaded[1].endsWith(".jar")) {
          log(`downloaded ${downloaded[1].split("/").pop() ?? ""}`);
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err) =>
      fail(
        new Error(
          `Could not run Maven (\`mvn\`) to fetch the Kafka ${OLDER_KAFKA_VERSION} worker: ` +
            `${err.message}. Install Maven 3.8+ and make sure \`mvn\` is on PATH.`,
        ),
      ),
    );
    child.on("close", (code) => {
      if (code === 0) done(output);
      else {
        const tail = output.trim().split("\n").slice(-30).join("\n");
        fail(new Error(`Maven failed (exit ${code}) on ${OLDER_WORKER_POM}:\n${tail}`));
      }
    });
  });
}

/**
 * Lays out the Kafka 3.9 worker's jars under `~/.cache/tracking-pipeline/connect-3.9.2/`. With
 * the marker present it returns at once, without Maven or the network. Maven copies into a
 * sibling folder that is renamed at the end, so an interrupted fetch never looks complete.
 */
export async function ensureOlderWorkerJars(
  log: (line: string) => void = () => undefined,
): Promise<OlderWorkerJars> {
  const root = fetchRoot();
  const libs = join(root, "libs");
  if (existsSync(join(root, MARKER))) return { libs, fetched: false, seconds: 0 };

  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`Fetching the Kafka ${OLDER_KAFKA_VERSION} Connect worker with Maven into ${root} ...`);
  const started = Date.now();
  try {
    await runMaven(
      [
        "-B",
        "-f",
        OLDER_WORKER_POM,
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        `-DoutputDirectory=${join(partial, "libs")}`,
      ],
      log,
    );
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
  const seconds = (Date.now() - started) / 1000;
  writeFileSync(
    join(partial, MARKER),
    `${JSON.stringify({ kafkaVersion: OLDER_KAFKA_VERSION, fetchedAt: new Date().toISOString(), seconds }, null, 2)}\n`,
  );
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
  log(`Fetched in ${seconds.toFixed(1)} s.`);
  return { libs, fetched: true, seconds };
}
