import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Ports of the local platform. Every one can be set by a CLI flag or an environment variable. */
export interface PlatformPorts {
  readonly kafka: number;
  readonly controller: number;
  readonly connect: number;
  readonly restProxy: number;
  readonly receiver: number;
  /** The Prometheus JMX exporter agent's `/metrics` in the Connect worker. */
  readonly connectMetrics: number;
  /** The Prometheus JMX exporter agent's `/metrics` in the REST proxy. */
  readonly restProxyMetrics: number;
  // The Kubernetes parts (with `kubernetes` on): etcd client and peer, API server, controller manager.
  readonly etcd: number;
  readonly etcdPeer: number;
  readonly kubeApiserver: number;
  readonly kubeControllerManager: number;
}

export interface PlatformSettings {
  /** Where fetched jars live, one folder per version key. */
  readonly cacheRoot: string;
  /** Where config, data, logs and pid files live. */
  readonly home: string;
  readonly ports: PlatformPorts;
  /** Extra JVM flags appended to every Java process, e.g. `-Xmx1g`. */
  readonly extraJvmOpts: readonly string[];
  /** Also run etcd, kube-apiserver and kube-controller-manager (platform/kubernetes/). */
  readonly kubernetes: boolean;
  /**
   * The secured profile (platform/secure/): SASL_SSL with SCRAM-SHA-512, ACLs, its own home and
   * ports, so that it runs alongside the plain one.
   */
  readonly secure: boolean;
  /**
   * The cluster profile (platform/cluster/): three KRaft nodes (replication 3, min ISR 2) and
   * three Connect workers in one group, its own home and ports, for the failure drills.
   */
  readonly cluster: boolean;
}

export interface PlatformOptions {
  readonly cacheRoot?: string;
  readonly home?: string;
  readonly ports?: Partial<PlatformPorts>;
  readonly extraJvmOpts?: readonly string[];
  readonly kubernetes?: boolean;
  readonly secure?: boolean;
  readonly cluster?: boolean;
}

export const DEFAULT_PORTS: PlatformPorts = {
  kafka: 19092,
  controller: 19093,
  connect: 18083,
  restProxy: 18080,
  receiver: 18090,
  connectMetrics: 18084,
  restProxyMetrics: 18081,
  etcd: 12379,
  etcdPeer: 12380,
  kubeApiserver: 16443,
  kubeControllerManager: 16257,
};

/** The secured profile's ports: each plain one plus 100, so both profiles run side by side. */
export const SECURE_DEFAULT_PORTS: PlatformPorts = {
  ...DEFAULT_PORTS,
  kafka: 19192,
  controller: 19193,
  connect: 18183,
  restProxy: 18180,
  receiver: 18190,
  connectMetrics: 18184,
  restProxyMetrics: 18181,
};

/**
 * The cluster profile's base ports: node (or worker) `i` of 3 listens on the base plus
 * `10 * (i - 1)` (Kafka 19292, 19302, 19312; controllers 19293, 19303, 19313; Connect 18283,
 * 18293, 18303), so it runs beside the plain and secured profiles.
 */
export const CLUSTER_DEFAULT_PORTS: PlatformPorts = {
  ...DEFAULT_PORTS,
  kafka: 19292,
  controller: 19293,
  connect: 18283,
  restProxy: 18280,
  receiver: 18290,
  connectMetrics: 18284,
  restProxyMetrics: 18281,
};

/** How many KRaft nodes and Connect workers the cluster profile runs. */
export const CLUSTER_SIZE = 3;
/** Port `i` (1-based) of a cluster profile's series that starts at `base`. */
export function clusterPort(base: number, i: number): number {
  return base + 10 * (i - 1);
}

/** Selects the cluster profile when `1` (the CLI's `--cluster`). */
export const CLUSTER_ENV = "TRACKING_PLATFORM_CLUSTER";

/** Selects the secured profile when `1` (the CLI's `--secure`). */
export const SECURE_ENV = "TRACKING_PLATFORM_SECURE";

