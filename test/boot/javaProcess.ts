import { createServer } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAlive, spawnDetached, stopProcess, tail } from "../../platform/processes";

/** A JVM this test started, known by its recorded pid. */
export interface StartedJava {
  readonly pid: number;
  readonly pidFile: string;
  readonly logFile: string;
  /** Whether the recorded pid is still this process. */
  alive(): boolean;
  /** SIGTERM by the recorded pid (its process group), SIGKILL after the grace period. */
  stop(): Promise<string>;
  /** The last lines of its log, with `secrets` replaced by `***`. */
  tail(secrets: readonly string[], lines?: number): Promise<string>;
}

function java(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}

/** Kafka 4 logs through Log4j 2: INFO on stdout, the clients' config dumps at WARN. */
export function writeLog4j(file: string): void {
  writeFileSync(
    file,
    [
      "status=warn",
      "appender.console.type=Console",
      "appender.console.name=STDOUT",
      "appender.console.layout.type=PatternLayout",
      "appender.console.layout.pattern=[%d] %p %m (%c)%n",
      "rootLogger.level=INFO",
      "rootLogger.appenderRef.stdout.ref=STDOUT",
      "logger.config.name=org.apache.kafka.common.config",
      "logger.config.level=WARN",
      "",
    ].join("\n"),
  );
}

/**
 * Starts `mainClass` on `classpath` in its own process group, output to `<dir>/<name>.log`, pid
 * recorded in `<dir>/<name>.pid` with a marker in its command line (so a reused pid is never
 * signalled).
 */
export function startJava(spec: {
  readonly name: string;
  readonly dir: string;
  readonly classpath: string;
  readonly mainClass: string;
  readonly jvmArgs: readonly string[];
  readonly args: readonly string[];
}): StartedJava {
  const marker = `tracking.boot.process=${join(spec.dir, spec.name)}`;
  const pidFile = join(spec.dir, `${spec.name}.pid`);
  const logFile = join(spec.dir, `${spec.name}.log`);
  const record = spawnDetached({
    command: java(),
    args: [...spec.jvmArgs, `-D${marker}`, "-cp", spec.classpath, spec.mainClass, ...spec.args],
    logFile,
    pidFile,
    marker,
  });
  return {
    pid: record.pid,
    pidFile,
    logFile,
    alive: () => isAlive(record),
    stop: () => stopProcess(pidFile, 30_000),
    async tail(secrets, lines = 60) {
      let text = await tail(logFile, lines);
      for (const s of secrets) text = text.split(s).join("***");
      return text;
    },
  };
}

/** A port nothing listens on at the moment, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
