/**
 * What the sink benchmarks share: the platform's processes and their CPU, the events, one topic
 * produced once, and one connector run (created, waited on until every event arrived, deleted).
 */
import { readFileSync } from "node:fs";
import axios from "axios";
import { platformStatus } from "../../platform";
import type { PlatformEndpoints } from "../../platform";
import { ReceiverClient } from "../../platform/receiverClient";
import type { RecordedRequest } from "../../platform/receiverClient";

const V2_JSON = "application/vnd.kafka.json.v2+json";
/** Linux clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux). */
const CLK_TCK = 100;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** User plus system CPU seconds of a process so far (0 when it is gone). */
export function cpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return 0;
  }
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}

/** Pids of the platform's processes by component (broker, connect, rest-proxy, receiver). */
export function platformPids(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of platformStatus()) if (s.pid) out[s.name] = s.pid;
  if (!out.connect) throw new Error("The platform's Connect worker is not running.");
  return out;
}

/** CPU seconds of each platform process so far. */
export function platformCpu(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
}

/** One tracking event of a typical size (about 300 bytes of JSON). */
export function event(i: number): Record<string, unknown> {
  return {
    id: `bench-${i}`,
    type: i % 5 === 0 ? "purchase" : "page_view",
    anonymous_id: `anon-${(i * 7919) % 100_000}`,
    timestamp: new Date(1_796_000_000_000 + i * 37).toISOString(),
    context: { page: { path: `/products/${i % 400}`, referrer: "https://example.com/search" } },
    properties: { sku: `SKU-${i % 1000}`, price: (i % 9_000) / 100, currency: "EUR", qty: 1 },
  };
}

/** Time for a new group to settle after its tasks run (the broker delays a first rebalance). */
const SETTLE_MS = 5000;

async function createTopic(e: PlatformEndpoints, topic: string, partitions: number) {
  await axios.post(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics`, {
    topic_name: topic,
    partitions_count: partitions,
    replication_factor: 1,
  });
}

/** Produces `count` events to `topic`, keyed so that they spread over its partitions. */
async function fill(e: PlatformEndpoints, topic: string, count: number): Promise<void> {
  const chunk = 1000;
  for (let start = 0; start < count; start += chunk) {
    const records = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      records.push({ key: `anon-${i}`, value: event(i) });
    }
    await axios.post(
      `${e.restProxyUrl}/topics/${topic}`,
      { records },
      { headers: { "Content-Type": V2_JSON }, maxBodyLength: Infinity },
    );
  }
}

async function deleteTopic(e: PlatformEndpoints, topic: string): Promise<void> {
  await axios
    .delete(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics/${topic}`)
    .catch(() => undefined);
}

/** Events in one recorded request: a JSON array's length, else one. */
function eventsIn(r: RecordedRequest): number {
  return Array.isArray(r.json) ? r.json.length : 1;
}

async function waitTasks(
  e: PlatformEndpoints,
  name: string,
  tasks: number,
  state: string,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { data } = await axios.get<{ tasks: { state: string }[] }>(
      `${e.connectUrl}/connectors/${name}/status`,
      { validateStatus: (s) => s === 200 || s === 404 },
    );
    const states = (data.tasks ?? []).map((t) => t.state);
    if (states.length === tasks && states.every((s) => s === state)) return;
    if (states.includes("FAILED")) throw new Error(`A task of ${name} failed: ${states.join(",")}`);
    if (Date.now() > deadline) {
      throw new Error(`${name}: tasks not all ${state} after 120 s (${states.join(",")})`);
    }
    await sleep(250);
  }
}

async function waitDelivered(
  client: ReceiverClient,
  path: string,
  count: number,
  batch: number,
  timeoutMs: number,
): Promise<RecordedRequest[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await client.stats();
    // Cheap check first (requests accepted); the events are counted once enough may have come.
    if (stats.accepted >= Math.ceil(count / batch)) {
      const requests = (await client.requests()).filter((r) => r.path === path && r.status < 300);
      if (requests.reduce((n, r) => n + eventsIn(r), 0) >= count) return requests;
    }
    if (Date.now() > deadline) throw new Error(`Not all ${count} events arrived at ${path}`);
    await sleep(200);
  }
}

