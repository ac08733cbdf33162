import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Component, HOST, stateFiles } from "./component";
import {
  configProviderProperties,
  connectSecretsDirectory,
  ensureConnectSecretsDirectory,
} from "./connectSecrets";
import { PlatformJars } from "./fetch";
import { javaCommand, javaComponent } from "./java";
import { withMetricsAgent } from "./metricsAgent";
import { httpGet, kafkaApiVersionsOk } from "./probes";
import { PlatformSettings } from "./settings";
import { addScramArgs, brokerSecurity, restProxySecurity, workerSecurity } from "./secure/config";
import {
  SecureCredentials,
  credentialsFile,
  ensureCredentials,
  readCredentials,
  redact,
} from "./secure/credentials";
import { ensureTls, tlsFiles } from "./secure/tls";
import { CLUSTER_BROKER_CONFIG, CLUSTER_HEAP, CLUSTER_WORKER_CONFIG } from "./cluster/config";
import {
  ConnectWorker,
  KafkaNode,
  bootstrapServers,
  connectWorkers,
  kafkaNodes,
  quorumVoters,
} from "./topology";

export { COMPONENTS, HOST, stateFiles } from "./component";
export type { Component, ComponentName } from "./component";

/** Class of our HTTP sink connector (connectors/http-sink), the plugin the worker loads. */
export const HTTP_SINK_CONNECTOR_CLASS = "tracking.connect.http.HttpSinkConnector";

/** A KRaft cluster id: 16 random bytes, base64url without padding, as Kafka's Uuid prints it. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id; // Kafka's own generator skips these too
  }
}

export function clusterIdFile(settings: PlatformSettings): string {
  // The cluster profile's nodes share one id, formatted into each node's storage.
  return settings.cluster
    ? join(settings.home, "cluster-id")
    : join(settings.home, "broker", "cluster-id");
}

/** Makes the KRaft cluster id once, before any node formats its storage with it. */
export function ensureClusterId(settings: PlatformSettings): string {
  const existing = readClusterId(settings);
  if (existing) return existing;
  const id = newClusterId();
  mkdirSync(dirname(clusterIdFile(settings)), { recursive: true });
  writeFileSync(clusterIdFile(settings), `${id}\n`);
  return id;
}

