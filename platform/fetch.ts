import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  HTTP_SINK_DIR,
  MAVEN_DIR,
  PlatformSettings,
  jmxExporterVersion,
  kafkaVersion,
  versionKey,
} from "./settings";

/** Folders of one fetched platform version. */
export interface PlatformJars {
  readonly root: string;
  /** Broker, storage tool and Connect worker (one classpath, as in Kafka's distribution). */
  readonly kafkaLibs: string;
  readonly restProxyLibs: string;
  /** The worker's `plugin.path`: one sub-folder per connector plugin. */
  readonly pluginPath: string;
}

interface FetchMarker {
  readonly key: string;
  readonly kafkaVersion: string;
  readonly fetchedAt: string;
  readonly seconds: number;
}

const MARKER = "fetch-complete.json";

function layout(root: string): PlatformJars {
  return {
    root,
    kafkaLibs: join(root, "kafka", "libs"),
    restProxyLibs: join(root, "rest-proxy", "libs"),
    pluginPath: join(root, "plugins"),
  };
}

/** The Prometheus JMX exporter's Java agent jar (`-javaagent:`, self-contained) of a fetch. */
export function jmxAgentJar(jars: Pick<PlatformJars, "root">): string {
  return join(jars.root, "jmx-exporter", `jmx_prometheus_javaagent-${jmxExporterVersion()}.jar`);
}

/** The plugin folder of our HTTP sink connector under the worker's `plugin.path`. */
export const HTTP_SINK_PLUGIN = "tracking-http-sink";

/** Runs one Maven build into `partial`; on failure removes `partial` and says what to do. */
function runMaven(partial: string, pom: string, properties: readonly string[]): void {
  const result = spawnSync(
    "mvn",
    [
      "-q",
      "-B",
      "-f",
      pom,
      ...properties,
      // The unit tests run in `npm test` (test:java); the platform only needs the jars.
      "-Dmaven.test.skip=true",
      "package",
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  if (result.error) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(
      `Could not run Maven (\`mvn\`) to fetch the platform: ${result.error.message}. ` +
        "Install Maven 3.8+ and a JDK 17+ and make sure `mvn` is on PATH.",
    );
  }
  if (result.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const output = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-30).join("\n");
    throw new Error(
      `Maven failed to fetch the platform (exit ${result.status}); see ${pom}.\n${output}`,
    );
  }
}

/** True when this version has been fetched completely, so `up` needs no network. */
export function isFetched(settings: PlatformSettings): boolean {
  return existsSync(join(settings.cacheRoot, versionKey(), MARKER));
}

/**
 * Lays out every jar of the pinned versions under `<cache>/<version key>/`. With the marker
 * present it returns at once without starting Maven, so a warm machine makes no network request.
 * Maven writes into a temporary sibling folder that is renamed at the end: an interrupted fetch
 * never leaves a half-filled folder that looks complete.
 */
export function ensureFetched(
  settings: PlatformSettings,
  log: (line: string) => void = () => undefined,
): PlatformJars {
  const key = versionKey();
  const root = join(settings.cacheRoot, key);
  if (existsSync(join(root, MARKER))) return layout(root);

  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`Fetching platform jars (${key}) with Maven into ${root} ...`);
  const started = Date.now();
  // The platform's pinned jars, then our HTTP sink connector (the product module, built and
  // laid out as the worker's plugin): the same build the production Connect image installs.
  runMaven(partial, join(MAVEN_DIR, "pom.xml"), [`-Dplatform.cache=${partial}`]);
  runMaven(partial, join(HTTP_SINK_DIR, "pom.xml"), [
    // Built against the worker's Kafka, whatever the module's own pom says.
    `-Dkafka.version=${kafkaVersion()}`,
    `-Dconnector.build.dir=${join(partial, "build", "http-sink")}`,
    `-Dconnector.plugin.dir=${join(partial, "plugins", HTTP_SINK_PLUGIN)}`,
  ]);
  rmSync(join(partial, "build"), { recursive: true, force: true });
  const agent = jmxAgentJar({ root: partial });
  if (!existsSync(agent)) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(
      `Maven ran but left no ${agent}; check <jmx-exporter.version> in ${join(MAVEN_DIR, "pom.xml")} ` +
        "and platform/maven/jmx-exporter/pom.xml.",
    );
  }
  const seconds = (Date.now() - started) / 1000;
  const marker: FetchMarker = {
    key,
    kafkaVersion: kafkaVersion(),
    fetchedAt: new Date().toISOString(),
    seconds,
  };
  writeFileSync(join(partial, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
  log(`Fetched in ${seconds.toFixed(1)} s.`);
  return layout(root);
}

/** What the marker of the current version says, if it exists. */
export function fetchInfo(settings: PlatformSettings): FetchMarker | undefined {
  const file = join(settings.cacheRoot, versionKey(), MARKER);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as FetchMarker;
}
