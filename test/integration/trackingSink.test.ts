import axios from "axios";
import type { RecordedRequest } from "../../platform/receiverClient";
import { idsFromBody } from "../../platform/receiverClient";
import {
  V2_JSON,
  createTopic,
  deleteConnector,
  platformEndpoints,
  putConnector,
  receiver,
  uniqueName,
} from "./platform";
import { readTopic } from "./topicReader";

/**
 * Our HTTP sink connector (connectors/http-sink) on the real worker against the real receiver:
 * what it does better than a plain HTTP sink, each behaviour seen from outside.
 */
const e = platformEndpoints();
const client = receiver();

interface Sent {
  readonly id: string;
  readonly partition: number;
  readonly offset: number;
}

/** Produces `{id, ...}` values to chosen partitions through the REST proxy; where each landed. */
async function produceTo(
  topic: string,
  events: readonly { id: string; partition: number; [k: string]: unknown }[],
): Promise<Sent[]> {
  const { data } = await axios.post<{ offsets: { partition: number; offset: number }[] }>(
    `${e.restProxyUrl}/topics/${topic}`,
    { records: events.map(({ partition, ...value }) => ({ value, partition })) },
    { headers: { "Content-Type": V2_JSON } },
  );
  return events.map((ev, i) => ({
    id: ev.id,
    partition: data.offsets[i].partition,
    offset: data.offsets[i].offset,
  }));
}

const onPath = (path: string) => (r: RecordedRequest) => r.path.startsWith(path);
/** Ids of the events in the requests under `path`: other tests share the receiver. */
const idsUnder = (path: string) => (r: RecordedRequest) =>
  onPath(path)(r) ? idsFromBody()(r) : [];