function steadyPart(requests: readonly RecordedRequest[]): Delivery["steady"] {
  const total = requests.reduce((n, r) => n + eventsIn(r), 0);
  let sum = 0;
  let from: { i: number; sum: number; at: number } | undefined;
  for (let i = 0; i < requests.length; i++) {
    sum += eventsIn(requests[i]);
    from ??= sum >= total * 0.1 ? { i, sum, at: requests[i].receivedAt } : undefined;
    if (from && sum >= total * 0.9) {
      return {
        events: sum - from.sum,
        requests: i - from.i,
        ms: Math.max(1, requests[i].receivedAt - from.at),
      };
    }
  }
  return { events: total, requests: requests.length, ms: 1 };
}

export interface Delivery {
  readonly events: number;
  readonly requests: number;
  /** From the first request's arrival to the last one's. */
  readonly windowMs: number;
  /**
   * The steady part: from the request that completed the first 10% of the events to the one
   * that completed 90%, leaving out tasks starting (and their group join) and the last stragglers.
   */
  readonly steady: { readonly events: number; readonly requests: number; readonly ms: number };
  /** From the connector's creation to the last arrival (task start and group join included). */
  readonly totalMs: number;
  /** `Content-Length` of the bodies: compressed when gzip is on. */
  readonly wireBytes: number;
  /** The bodies as decoded by the receiver. */
  readonly plainBytes: number;
  /** CPU seconds of each platform process from the connector's creation to the last arrival. */
  readonly cpu: Record<string, number>;
  readonly cpuWallSeconds: number;
}

/**
 * Runs one connector with `config` over a fresh topic of `partitions` (its URL pointed at a
 * fresh receiver path) until `count` events arrived there, then deletes both. The receiver is
 * reset first (behaviours too), then `prepare` may set behaviours such as latency.
 *
 * The topic is filled only once every task runs and the group has settled, with the connector
 * paused: else the first task takes all partitions and a short run is over before the others
 * have joined. Connect creates no tasks for a connector created paused, hence this order.
 */
export async function deliver(
  e: PlatformEndpoints,
  client: ReceiverClient,
  name: string,
  config: Record<string, string>,
  partitions: number,
  count: number,
  prepare: () => Promise<unknown> = async () => undefined,
): Promise<Delivery> {
  await client.reset();
  await prepare();
  const path = `/${name}`;
  const pids = platformPids();
  const tasks = Number(config["tasks.max"] ?? 1);
  await createTopic(e, name, partitions);
  try {
    await axios.put(`${e.connectUrl}/connectors/${name}/config`, {
      ...config,
      topics: name,
      "http.api.url": `${e.receiverUrl}${path}`,
    });
    await waitTasks(e, name, tasks, "RUNNING");
    await sleep(SETTLE_MS);
    await axios.put(`${e.connectUrl}/connectors/${name}/pause`, {});
    await waitTasks(e, name, tasks, "PAUSED");
    await fill(e, name, count);
    const cpuBefore = platformCpu(pids);
    const started = Date.now();
    await axios.put(`${e.connectUrl}/connectors/${name}/resume`, {});
    const batch = Number(config["batch.max.size"] ?? 1);
    const requests = await waitDelivered(client, path, count, batch, 600_000);
    const cpuAfter = platformCpu(pids);
    const first = requests[0].receivedAt;
    const last = requests[requests.length - 1].receivedAt;
    return {
      events: requests.reduce((n, r) => n + eventsIn(r), 0),
      requests: requests.length,
      windowMs: Math.max(1, last - first),
      steady: steadyPart(requests),
      totalMs: last - started,
      wireBytes: requests.reduce((n, r) => n + Number(r.headers["content-length"] ?? 0), 0),
      plainBytes: requests.reduce((n, r) => n + Buffer.byteLength(r.body, "utf8"), 0),
      cpu: Object.fromEntries(
        Object.keys(pids).map((k) => [k, (cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0)]),
      ),
      cpuWallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await axios.delete(`${e.connectUrl}/connectors/${name}`, { validateStatus: () => true });
    await sleep(2000); // the tasks stop before the next run measures the worker
    await deleteTopic(e, name);
  }
}

/** Events per second over the steady part of the arrivals (10% to 90% of the events). */
export const rate = (d: Delivery) => (d.steady.events * 1000) / d.steady.ms;

/** Events per second over the whole arrival window. */
export const windowRate = (d: Delivery) => (d.events * 1000) / d.windowMs;
