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
