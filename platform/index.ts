import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  COMPONENTS,
  CONNECT_GROUP_ID,
  CONNECT_TOPICS,
  Component,
  ComponentName,
  HOST,
  brokerComponent,
  connectComponent,
  connectConfigFile,
  connectWorkerConfig,
  ensureClusterId,
  receiverComponent,
  restProxyComponent,
  stateFiles,
} from "./components";
import {
  CLUSTER_COMPONENTS,
  CLUSTER_NODES,
  CLUSTER_WORKERS,
  COMPONENT_PORT_KEY,
  EVERY_COMPONENT,
  KUBERNETES_COMPONENTS,
} from "./component";
import { connectWorkers, kafkaNodes } from "./topology";
import { PlatformEndpoints, endpoints, endpointsFile } from "./endpoints";
import { ensureConnectSecretsDirectory } from "./connectSecrets";
import { METRICS_PROCESS, agentMissing, checkAgentCanStart, metricsUrl } from "./metricsAgent";
import { jvmOptionChanges, workerConfigChanges } from "./workerReuse";
import { PlatformJars, ensureFetched } from "./fetch";
import { kubernetesComponents } from "./kubernetes/components";
import { applyOperatorCrds } from "./kubernetes/operatorCrds";
import { portOpen } from "./probes";
import { withStartLock } from "./startLock";
import { prepareWorkerAccess } from "./secure/admin";
import { credentialsFile, readCredentials } from "./secure/credentials";
import { isAlive, readPid, spawnDetached, stopProcess, tail } from "./processes";
import { PORT_ENV, PlatformOptions, resolveSettings } from "./settings";

export type { ComponentName } from "./components";
export type { ClusterEndpoints, PlatformEndpoints, SecurityEndpoint } from "./endpoints";
export { endpointsFile } from "./endpoints";
export { COMPONENTS, HTTP_SINK_CONNECTOR_CLASS } from "./components";
export { CLUSTER_COMPONENTS, EVERY_COMPONENT, KUBERNETES_COMPONENTS } from "./component";
export type { KubernetesEndpoints } from "./kubernetes/components";
export type { PlatformOptions, PlatformPorts, PlatformSettings } from "./settings";
export { DEFAULT_PORTS, resolveSettings } from "./settings";
export { ensureFetched, isFetched } from "./fetch";

export interface StartResult {
  readonly endpoints: PlatformEndpoints;
  /** Components this call started; the rest were already running and were reused. */
  readonly started: readonly ComponentName[];
  readonly reused: readonly ComponentName[];
  readonly seconds: number;
}

export interface ComponentStatus {
  readonly name: ComponentName;
  readonly running: boolean;
  readonly pid?: number;
  readonly endpoint: string;
  /** Its Prometheus metrics URL, for the components that carry the metrics agent. */
  readonly metricsUrl?: string;
}

export interface StartOptions extends PlatformOptions {
  /** Progress lines (the CLI prints them; tests may pass a no-op). Defaults to no output. */
  readonly log?: (line: string) => void;
  /**
   * When a component fails to start, stop the ones this call started (CI must not leak
   * processes). Defaults to false: the CLI leaves them running for inspection.
   */
  readonly stopStartedOnFailure?: boolean;
}

