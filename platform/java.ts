import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Component, ComponentName, properties, stateFiles } from "./component";
import { PlatformSettings } from "./settings";

/**
 * How the platform declares a Java process (the broker, Connect, the REST proxy): a main class on
 * a classpath, reading one `.properties` file, with the shared JVM options, Log4j 2 config and the
 * marker that ties its pid to this platform. A new Java process is one {@link javaComponent} call.
 */
export interface JavaProcess {
  readonly name: ComponentName;
  readonly port: number;
  readonly endpoint: string;
  readonly readyTimeoutMs: number;
  /** Its folder in the platform home, holding its config file (and data, if any). */
  readonly dir: string;
  /** The config file's name in `dir`; rewritten from `config()` before every start. */
  readonly configFileName: string;
  readonly config: () => Record<string, string | number>;
  /** Classpath entries, e.g. `<libs>/*`. */
  readonly classpath: string;
  readonly mainClass: string;
  /** `-Xmx` of the process. */
  readonly heap: string;
  /** Runs after the config is written, before the start (the broker formats its storage). */
  readonly afterPrepare?: (configFile: string) => void;
  /** Checked before `command()` (a step of `afterPrepare` that must have run). */
  readonly beforeStart?: () => void;
  readonly ready: () => Promise<boolean>;
}

function java(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}

export function log4jFile(settings: PlatformSettings): string {
  return join(settings.home, "log4j2.properties");
}

/**
 * Small heaps, the serial collector and C1 only: on a 2-core machine these JVMs spend their
 * start-up compiling and collecting, and none of them needs peak throughput for tests.
 * TRACKING_PLATFORM_JVM_OPTS is appended last, so it can override any of these.
 */
function jvmOpts(settings: PlatformSettings, name: ComponentName, heap: string): string[] {
  return [
    `-Xms64m`,
    `-Xmx${heap}`,
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${log4jFile(settings)}`,
    `-D${stateFiles(settings, name).marker}`,
    ...settings.extraJvmOpts,
  ];
}

/** The `java` command line of a main class, with the platform's JVM options. */
export function javaCommand(
  settings: PlatformSettings,
  run: { name: ComponentName; heap: string; classpath: string; mainClass: string },
  args: readonly string[],
): { command: string; args: string[] } {
  return {
    command: java(),
    args: [...jvmOpts(settings, run.name, run.heap), "-cp", run.classpath, run.mainClass, ...args],
  };
}

/** Kafka 4 logs through Log4j 2; the clients' config dumps are noise at INFO. */
function writeLog4j(file: string): void {
  writeFileSync(
    file,
    properties({
      status: "warn",
      "appender.console.type": "Console",
      "appender.console.name": "STDOUT",
      "appender.console.layout.type": "PatternLayout",
      "appender.console.layout.pattern": "[%d] %p %m (%c)%n",
      "rootLogger.level": "INFO",
      "rootLogger.appenderRef.stdout.ref": "STDOUT",
      "logger.config.name": "org.apache.kafka.common.config",
      "logger.config.level": "WARN",
      "logger.reflections.name": "org.reflections",
      "logger.reflections.level": "ERROR",
    }),
  );
}

/** The component of a declared Java process. */
export function javaComponent(settings: PlatformSettings, p: JavaProcess): Component {
  const configFile = join(p.dir, p.configFileName);
  return {
    name: p.name,
    port: p.port,
    endpoint: p.endpoint,
    readyTimeoutMs: p.readyTimeoutMs,
    prepare() {
      mkdirSync(p.dir, { recursive: true });
      writeLog4j(log4jFile(settings));
      // 0600: the secured profile's configs hold passwords (JAAS lines).
      writeFileSync(configFile, properties(p.config()), { mode: 0o600 });
      chmodSync(configFile, 0o600);
      p.afterPrepare?.(configFile);
    },
    command() {
      p.beforeStart?.();
      return javaCommand(settings, p, [configFile]);
    },
    ready: p.ready,
  };
}
