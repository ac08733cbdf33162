import { ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import axios from "axios";
import { OLDER_WORKER_CACHE } from "./fetch";

const HOST = "127.0.0.1";

export interface OlderWorkerOptions {
  /** The worker's classpath folder (from ensureOlderWorkerJars). */
  readonly libs: string;
  readonly bootstrap: string;
  /** The worker's `plugin.path`. */
  readonly pluginPath: string;
  /** Unique: the group id, the internal topics' and the run folder's names derive from it. */
  readonly groupId: string;
  /** Class the worker must list in /connector-plugins before it counts as ready. */
  readonly pluginClass: string;
}

/** A running Kafka 3.9 Connect worker, started and stopped by its recorded pid. */
export interface OlderWorker {
  readonly url: string;
  readonly pid: number;
  readonly logFile: string;
  readonly internalTopics: readonly string[];
  /** The whole log so far. */
  log(): string;
  /** Its last `lines` lines but the config dumps, to print on failure. */
  logTail(lines?: number): string;
  /** SIGTERM to the recorded pid, SIGKILL after 30 s; resolves once it has exited. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function properties(values: Record<string, string | number>): string {
  return `${Object.entries(values)
    .map(([k, v]) => `${k}=${String(v).replace(/\\/g, "\\\\")}`)
    .join("\n")}\n`;
}

/** Kafka 3.9 logs through slf4j and reload4j (Log4j 1 syntax), to stdout, i.e. the log file. */
const LOG4J = properties({
  "log4j.rootLogger": "INFO, stdout",
  "log4j.appender.stdout": "org.apache.log4j.ConsoleAppender",
  "log4j.appender.stdout.layout": "org.apache.log4j.PatternLayout",
  "log4j.appender.stdout.layout.ConversionPattern": "[%d] %p %m (%c)%n",
  "log4j.logger.org.apache.kafka.common.config": "WARN",
  "log4j.logger.org.reflections": "ERROR",
});

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once("exit", () => done());
  });
}

async function waitReady(
  url: string,
  pluginClass: string,
  child: ChildProcess,
  tail: () => string,
): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The Kafka 3.9 worker exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail()}`,
      );
    }
    const plugins = await axios
      .get<{ class: string }[]>(`${url}/connector-plugins`, { timeout: 5_000 })
      .catch(() => undefined);
    if (plugins?.status === 200 && plugins.data.some((p) => p.class === pluginClass)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `The Kafka 3.9 worker at ${url} did not list ${pluginClass} within 180 s:\n${tail()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Starts `ConnectDistributed` of the fetched jars in distributed mode, with its own group and
 * internal topics, its REST server on 127.0.0.1 at a free port, and its log, config and pid in
 * `~/.cache/tracking-pipeline/connect-3.9.2/runs/<group id>/`. Resolves once it lists the plugin.
 */
export async function startOlderWorker(o: OlderWorkerOptions): Promise<OlderWorker> {
  const dir = join(OLDER_WORKER_CACHE, "runs", o.groupId);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  const topics = {
    config: `_${o.groupId}-configs`,
    offsets: `_${o.groupId}-offsets`,
    status: `_${o.groupId}-status`,
  };
  const configFile = join(dir, "worker.properties");
  writeFileSync(
    configFile,
    properties({
      "bootstrap.servers": o.bootstrap,
      "group.id": o.groupId,
      "config.storage.topic": topics.config,
      "offset.storage.topic": topics.offsets,
      "status.storage.topic": topics.status,
      "config.storage.replication.factor": 1,
      "offset.storage.replication.factor": 1,
      "offset.storage.partitions": 1,
      "status.storage.replication.factor": 1,
      "status.storage.partitions": 1,
      // As on the platform's worker: the REST proxy writes JSON text, handed on untouched.
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
      listeners: url,
      "rest.advertised.host.name": HOST,
      "rest.advertised.port": port,
      "plugin.path": o.pluginPath,
      "offset.flush.interval.ms": 1000,
      "scheduled.rebalance.max.delay.ms": 0,
    }),
  );
  const log4jFile = join(dir, "log4j.properties");
  writeFileSync(log4jFile, LOG4J);
  const logFile = join(dir, "worker.log");
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
  const args = [
    "-Xms64m",
    "-Xmx512m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
    `-Dlog4j.configuration=file:${log4jFile}`,
    "-cp",
    `${o.libs}/*`,
    "org.apache.kafka.connect.cli.ConnectDistributed",
    configFile,
  ];
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(java, args, { stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start \`${java}\`; see ${logFile}.`);
  writeFileSync(join(dir, "worker.pid"), `${pid}\n`);

  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  // Without the clients' config dumps (one tab-indented line per setting), which bury the rest.
  const logTail = (lines = 80) =>
    log()
      .trimEnd()
      .split("\n")
      .filter((line) => !line.startsWith("\t"))
      .slice(-lines)
      .join("\n");
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, "SIGTERM");
    const killer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGKILL");
    }, 30_000);
    await exited(child);
    clearTimeout(killer);
  };
  try {
    await waitReady(url, o.pluginClass, child, () => `--- ${logFile} ---\n${logTail()}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    pid,
    logFile,
    internalTopics: Object.values(topics),
    log,
    logTail,
    stop,
  };
}