/** Environment variable of each port. */
export const PORT_ENV: Record<keyof PlatformPorts, string> = {
  kafka: "TRACKING_PLATFORM_KAFKA_PORT",
  controller: "TRACKING_PLATFORM_CONTROLLER_PORT",
  connect: "TRACKING_PLATFORM_CONNECT_PORT",
  restProxy: "TRACKING_PLATFORM_REST_PROXY_PORT",
  receiver: "TRACKING_PLATFORM_RECEIVER_PORT",
  connectMetrics: "TRACKING_PLATFORM_CONNECT_METRICS_PORT",
  restProxyMetrics: "TRACKING_PLATFORM_REST_PROXY_METRICS_PORT",
  etcd: "TRACKING_PLATFORM_ETCD_PORT",
  etcdPeer: "TRACKING_PLATFORM_ETCD_PEER_PORT",
  kubeApiserver: "TRACKING_PLATFORM_KUBE_APISERVER_PORT",
  kubeControllerManager: "TRACKING_PLATFORM_KUBE_CONTROLLER_MANAGER_PORT",
};

/** The Maven reactor that pins every version of the platform. */
export const MAVEN_DIR = resolve(__dirname, "maven");
/** Our HTTP sink connector, a product module the platform builds and loads as its plugin. */
export const HTTP_SINK_DIR = resolve(__dirname, "..", "connectors", "http-sink");
const POMS = ["pom.xml", "kafka/pom.xml", "rest-proxy/pom.xml", "jmx-exporter/pom.xml"];
/** Sources compiled into the platform's own jars (REST proxy, admin tool): a change to them must produce a new key. */
const SOURCES_DIR = "rest-proxy/src/main";

/** Every file of a folder, sorted, as paths relative to it. */
function filesUnder(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      return e.isDirectory() ? filesUnder(dir, path) : [path];
    });
}

/** A version property of the parent pom. */
function pomVersion(property: string): string {
  const pom = readFileSync(join(MAVEN_DIR, "pom.xml"), "utf8");
  const match = new RegExp(`<${property}>([^<]+)</${property}>`).exec(pom);
  if (!match) throw new Error(`No <${property}> property in ${join(MAVEN_DIR, "pom.xml")}`);
  return match[1];
}

/** The Kafka version pinned in the parent pom, for display and for the cache key. */
export function kafkaVersion(): string {
  return pomVersion("kafka.version");
}

/** The Prometheus JMX exporter agent's version pinned in the parent pom. */
export function jmxExporterVersion(): string {
  return pomVersion("jmx-exporter.version");
}

/**
 * `kafka-<version>-<hash>`: the hash covers the poms and our Java sources (the REST proxy's and
 * the HTTP sink connector's), so editing either
 * lands in a fresh folder instead of mixing jars of two versions.
 */
export function versionKey(): string {
  const hash = createHash("sha256");
  const sources = filesUnder(join(MAVEN_DIR, SOURCES_DIR)).map((f) => `${SOURCES_DIR}/${f}`);
  for (const file of [...POMS, ...sources]) {
    hash.update(file);
    hash.update(readFileSync(join(MAVEN_DIR, file)));
  }
  // The connector's pom and main sources (its tests do not change the plugin).
  for (const file of [
    "pom.xml",
    ...filesUnder(join(HTTP_SINK_DIR, "src", "main")).map((f) => `src/main/${f}`),
  ]) {
    hash.update(`connectors/http-sink/${file}`);
    hash.update(readFileSync(join(HTTP_SINK_DIR, file)));
  }
  return `kafka-${kafkaVersion()}-${hash.digest("hex").slice(0, 12)}`;
}

/** Turns on the Kubernetes parts when `1` (or `true`). */
export const KUBERNETES_ENV = "TRACKING_PLATFORM_KUBERNETES";

/** An on/off environment variable: `1`/`true` or `0`/`false`/unset, anything else an error. */
export function parseSwitch(raw: string | undefined, setting: string): boolean {
  if (raw === undefined || raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new Error(`\`${setting}\` must be 1 or 0 (got "${raw}").`);
}

function portFromEnv(key: keyof PlatformPorts, env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[PORT_ENV[key]];
  if (raw === undefined || raw === "") return undefined;
  return parsePort(raw, PORT_ENV[key]);
}

/** Parses a TCP port, naming the setting it came from when it is not one. */
export function parsePort(raw: string, setting: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`\`${setting}\` must be a TCP port between 1 and 65535 (got "${raw}").`);
  }
  return port;
}

