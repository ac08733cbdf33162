import axios from "axios";
import { idsFromBody } from "../../platform/receiverClient";
import { idsOnPath } from "./connectorFixtures";
import {
  V2_JSON,
  createTopic,
  deleteConnector,
  platformEndpoints,
  putConnector,
  receiver,
  uniqueName,
} from "./platform";

/**
 * The connector's rate limits, shared by its 3 tasks, measured where a destination would
 * measure them: from the receiver's arrival times (never from the test's own clock).
 */
const e = platformEndpoints();
const client = receiver();
const TASKS = 3;

/** One request as the receiver saw it: when, how many events, of which partition. */
interface Arrival {
  readonly at: number;
  readonly events: number;
  readonly partition: number;
}

/** Produces `{id}` events round-robin over the topic's partitions; the partition of each id. */
async function produceRoundRobin(topic: string, path: string, n: number) {
  const ids = Array.from({ length: n }, (_, i) => `${path}-${i}`);
  const records = ids.map((id, i) => ({ value: { id }, partition: i % TASKS }));
  await axios.post(
    `${e.restProxyUrl}/topics/${topic}`,
    { records },
    {
      headers: { "Content-Type": V2_JSON },
    },
  );
  return new Map(ids.map((id, i) => [id, i % TASKS]));
}

/** Waits until every event arrived; then every request under `path`, in arrival order. */
async function arrivals(path: string, partitionOf: Map<string, number>): Promise<Arrival[]> {
  const report = await client.waitForIds(partitionOf.keys(), {
    extract: idsOnPath(path),
    timeoutMs: 90_000,
  });
  expect(report.missing).toEqual([]);
  return (await client.requests())
    .filter((r) => r.path === path && r.status < 300)
    .sort((a, b) => a.receivedAt - b.receivedAt)
    .map((r) => {
      const ids = idsFromBody()(r);
      return { at: r.receivedAt, events: ids.length, partition: partitionOf.get(ids[0]) ?? -1 };
    });
}

/**
 * Checks `limit` units (requests, or events with `units` = events) per second against the
 * arrivals, and returns the measured rates:
 * - over the whole run, every request but each task's last was paid for within the span (a
 *   task pays for a request after sending it), so (all but those) / span <= limit, 5% for the
 *   jitter of arrival times;
 * - in any one second, at most the limit plus one request per task;
 * - while every task has its partition (from when all partitions flow until the first is done;
 *   the tasks' consumers join the group one by one), at least 85% of the limit: the tasks'
 *   shares add up to the limit, nothing is lost to rounding.
 */
function checkRate(all: Arrival[], limit: number, units: (a: Arrival) => number) {
  const lastOf = new Map<number, number>();
  all.forEach((a, i) => lastOf.set(a.partition, i));
  expect(lastOf.size).toBe(TASKS);
  const last = new Set(lastOf.values());
  const sum = (xs: Arrival[]) => xs.reduce((n, a) => n + units(a), 0);
  const span = (all[all.length - 1].at - all[0].at) / 1000;
  const overall = sum(all.filter((_, i) => !last.has(i))) / span;
  expect(overall).toBeLessThanOrEqual(limit * 1.05);

  const biggest = Math.max(...all.map(units));
  for (const a of all) {
    expect(sum(all.filter((o) => o.at >= a.at && o.at < a.at + 1000))).toBeLessThanOrEqual(
      limit + TASKS * biggest,
    );
  }

  const from = Math.max(
    ...[...lastOf.keys()].map((p) => all.find((a) => a.partition === p)?.at ?? Infinity),
  );
  const to = Math.min(...[...last].map((i) => all[i].at));
  expect(to - from).toBeGreaterThan(10_000);
  const steady = (sum(all.filter((a) => a.at >= from && a.at < to)) * 1000) / (to - from);
  expect(steady).toBeGreaterThanOrEqual(limit * 0.85);
  return { overall, steady, span, from, steadySpan: (to - from) / 1000 };
}

describe("tracking HTTP sink: rate limits shared by 3 tasks, measured at the receiver", () => {
  const connectors: string[] = [];
  async function sink(path: string, topic: string, extra: Record<string, string>) {
    const name = uniqueName("tracking-rate");
    connectors.push(name);
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": String(TASKS),
      "http.api.url": `${e.receiverUrl}${path}`,
      ...extra,
    });
  }

  beforeEach(() => client.reset());
  afterAll(async () => {
    await client.reset();
    await Promise.all(connectors.map(deleteConnector));
  });

  it("holds a request-rate limit of 5/s shared exactly (5/3 each) over 30 s", async () => {
    const path = `/${uniqueName("rate")}`;
    const topic = uniqueName("rate-src");
    await createTopic(topic, TASKS);
    // A whole-number split would give each task 1/s: 3/s in all, below the 85% bound.
    const limit = 5;
    const partitionOf = await produceRoundRobin(topic, path, 30 * limit);
    await sink(path, topic, {
      "batch.max.size": "1",
      "request.rate.limit.per.second": String(limit),
      // put() waits for the limit: small polls keep it short, so a rebalance (each task's
      // consumer joining) never waits long for a task in the middle of a large poll.
      "consumer.override.max.poll.records": "4",
    });
    const all = await arrivals(path, partitionOf);
    expect(all.length).toBeGreaterThanOrEqual(partitionOf.size);
    const r = checkRate(all, limit, () => 1);
    process.stderr.write(
      `[rate] ${all.length} requests over ${r.span.toFixed(2)} s: ${r.overall.toFixed(3)}/s; ` +
        `${r.steady.toFixed(3)}/s over the ${r.steadySpan.toFixed(2)} s all tasks ran\n`,
    );
  }, 150_000);

  it("holds an events-per-second limit, batches above a task's share included", async () => {
    const path = `/${uniqueName("erate")}`;
    const topic = uniqueName("erate-src");
    await createTopic(topic, TASKS);
    // 24 events per second: 8 per task, and batches of 10, more than a task's second
    const limit = 24;
    const batch = 10;
    const partitionOf = await produceRoundRobin(topic, path, 20 * limit);
    await sink(path, topic, {
      "batch.max.size": String(batch),
      "batch.json.as.array": "true",
      "request.rate.limit.events.per.second": String(limit),
      // One batch per put(): a rebalance never waits long for a task paying for a batch.
      "consumer.override.max.poll.records": String(batch),
    });
    const all = await arrivals(path, partitionOf);
    // Batches larger than a task's per-second share went out whole.
    expect(all.filter((a) => a.events === batch).length).toBeGreaterThan(0);
    const r = checkRate(all, limit, (a) => a.events);
    // A task's next request waits until its share paid for the last: 10 events at 8/s, 1.25 s
    // (once every task has its partition: before that, a partition may change tasks).
    for (let p = 0; p < TASKS; p++) {
      const mine = all.filter((a) => a.partition === p && a.at >= r.from);
      for (let i = 1; i < mine.length; i++) {
        const due = (mine[i - 1].events * TASKS * 1000) / limit;
        expect(mine[i].at - mine[i - 1].at).toBeGreaterThanOrEqual(due - 50);
      }
    }
    process.stderr.write(
      `[events] ${all.length} requests, ${partitionOf.size} events over ${r.span.toFixed(2)} s: ` +
        `${r.overall.toFixed(3)}/s; ${r.steady.toFixed(3)}/s over the ${r.steadySpan.toFixed(2)} s all tasks ran\n`,
    );
  }, 150_000);
});