async function requestsOn(path: string): Promise<RecordedRequest[]> {
  return (await client.requests()).filter(onPath(path));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function taskStates(name: string): Promise<string[]> {
  const { data } = await axios.get<{ tasks: { state: string }[] }>(
    `${e.connectUrl}/connectors/${name}/status`,
  );
  return data.tasks.map((t) => t.state);
}

const header = (r: RecordedRequest, name: string): string | undefined => {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

describe("tracking HTTP sink on the real worker", () => {
  const connectors: string[] = [];
  async function sink(path: string, topic: string, extra: Record<string, string>) {
    const name = uniqueName("tracking-sink");
    connectors.push(name);
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}${path}`,
      "retry.backoff.ms": "200",
      ...extra,
    });
    return name;
  }

  beforeEach(() => client.reset());
  afterAll(async () => {
    await client.reset();
    await Promise.all(connectors.map(deleteConnector));
  });

  it("honours Retry-After of 429 answers, then delivers every event, in order per partition", async () => {
    const path = `/${uniqueName("retry-after")}`;
    const topic = uniqueName("ra");
    await createTopic(topic, 3);
    await sink(path, topic, {
      "batch.max.size": "5",
      "batch.json.as.array": "true",
      "retry.on.status.codes": "429,500-",
      "max.retries": "30",
    });
    await client.failFor(429, 10_000, 2);
    const sent = await produceTo(
      topic,
      Array.from({ length: 30 }, (_, i) => ({ id: `${path}-${i}`, partition: i % 3 })),
    );

    const report = await client.waitForIds(
      sent.map((s) => s.id),
      { extract: idsUnder(path), timeoutMs: 90_000 },
    );
    expect(report.missing).toEqual([]);
    const requests = await requestsOn(path);
    const refused = requests.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    // One task sends one request at a time: after each 429, the next request waited 2 s at least.
    for (let i = 0; i + 1 < requests.length; i++) {
      if (requests[i].status !== 429) continue;
      expect(requests[i + 1].receivedAt - requests[i].receivedAt).toBeGreaterThanOrEqual(2000);
    }
    // In order per partition: offsets only grow in arrival order of accepted requests.
    const where = new Map(sent.map((s) => [s.id, s]));
    const last = new Map<number, number>();
    for (const r of requests.filter((q) => q.status === 200)) {
      for (const id of idsFromBody()(r)) {
        const s = where.get(id);
        if (!s) throw new Error(`unexpected id ${id}`);
        expect(s.offset).toBeGreaterThan(last.get(s.partition) ?? -1);
        last.set(s.partition, s.offset);
      }
    }
  }, 120_000);

  it("dead-letters events the destination refuses, with status, excerpt and URL; delivers the rest", async () => {
    const path = `/${uniqueName("dlq")}`;
    const topic = uniqueName("dlq-src");
    const dlq = `${topic}.dlq`;
    await createTopic(topic, 2);
    await createTopic(dlq, 1);
    await client.reject({ status: 400, field: "kind", value: "refused" });
    const name = uniqueName("tracking-sink");
    connectors.push(name);
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      // a query string that must not reach the dead-letter headers
      "http.api.url": `${e.receiverUrl}${path}?api_key=s3cr3t`,
      "batch.max.size": "1",
      "retry.on.status.codes": "429,500-",
      "behavior.on.error": "fail",
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": dlq,
      "errors.deadletterqueue.topic.replication.factor": "1",
      "errors.deadletterqueue.context.headers.enable": "true",
    });
    const events = Array.from({ length: 10 }, (_, i) => ({
      id: `${path}-${i}`,
      kind: i % 2 === 0 ? "refused" : "page_view",
      partition: i % 2,
    }));
    await produceTo(topic, events);

    const good = events.filter((ev) => ev.kind !== "refused");
    const bad = events.filter((ev) => ev.kind === "refused");
    const report = await client.waitForIds(
      good.map((g) => g.id),
      { extract: idsUnder(path) },
    );
    expect(report.missing).toEqual([]);
    const dead = await readTopic(dlq, bad.length, 60_000);
    expect(dead.map((d) => (JSON.parse(d.value ?? "{}") as { id: string }).id).sort()).toEqual(
      bad.map((b) => b.id).sort(),
    );
    for (const d of dead) {
      expect(d.headers["http.sink.error.status"]).toBe("400");
      expect(d.headers["http.sink.error.response"]).toBe('{"ok":false,"status":400}');
      expect(d.headers["http.sink.error.url"]).toBe(`${e.receiverUrl}${path}?…`);
      expect(d.headers["__connect.errors.topic"]).toBe(topic);
      expect(JSON.stringify(d.headers)).not.toContain("s3cr3t");
    }
    expect(await taskStates(name)).toEqual(["RUNNING"]);
  }, 120_000);

  it("fails the task on a refused request when errors are not tolerated and behavior.on.error is fail", async () => {
    const path = `/${uniqueName("fail")}`;
    const topic = uniqueName("fail-src");
    await createTopic(topic, 1);
    await client.reject({ status: 400, field: "kind", value: "refused" });
    const name = await sink(path, topic, {
      "retry.on.status.codes": "429,500-",
      "behavior.on.error": "fail",
      "errors.tolerance": "none",
    });
    await produceTo(topic, [{ id: `${path}-0`, kind: "refused", partition: 0 }]);
    const states = await waitFor("the task to fail", async () => {
      const s = await taskStates(name);
      return s.includes("FAILED") ? s : undefined;
    });
    expect(states).toEqual(["FAILED"]);
  }, 90_000);

  it("re-sends a batch interrupted by a connector restart with the same idempotency key", async () => {
    const path = `/${uniqueName("idem")}`;
    const topic = uniqueName("idem-src");
    await createTopic(topic, 1);
    const sent = await produceTo(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ id: `${path}-${i}`, partition: 0 })),
    );
    await client.fail(500, 100_000);
    const name = await sink(path, topic, {
      "batch.max.size": "10",
      "batch.json.as.array": "true",
      "retry.on.status.codes": "500-",
      "retry.backoff.policy": "CONSTANT_VALUE",
      "retry.backoff.ms": "500",
      "max.retries": "1000",
      "consumer.override.max.poll.interval.ms": "10000",
    });
    // The batch is being retried: restart the connector and its task in the middle of it. The
    // old task is stuck in its retries: the worker cancels it after its graceful shutdown timeout
    // (so it commits nothing) and starts a new one, which gets the partition once the old
    // consumer has been dropped from the group (max.poll.interval.ms, 10 s here).
    await waitFor("two attempts", async () =>
      (await requestsOn(path)).length >= 2 ? true : undefined,
    );
    const cut = (await client.stats()).lastSeq;
    await axios.post(`${e.connectUrl}/connectors/${name}/restart?includeTasks=true`, {});
    // The new task starts the batch again (attempt 1) from the committed offset.
    const resent = await waitFor(
      "the re-sent batch",
      async () =>
        (await requestsOn(path)).find(
          (r) => r.seq > cut && header(r, "X-Delivery-Attempt") === "1",
        ),
      90_000,
    );
    await client.fail(500, 0);

    const report = await client.waitForIds(
      sent.map((s) => s.id),
      { extract: idsUnder(path) },
    );
    expect(report.missing).toEqual([]);
    const requests = await requestsOn(path);
    const keys = new Set(requests.map((r) => header(r, "Idempotency-Key")));
    // Every request of these offsets, before and after the restart, carries one key.
    expect(keys.size).toBe(1);
    expect(header(resent, "Idempotency-Key")).toBe(header(requests[0], "Idempotency-Key"));
    expect(idsFromBody()(resent)).toEqual(sent.map((s) => s.id));
  }, 150_000);

  it("holds a request-rate limit shared exactly by its tasks, measured at the receiver over 30 s", async () => {
    const path = `/${uniqueName("rate")}`;
    const topic = uniqueName("rate-src");
    await createTopic(topic, 3);
    // 5 requests per second for 3 tasks together: 5/3 each (a whole-number split would be 1 each)
    const limit = 5;
    const sent = await produceTo(
      topic,
      Array.from({ length: 30 * limit }, (_, i) => ({ id: `${path}-${i}`, partition: i % 3 })),
    );
    await sink(path, topic, {
      "tasks.max": "3",
      "batch.max.size": "1",
      "request.rate.limit.per.second": String(limit),
      // put() waits for the limit: small polls keep it short, so a rebalance (each task's
      // consumer joining) never waits long for a task in the middle of a large poll.
      "consumer.override.max.poll.records": "4",
    });
    const report = await client.waitForIds(
      sent.map((s) => s.id),
      { extract: idsUnder(path), timeoutMs: 90_000 },
    );
    expect(report.missing).toEqual([]);
    const at = (await requestsOn(path)).map((r) => r.receivedAt).sort((a, b) => a - b);
    expect(at.length).toBeGreaterThanOrEqual(sent.length);
    // Over the whole run, from the receiver's arrival times: not faster than the limit (each
    // task's first request is free; 5% for the jitter of arrival times), and not much slower,
    // as the tasks' shares add up to the limit. Without the limit this run takes a second or two.
    const seconds = (at[at.length - 1] - at[0]) / 1000;
    const rate = (at.length - 3) / seconds;
    process.stderr.write(
      `[rate] ${at.length} requests in ${seconds.toFixed(2)} s: ${rate.toFixed(3)}/s\n`,
    );
    expect(rate).toBeLessThanOrEqual(limit * 1.05);
    expect(rate).toBeGreaterThanOrEqual(limit * 0.85);
    // In any one second: the limit, plus one request per task for arrival jitter.
    for (let i = 0; i < at.length; i++) {
      const inWindow = at.filter((t) => t >= at[i] && t < at[i] + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(limit + 3);
    }
  }, 150_000);

  it("holds an events-per-second limit shared by its tasks, batches above a task's share included", async () => {
    const path = `/${uniqueName("erate")}`;
    const topic = uniqueName("erate-src");
    await createTopic(topic, 3);
    // 24 events per second for 3 tasks: 8 each, and batches of 10 (more than a task's second)
    const limit = 24;
    const batch = 10;
    const sent = await produceTo(
      topic,
      Array.from({ length: 20 * limit }, (_, i) => ({ id: `${path}-${i}`, partition: i % 3 })),
    );
    await sink(path, topic, {
      "tasks.max": "3",
      "batch.max.size": String(batch),
      "batch.json.as.array": "true",
      "request.rate.limit.events.per.second": String(limit),
      // One batch per put(): a rebalance never waits long for a task paying for a batch.
      "consumer.override.max.poll.records": String(batch),
    });
    const report = await client.waitForIds(
      sent.map((s) => s.id),
      { extract: idsUnder(path), timeoutMs: 90_000 },
    );
    expect(report.missing).toEqual([]);
    const partitionOf = new Map(sent.map((s) => [s.id, s.partition]));
    const requests = (await requestsOn(path)).sort((a, b) => a.receivedAt - b.receivedAt);
    const batches = requests.map((r) => {
      const ids = idsFromBody()(r);
      return { at: r.receivedAt, events: ids.length, partition: partitionOf.get(ids[0]) ?? -1 };
    });
    // Batches larger than a task's per-second share went out whole.
    expect(batches.filter((b) => b.events === batch).length).toBeGreaterThan(0);
    // A task pays for a batch after sending it: over the run, every batch but each task's
    // (partition's) last one was paid for within the span, at most `limit` events a second.
    const lastOf = new Map<number, number>();
    batches.forEach((b, i) => lastOf.set(b.partition, i));
    const paid = batches
      .filter((_, i) => ![...lastOf.values()].includes(i))
      .reduce((n, b) => n + b.events, 0);
    const seconds = (batches[batches.length - 1].at - batches[0].at) / 1000;
    const rate = paid / seconds;
    process.stderr.write(
      `[events] ${batches.length} requests, ${sent.length} events in ${seconds.toFixed(2)} s: ${rate.toFixed(3)} events/s\n`,
    );
    expect(rate).toBeLessThanOrEqual(limit * 1.05);
    // And not much slower while every task has its partition (from the moment all three
    // partitions flow until the first is done; the tasks' consumers join the group one by one).
    const firstAt = (p: number) => batches.find((b) => b.partition === p)?.at ?? Infinity;
    const from = Math.max(...[...lastOf.keys()].map(firstAt));
    const to = Math.min(...[...lastOf.values()].map((i) => batches[i].at));
    const during = batches.filter((b) => b.at >= from && b.at < to);
    const steady = (during.reduce((n, b) => n + b.events, 0) * 1000) / (to - from);
    process.stderr.write(`[events] ${steady.toFixed(3)} events/s over ${(to - from) / 1000} s\n`);
    expect(to - from).toBeGreaterThan(10_000);
    expect(steady).toBeGreaterThanOrEqual(limit * 0.85);
    // One task's next request waits until its share paid for the last: 10 events at 8/s, 1.25 s.
    for (const p of lastOf.keys()) {
      const mine = batches.filter((b) => b.partition === p);
      for (let i = 1; i < mine.length; i++) {
        const due = (mine[i - 1].events * 3 * 1000) / limit;
        expect(mine[i].at - mine[i - 1].at).toBeGreaterThanOrEqual(due - 50);
      }
    }
    // In any one second: the limit, plus one batch per task.
    for (const b of batches) {
      const inWindow = batches
        .filter((o) => o.at >= b.at && o.at < b.at + 1000)
        .reduce((n, o) => n + o.events, 0);
      expect(inWindow).toBeLessThanOrEqual(limit + 3 * batch);
    }
  }, 150_000);

  it("sends gzip bodies that decode to the events, and SMT-masked JSON values as JSON", async () => {
    const path = `/${uniqueName("gzip")}`;
    const topic = uniqueName("gzip-src");
    await createTopic(topic, 1);
    await sink(path, topic, {
      "batch.max.size": "5",
      "batch.json.as.array": "true",
      "request.body.compression": "gzip",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      transforms: "mask",
      "transforms.mask.type": "org.apache.kafka.connect.transforms.MaskField$Value",
      "transforms.mask.fields": "email",
    });
    const events = Array.from({ length: 5 }, (_, i) => ({
      id: `${path}-${i}`,
      email: `user${i}@example.com`,
      props: { n: i, ok: true },
      partition: 0,
    }));
    await produceTo(topic, events);
    const report = await client.waitForIds(
      events.map((ev) => ev.id),
      { extract: idsUnder(path) },
    );
    expect(report.missing).toEqual([]);
    const requests = await requestsOn(path);
    expect(requests.every((r) => r.encoding === "gzip" && r.status === 200)).toBe(true);
    const received = requests.flatMap((r) => r.json as unknown[]);
    expect(received).toEqual(
      events.map(({ partition: _partition, ...ev }) => ({ ...ev, email: "" })),
    );
  }, 90_000);
});