const REPO_ROOT = resolve(__dirname, "..");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The components of this configuration (its profile's nodes and workers), by name. */
function components(
  options: PlatformOptions,
  jars: PlatformJars,
): Partial<Record<ComponentName, Component>> {
  const settings = resolveSettings(options);
  const all: Partial<Record<ComponentName, Component>> = {
    "rest-proxy": restProxyComponent(settings, jars),
    receiver: receiverComponent(settings),
    ...(settings.kubernetes ? kubernetesComponents(settings) : {}),
  };
  for (const node of kafkaNodes(settings)) all[node.name] = brokerComponent(settings, jars, node);
  for (const worker of connectWorkers(settings)) {
    all[worker.name] = connectComponent(settings, jars, worker);
  }
  return all;
}

/** Every component this configuration runs, in start order. */
function namesFor(options: PlatformOptions): ComponentName[] {
  const settings = resolveSettings(options);
  if (settings.cluster) return [...CLUSTER_COMPONENTS];
  return [...COMPONENTS, ...(settings.kubernetes ? KUBERNETES_COMPONENTS : [])];
}

/**
 * Starts (or reuses) one component and waits until it is ready. Throws with the tail of its log
 * when it exits or is not ready in time. `changes`, when given, lists what differs between the
 * running process's config and this build's: a running process with changes is restarted.
 * Exported for tests that start a component of their own (in a home and on ports of their own).
 */
export async function startComponent(
  options: PlatformOptions,
  jars: PlatformJars,
  component: Component,
  log: (line: string) => void,
  onSpawn: () => void,
  changes?: () => string[],
): Promise<"started" | "reused"> {
  const settings = resolveSettings(options);
  const files = stateFiles(settings, component.name);
  let existing = readPid(files.pidFile);
  let pid: number;
  let outcome: "started" | "reused";
  const changed = existing && isAlive(existing) ? (changes?.() ?? []) : [];
  if (changed.length > 0) {
    // Checked before the old process goes: a start that cannot happen must not leave it stopped.
    // (Its metrics port is the old process's until then: checked after the stop.)
    const metrics = METRICS_PROCESS[component.name];
    const missing = metrics ? agentMissing(jars, metrics) : undefined;
    if (missing) throw new Error(missing);
    log(
      `${component.name} (pid ${existing?.pid}) runs with an older config (differs in ` +
        `${changed.join(", ")}); restarting it`,
    );
    await stopProcess(files.pidFile, 20_000);
    existing = undefined;
  }
  if (existing && isAlive(existing)) {
    pid = existing.pid;
    outcome = "reused";
  } else {
    await checkAgentCanStart(settings, jars, component.name);
    if (await portOpen(HOST, component.port)) {
      throw new Error(
        `${component.name}: port ${component.port} is already taken by a process this platform ` +
          `did not start (no live pid in ${files.pidFile}). Stop that process, or pick another ` +
          `port with \`${PORT_ENV[COMPONENT_PORT_KEY[component.name]]}\`.`,
      );
    }
    component.prepare();
    const { command, args } = component.command();
    log(`Starting ${component.name} (log: ${files.logFile})`);
    pid = spawnDetached({
      command,
      args,
      cwd: REPO_ROOT,
      logFile: files.logFile,
      pidFile: files.pidFile,
      marker: files.marker,
    }).pid;
    onSpawn();
    outcome = "started";
  }
  const deadline = Date.now() + component.readyTimeoutMs;
  for (;;) {
    if (await component.ready()) return outcome;
    const record = readPid(files.pidFile);
    if (!record || !isAlive(record)) {
      throw new Error(
        `${component.name} (pid ${pid}) exited before it was ready. Last lines of ${files.logFile}:\n` +
          (await tail(files.logFile, 40)),
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${component.name} (pid ${pid}) was not ready at ${component.endpoint} within ` +
          `${component.readyTimeoutMs / 1000} s; it is left running for inspection ` +
          `(\`npm run platform -- down\` stops it). Last lines of ${files.logFile}:\n` +
          (await tail(files.logFile, 40)),
      );
    }
    await sleep(250);
  }
}

/**
 * Secured profile, before the worker starts: as `admin`, its internal topics and the least
 * privilege `connect` needs on them and on its group. Skipped while the worker is running.
 */
async function grantWorker(
  options: PlatformOptions,
  jars: PlatformJars,
  log: (line: string) => void,
): Promise<void> {
  const settings = resolveSettings(options);
  const record = readPid(stateFiles(settings, "connect").pidFile);
  if (record && isAlive(record)) return;
  const began = Date.now();
  await prepareWorkerAccess(settings, jars, readCredentials(credentialsFile(settings.home)), {
    groupId: CONNECT_GROUP_ID,
    ...CONNECT_TOPICS,
  });
  log(
    `Worker's internal topics and ACLs for User:connect in place (${((Date.now() - began) / 1000).toFixed(1)} s)`,
  );
}

/**
 * Fetches the jars if needed, then starts the broker, then Connect and the REST proxy together;
 * the receiver starts alongside the broker since it needs nothing else. Components already
 * running (live recorded pid) are reused. Writes the endpoints to `<home>/endpoints.json`.
 */
export async function startPlatform(options: StartOptions = {}): Promise<StartResult> {
  const log = options.log ?? (() => undefined);
  const began = Date.now();
  const settings = resolveSettings(options);
  mkdirSync(settings.home, { recursive: true });
  return withStartLock(settings.home, log, () => startUnlocked(options, log, began));
}

async function startUnlocked(
  options: StartOptions,
  log: (line: string) => void,
  began: number,
): Promise<StartResult> {
  const settings = resolveSettings(options);
  const jars = ensureFetched(settings, log);
  // Made (or its mode set to 0700) even when the worker is reused; never removed by `down`.
  ensureConnectSecretsDirectory(settings);
  const all = components(options, jars);
  const component = (name: ComponentName): Component => {
    const c = all[name];
    if (!c) throw new Error(`${name} is not part of this profile`);
    return c;
  };
  const outcomes = new Map<ComponentName, "started" | "reused">();
  const spawned = new Set<ComponentName>();
  // The worker reads its properties at start only: one started by an older build is restarted.
  // So is a worker or REST proxy whose JVM runs without this build's metrics agent options.
  const jvmChanges = (name: ComponentName): string[] => {
    const { command, args } = component(name).command();
    return jvmOptionChanges(stateFiles(settings, name).pidFile, [command, ...args]);
  };
  const changes: Partial<Record<ComponentName, () => string[]>> = {
    "rest-proxy": () => jvmChanges("rest-proxy"),
  };
  for (const worker of connectWorkers(settings)) {
    changes[worker.name] = () => [
      ...workerConfigChanges(
        connectConfigFile(settings, worker),
        connectWorkerConfig(settings, jars, worker),
      ),
      ...jvmChanges(worker.name),
    ];
  }
  const run = async (name: ComponentName): Promise<void> => {
    outcomes.set(
      name,
      await startComponent(
        options,
        jars,
        component(name),
        log,
        () => spawned.add(name),
        changes[name],
      ),
    );
    log(`${name} ready at ${component(name).endpoint} (${outcomes.get(name)})`);
  };
  // allSettled, so a failure in one does not leave its sibling's error unreported.
  const settle = async (names: ComponentName[]): Promise<void> => {
    const results = await Promise.allSettled(names.map(run));
    const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1)
      throw new Error(errors.map((e) => (e instanceof Error ? e.message : String(e))).join("\n\n"));
  };
  try {
    const kube = settings.kubernetes;
    const nodes = kafkaNodes(settings).map((n) => n.name);
    const workers = connectWorkers(settings).map((w) => w.name);
    // The cluster's nodes start together (a quorum needs two of them) on one id made before.
    if (settings.cluster) ensureClusterId(settings);
    await settle([...nodes, "receiver", ...(kube ? (["etcd"] as const) : [])]);
    if (settings.secure) await grantWorker(options, jars, log);
    await settle([...workers, "rest-proxy", ...(kube ? (["kube-apiserver"] as const) : [])]);
    if (kube) await settle(["kube-controller-manager"]);
    if (kube) applyOperatorCrds(settings, (line) => log(line));
  } catch (err) {
    if (options.stopStartedOnFailure) await stopPlatform({ ...options, only: [...spawned] });
    throw err;
  }

  const result: StartResult = {
    endpoints: endpoints(options),
    started: namesFor(options).filter((c) => outcomes.get(c) === "started"),
    reused: namesFor(options).filter((c) => outcomes.get(c) === "reused"),
    seconds: (Date.now() - began) / 1000,
  };
  writeFileSync(endpointsFile(options), `${JSON.stringify(result.endpoints, null, 2)}\n`);
  return result;
}

/**
 * Stops the components (all by default) by their recorded pids, in reverse start order: SIGTERM,
 * then SIGKILL after `graceMs`. Processes this platform did not start are never touched. The
 * cluster profile's workers stop together, then its nodes together: the last KRaft node left
 * alone would wait for a quorum that is gone and need the SIGKILL.
 */
export async function stopPlatform(
  options: StartOptions & { only?: readonly ComponentName[]; graceMs?: number } = {},
): Promise<Record<ComponentName, "stopped" | "killed" | "not-running">> {
  const settings = resolveSettings(options);
  const log = options.log ?? (() => undefined);
  // The Kubernetes parts too, whether on or not: `down` leaves nothing it started running.
  const wanted = (n: ComponentName): boolean => !options.only || options.only.includes(n);
  const groups: ComponentName[][] = [
    ...[...KUBERNETES_COMPONENTS].reverse().map((n) => [n]),
    ["receiver"],
    ["rest-proxy"],
    ["connect", ...CLUSTER_WORKERS],
    ["broker", ...CLUSTER_NODES],
  ];
  const outcome = {} as Record<ComponentName, "stopped" | "killed" | "not-running">;
  for (const group of groups) {
    await Promise.all(
      group.filter(wanted).map(async (name) => {
        const result = await stopProcess(
          stateFiles(settings, name).pidFile,
          options.graceMs ?? 20_000,
        );
        outcome[name] = result;
        if (result !== "not-running") log(`${name}: ${result}`);
      }),
    );
  }
  return outcome;
}

/** Each component, whether its recorded process is alive, and its endpoint. */
export function platformStatus(options: PlatformOptions = {}): ComponentStatus[] {
  const settings = resolveSettings(options);
  const e = endpoints(options);
  const kube = kubernetesComponents(settings);
  const endpoint: Partial<Record<ComponentName, string>> = {
    "rest-proxy": e.restProxyUrl,
    receiver: e.receiverUrl,
    etcd: kube.etcd.endpoint,
    "kube-apiserver": kube["kube-apiserver"].endpoint,
    "kube-controller-manager": kube["kube-controller-manager"].endpoint,
  };
  for (const node of kafkaNodes(settings)) endpoint[node.name] = `${HOST}:${node.kafkaPort}`;
  for (const worker of connectWorkers(settings)) endpoint[worker.name] = worker.url;
  const own = namesFor(options);
  const order = [...own, ...EVERY_COMPONENT.filter((n) => !own.includes(n))];
  const statuses = order.map((name) => {
    const record = readPid(stateFiles(settings, name).pidFile);
    const running = record !== undefined && isAlive(record);
    // The cluster profile's workers carry no agent (one metrics port per profile).
    const metrics = settings.cluster && name !== "rest-proxy" ? undefined : METRICS_PROCESS[name];
    return {
      name,
      running,
      pid: running ? record.pid : undefined,
      endpoint: endpoint[name] ?? "",
      ...(metrics ? { metricsUrl: metricsUrl(settings, metrics) } : {}),
    };
  });
  // This profile's parts, and any other still running in its home.
  return statuses.filter((s) => own.includes(s.name) || s.running);
}

/**
 * `down`, then removes every piece of state: topic data, Connect's topics, configs, logs, the
 * Connect secrets folder, and the local stack's Pulumi state (`pulumi-state/`), which describes
 * that data.
 */
export async function resetPlatform(options: StartOptions = {}): Promise<void> {
  await stopPlatform(options);
  const { home } = resolveSettings(options);
  if (existsSync(home)) rmSync(home, { recursive: true, force: true });
}

/** The log file of a component. */
export function logFile(name: ComponentName, options: PlatformOptions = {}): string {
  return stateFiles(resolveSettings(options), name).logFile;
}
