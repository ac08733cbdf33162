/**
 * What the sink benchmarks share: one topic produced once, and one connector run (created,
 * waited on until every event arrived, deleted), with the platform processes' CPU over it.
 */
import axios from "axios";
import type { PlatformEndpoints } from "../../platform";
import { ReceiverClient } from "../../platform/receiverClient";
import type { RecordedRequest } from "../../platform/receiverClient";
import { platformCpu, platformPids } from "../cpu";
import { event } from "../events";
import { V2_JSON, createTopic, deleteTopic } from "../topics";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Time for a new group to settle after its tasks run (the broker delays a first rebalance). */
const SETTLE_MS = 5000;

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