/** The secured profile's default home, under `~/.cache/tracking-pipeline/`. */
export const SECURE_HOME_DIR = "platform-secure-state";
/** The cluster profile's default home, under `~/.cache/tracking-pipeline/`. */
export const CLUSTER_HOME_DIR = "platform-cluster-state";

/** Every port a configuration listens on, by setting (the cluster's series expanded). */
function listeningPorts(ports: PlatformPorts, cluster: boolean): [string, number][] {
  const series: (keyof PlatformPorts)[] = ["kafka", "controller", "connect"];
  return (Object.entries(ports) as [keyof PlatformPorts, number][]).flatMap(([key, port]) =>
    cluster && series.includes(key)
      ? Array.from({ length: CLUSTER_SIZE }, (_, i): [string, number] => [
          i === 0 ? key : `${key} (node ${i + 1})`,
          clusterPort(port, i + 1),
        ])
      : [[key, port]],
  );
}

/** Resolves options over environment variables over defaults. */
export function resolveSettings(
  options: PlatformOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): PlatformSettings {
  const cacheBase = join(homedir(), ".cache", "tracking-pipeline");
  const secure = options.secure ?? parseSwitch(env[SECURE_ENV], SECURE_ENV);
  const cluster = options.cluster ?? parseSwitch(env[CLUSTER_ENV], CLUSTER_ENV);
  if (cluster && secure) {
    throw new Error(
      `The cluster profile (\`--cluster\`, \`${CLUSTER_ENV}\`) runs plain listeners only; ` +
        `drop \`--secure\` (or unset \`${SECURE_ENV}\`), or run the secured profile on its own.`,
    );
  }
  const defaults = secure ? SECURE_DEFAULT_PORTS : cluster ? CLUSTER_DEFAULT_PORTS : DEFAULT_PORTS;
  const ports = {} as Record<keyof PlatformPorts, number>;
  for (const key of Object.keys(DEFAULT_PORTS) as (keyof PlatformPorts)[]) {
    ports[key] = options.ports?.[key] ?? portFromEnv(key, env) ?? defaults[key];
  }
  const kubernetes = options.kubernetes ?? parseSwitch(env[KUBERNETES_ENV], KUBERNETES_ENV);
  if (secure && kubernetes) {
    throw new Error(
      `The secured profile (\`--secure\`, \`${SECURE_ENV}\`) does not run the Kubernetes parts; ` +
        `unset \`${KUBERNETES_ENV}\` (or drop \`--with-kubernetes\`) and run them with the plain platform.`,
    );
  }
  if (cluster && kubernetes) {
    throw new Error(
      `The cluster profile (\`--cluster\`, \`${CLUSTER_ENV}\`) does not run the Kubernetes parts; ` +
        `unset \`${KUBERNETES_ENV}\` (or drop \`--with-kubernetes\`) and run them with the plain platform.`,
    );
  }
  const seen = new Map<number, string>();
  for (const [key, port] of listeningPorts(ports, cluster)) {
    const other = seen.get(port);
    if (other) {
      throw new Error(`Ports \`${other}\` and \`${key}\` are both ${port}; give each its own.`);
    }
    seen.set(port, key);
  }
  const envJvm = env.TRACKING_PLATFORM_JVM_OPTS?.split(/\s+/).filter((s) => s !== "") ?? [];
  return {
    cacheRoot: resolve(
      options.cacheRoot ?? env.TRACKING_PLATFORM_CACHE ?? join(cacheBase, "platform"),
    ),
    home: resolve(
      options.home ??
        env.TRACKING_PLATFORM_HOME ??
        join(cacheBase, secure ? SECURE_HOME_DIR : cluster ? CLUSTER_HOME_DIR : "platform-state"),
    ),
    ports,
    extraJvmOpts: options.extraJvmOpts ?? envJvm,
    kubernetes,
    secure,
    cluster,
  };
}

/**
 * The file backend of the `local` stack: inside the platform's home, so that the stack's state
 * lives (and is reset) with the topics and connectors it describes, whichever clone deploys it.
 */
export function pulumiStateDir(settings: PlatformSettings): string {
  return join(settings.home, "pulumi-state");
}