export function readClusterId(settings: PlatformSettings): string | undefined {
  const file = clusterIdFile(settings);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

/** A KRaft node's properties, but the secured profile's listeners and SASL (platform/secure/). */
export function brokerProperties(
  settings: PlatformSettings,
  node: KafkaNode,
): Record<string, string | number> {
  const kafka = node.kafkaPort;
  const controller = node.controllerPort;
  const dataDir = join(node.dir, "data");
  return {
    "process.roles": "broker,controller",
    "node.id": node.id,
    // A static voter set, so the storage is formatted without --standalone.
    "controller.quorum.voters": quorumVoters(settings),
    listeners: `PLAINTEXT://${HOST}:${kafka},CONTROLLER://${HOST}:${controller}`,
    "advertised.listeners": `PLAINTEXT://${HOST}:${kafka},CONTROLLER://${HOST}:${controller}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    "log.dirs": dataDir,
    "num.partitions": 1,
    // Topics are declared (by the stack, or by tests through the REST proxy's v3 API), as in
    // production; an unknown topic is an error, not a new topic.
    "auto.create.topics.enable": "false",
    "offsets.topic.replication.factor": 1,
    // 50 partitions by default: creating them is most of a cold consumer group's first join.
    "offsets.topic.num.partitions": 5,
    "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1,
    "transaction.state.log.num.partitions": 5,
    "share.coordinator.state.topic.replication.factor": 1,
    "share.coordinator.state.topic.min.isr": 1,
    "group.initial.rebalance.delay.ms": 0,
    // Cluster profile: replication 3 and min ISR 2, as `prod`, and fast failover.
    ...(settings.cluster ? CLUSTER_BROKER_CONFIG : {}),
  };
}

/** A KRaft node (broker and controller): the only one, or node `node.id` of the cluster profile. */
export function brokerComponent(
  settings: PlatformSettings,
  jars: PlatformJars,
  node: KafkaNode = kafkaNodes(settings)[0],
): Component {
  const { dir } = node;
  const dataDir = join(dir, "data");
  const kafka = node.kafkaPort;
  const classpath = `${jars.kafkaLibs}/*`;
  let formatted = false;
  // Secured profile: the users (and their passwords) are made when the storage is first formatted.
  let creds: SecureCredentials | undefined;
  const security = (): Record<string, string | number> => {
    if (!settings.secure) return {};
    creds = ensureCredentials(settings.home, !existsSync(join(dataDir, "meta.properties")));
    return brokerSecurity(settings, creds, ensureTls(settings.home));
  };
  return javaComponent(settings, {
    name: node.name,
    port: kafka,
    endpoint: `${HOST}:${kafka}`,
    readyTimeoutMs: 90_000,
    dir,
    configFileName: "server.properties",
    classpath,
    mainClass: "kafka.Kafka",
    heap: settings.cluster ? CLUSTER_HEAP : "512m",
    config: () => ({
      ...brokerProperties(settings, node),
      // Secured profile: its listeners, SASL, TLS and the authorizer replace the plain listeners.
      ...security(),
    }),
    afterPrepare(configFile) {
      mkdirSync(dataDir, { recursive: true });
      if (existsSync(join(dataDir, "meta.properties"))) {
        formatted = true;
        return;
      }
      const clusterId = ensureClusterId(settings);
      // StorageTool calls System.exit, so it runs as its own short-lived JVM.
      const format = javaCommand(
        settings,
        { name: node.name, heap: "256m", classpath, mainClass: "kafka.tools.StorageTool" },
        [
          "format",
          "-t",
          clusterId,
          "-c",
          configFile,
          "--ignore-formatted",
          ...(creds ? addScramArgs(creds) : []),
        ],
      );
      const result = spawnSync(format.command, format.args, { encoding: "utf8" });
      if (result.status !== 0) {
        const output = `${result.stdout}\n${result.stderr}`.trim();
        throw new Error(
          `Formatting the KRaft storage in ${dataDir} failed (exit ${result.status}):\n` +
            (creds ? redact(output, creds) : output),
        );
      }
      formatted = true;
    },
    beforeStart() {
      if (!formatted) throw new Error(`${node.name}: prepare() must run before command()`);
    },
    ready: () =>
      kafkaApiVersionsOk(
        HOST,
        kafka,
        2000,
        settings.secure ? { ca: readFileSync(tlsFiles(settings.home).caCert, "utf8") } : undefined,
      ),
  });
}

/** The worker's group id (it is also the group the secured platform grants `connect`). */
export const CONNECT_GROUP_ID = "tracking-connect";

export const CONNECT_TOPICS = {
  config: "_tracking-connect-configs",
  offsets: "_tracking-connect-offsets",
  status: "_tracking-connect-status",
};

/** The worker's properties file, rewritten before each start: what the running worker read. */
export function connectConfigFile(
  settings: PlatformSettings,
  worker: ConnectWorker = connectWorkers(settings)[0],
): string {
  return join(worker.dir, "worker.properties");
}

/** Everything a worker reads from `worker.properties`. */
export function connectWorkerConfig(
  settings: PlatformSettings,
  jars: PlatformJars,
  worker: ConnectWorker = connectWorkers(settings)[0],
): Record<string, string | number> {
  const { port, url } = worker;
  return {
    "bootstrap.servers": bootstrapServers(settings),
    "group.id": CONNECT_GROUP_ID,
    "config.storage.topic": CONNECT_TOPICS.config,
    "offset.storage.topic": CONNECT_TOPICS.offsets,
    "status.storage.topic": CONNECT_TOPICS.status,
    "config.storage.replication.factor": 1,
    "offset.storage.replication.factor": 1,
    "offset.storage.partitions": 5,
    "status.storage.replication.factor": 1,
    "status.storage.partitions": 1,
    // The REST proxy writes JSON text; StringConverter hands that text to the sink untouched,
    // so the receiver gets byte for byte what the producer posted.
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    listeners: url,
    "rest.advertised.host.name": HOST,
    "rest.advertised.port": port,
    "plugin.path": jars.pluginPath,
    // Every plugin here ships ServiceLoader manifests (Kafka's own since 3.6, ours too), so
    // the slow reflective scan of each jar can be skipped.
    "plugin.discovery": "service_load",
    "connector.client.config.override.policy": "All",
    // Commit sink offsets every second so tests see progress quickly.
    "offset.flush.interval.ms": 1000,
    // One worker: after a restart it must get its connectors back at once, not after the
    // 5-minute grace period meant for a departed peer to return.
    "scheduled.rebalance.max.delay.ms": 0,
    // Connector secrets are references (`${dir:<folder>:<file>}`) resolved from files in the
    // platform's secrets folder, and from no other folder.
    ...configProviderProperties(connectSecretsDirectory(settings)),
    // Cluster profile: internal topics replicated 3 times, and a dead worker's tasks moved fast.
    ...(settings.cluster ? CLUSTER_WORKER_CONFIG : {}),
    // Secured profile: the worker and its tasks' clients as `connect`; a connector may still
    // override them with its own principal (policy All, above).
    ...(settings.secure
      ? workerSecurity(
          readCredentials(credentialsFile(settings.home)),
          tlsFiles(settings.home).caCert,
        )
      : {}),
  };
}

/**
 * A Connect worker: the only one, or one of the cluster profile's three. The one worker's JVM
 * carries the Prometheus JMX exporter agent (platform/metricsAgent.ts); the cluster's workers do
 * not (one metrics port per profile).
 */
export function connectComponent(
  settings: PlatformSettings,
  jars: PlatformJars,
  member: ConnectWorker = connectWorkers(settings)[0],
): Component {
  const { port, url } = member;
  const configFile = connectConfigFile(settings, member);
  const worker = javaComponent(settings, {
    name: member.name,
    port,
    endpoint: url,
    readyTimeoutMs: 120_000,
    dir: dirname(configFile),
    configFileName: basename(configFile),
    classpath: `${jars.kafkaLibs}/*`,
    mainClass: "org.apache.kafka.connect.cli.ConnectDistributed",
    heap: settings.cluster ? CLUSTER_HEAP : "768m",
    config: () => connectWorkerConfig(settings, jars, member),
    afterPrepare() {
      ensureConnectSecretsDirectory(settings);
    },
    async ready() {
      const health = await httpGet(`${url}/health`);
      if (health?.status !== 200) return false;
      const plugins = await httpGet(`${url}/connector-plugins`);
      return plugins?.status === 200 && plugins.body.includes(HTTP_SINK_CONNECTOR_CLASS);
    },
  });
  return settings.cluster ? worker : withMetricsAgent(worker, settings, jars, "connect");
}

/**
 * The REST proxy stand-in with the metrics agent. `overrides` are more of Confluent's keys for its
 * config file (say `rate.limit.enable`): the platform's own proxy runs without any, tests start a
 * second proxy with them.
 */
export function restProxyComponent(
  settings: PlatformSettings,
  jars: PlatformJars,
  overrides: Readonly<Record<string, string | number>> = {},
): Component {
  const port = settings.ports.restProxy;
  const url = `http://${HOST}:${port}`;
  const proxy = javaComponent(settings, {
    name: "rest-proxy",
    port,
    endpoint: url,
    readyTimeoutMs: 60_000,
    dir: join(settings.home, "rest-proxy"),
    configFileName: "rest-proxy.properties",
    classpath: `${jars.restProxyLibs}/*`,
    mainClass: "tracking.platform.restproxy.RestProxy",
    heap: "256m",
    config: () => ({
      listeners: url,
      "bootstrap.servers": bootstrapServers(settings),
      "cluster.id": readClusterId(settings) ?? "local",
      "producer.acks": "all",
      "producer.linger.ms": 1,
      // Secured profile: Confluent's `client.*` keys, as `rest-proxy`.
      ...(settings.secure
        ? restProxySecurity(
            readCredentials(credentialsFile(settings.home)),
            tlsFiles(settings.home).caCert,
          )
        : {}),
      ...overrides,
    }),
    // Listing topics goes through to the broker: ready means able to produce.
    ready: async () => (await httpGet(`${url}/topics`))?.status === 200,
  });
  return withMetricsAgent(proxy, settings, jars, "rest-proxy");
}

export function receiverComponent(settings: PlatformSettings): Component {
  const port = settings.ports.receiver;
  const url = `http://${HOST}:${port}`;
  const script = resolve(__dirname, "receiver.ts");
  return {
    name: "receiver",
    port,
    endpoint: url,
    readyTimeoutMs: 30_000,
    prepare() {
      mkdirSync(settings.home, { recursive: true });
    },
    command() {
      // node --import tsx runs the TypeScript in this one process (the tsx CLI would fork a
      // child), so the recorded pid is the server itself.
      return {
        command: process.execPath,
        args: [
          "--import",
          "tsx",
          script,
          "--host",
          HOST,
          "--port",
          String(port),
          "--marker",
          stateFiles(settings, "receiver").marker,
        ],
      };
    },
    ready: async () => (await httpGet(`${url}/_receiver/stats`))?.status === 200,
  };
}
