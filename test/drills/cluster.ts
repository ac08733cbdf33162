import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Admin, Kafka, logLevel } from "kafkajs";
import {
  ComponentName,
  PlatformEndpoints,
  PlatformOptions,
  endpointsFile,
  resolveSettings,
  startPlatform,
} from "../../platform";
import { isAlive, readPid } from "../../platform/processes";
import { stateFiles } from "../../platform/component";

/** The drills run on the cluster profile, in its own home and on its own ports. */
export const CLUSTER: PlatformOptions = { cluster: true, secure: false, kubernetes: false };

/** Set by globalSetup for the drill files (jest workers inherit the environment). */
export const DRILL_ENDPOINTS_ENV = "TRACKING_DRILL_ENDPOINTS";

export function startedFile(): string {
  return join(resolveSettings(CLUSTER).home, "jest-started.json");
}

export function clusterEndpoints(): PlatformEndpoints {
  const raw = process.env[DRILL_ENDPOINTS_ENV];
  if (raw) return JSON.parse(raw) as PlatformEndpoints;
  const file = endpointsFile(CLUSTER);
  if (!existsSync(file)) {
    throw new Error(`No cluster endpoints: run \`npm run platform -- up --cluster\` (${file}).`);
  }
  return JSON.parse(readFileSync(file, "utf8")) as PlatformEndpoints;
}

/** The recorded pid of a cluster part, or undefined when it is not running. */
export function pidOf(name: ComponentName): number | undefined {
  const record = readPid(stateFiles(resolveSettings(CLUSTER), name).pidFile);
  return record && isAlive(record) ? record.pid : undefined;
}

/**
 * Sends `signal` to a cluster part by its recorded pid (its process group, as `down` does) and
 * waits until it is gone. Never by name.
 */
export async function killPart(
  name: ComponentName,
  signal: NodeJS.Signals = "SIGKILL",
): Promise<number> {
  const pid = pidOf(name);
  if (pid === undefined) throw new Error(`${name} is not running: nothing to kill`);
  process.kill(-pid, signal);
  const record = readPid(stateFiles(resolveSettings(CLUSTER), name).pidFile);
  const deadline = Date.now() + 30_000;
  while (record && isAlive(record)) {
    if (Date.now() > deadline)
      throw new Error(`${name} (pid ${pid}) still alive 30 s after ${signal}`);
    await sleep(100);
  }
  return pid;
}

/** Starts whatever part of the cluster is not running (the others are reused). */
export async function restoreCluster(): Promise<readonly ComponentName[]> {
  const result = await startPlatform({
    ...CLUSTER,
    log: (line) => process.stderr.write(`[cluster] ${line}\n`),
  });
  return result.started;
}

/** A Connect worker's component name, from the `worker_id` (host:port) the status API gives. */
export function workerName(workerId: string): ComponentName {
  const worker = clusterEndpoints().cluster?.workers.find((w) => w.url.endsWith(`//${workerId}`));
  if (!worker) throw new Error(`worker_id ${workerId} is none of the cluster's workers`);
  return worker.name as ComponentName;
}

/** The node id and component name of each partition's leader of a topic. */
export async function partitionLeaders(
  topic: string,
): Promise<{ partition: number; leader: number; isr: number[]; name: ComponentName }[]> {
  const e = clusterEndpoints();
  return withAdmin(async (admin) => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0].partitions.map((p) => {
      const node = e.cluster?.nodes.find((n) => n.nodeId === p.leader);
      if (!node) throw new Error(`${topic}-${p.partitionId}: leader ${p.leader} is no known node`);
      return {
        partition: p.partitionId,
        leader: p.leader,
        isr: p.isr,
        name: node.name as ComponentName,
      };
    });
  });
}

/** Runs `use` with a connected Kafka admin client of the cluster. */
export async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const kafka = new Kafka({
    clientId: "tracking-drills",
    brokers: clusterEndpoints().kafkaBootstrap.split(","),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 250 ms until it returns a value, or throws naming `what` after `ms`. */
export async function waitFor<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${ms / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}
