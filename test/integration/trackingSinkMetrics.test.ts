import axios from "axios";
import { platformStatus } from "../../platform";
import { readMBeans, readSettledMBeans, taskMBean } from "./jmx";
import {
  createTopic,
  deleteConnector,
  platformEndpoints,
  produce,
  putConnector,
  receiver,
  uniqueName,
} from "./platform";

/**
 * The connector's own per-task metrics, read from the real worker's JMX: test support's
 * ReadMetrics attaches to the worker's JVM by pid (the JDK attach API, no JMX port or flag
 * needed) and prints the MBeans matching a pattern.
 */
const e = platformEndpoints();
const client = receiver();

function workerPid(): number {
  const connect = platformStatus().find((s) => s.name === "connect");
  if (connect?.pid === undefined) throw new Error("The platform's Connect worker is not running.");
  return connect.pid;
}
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe("tracking HTTP sink: per-task metrics in the worker's JMX", () => {
  let name = "";
  beforeAll(() => client.reset());
  afterAll(async () => {
    await client.reset();
    if (name !== "") await deleteConnector(name);
  });

  it("counts requests, answers by class, retries, events and bytes; gone when the task stops", async () => {
    const path = `/${uniqueName("metrics")}`;
    const topic = uniqueName("metrics-src");
    const dlq = `${topic}.dlq`;
    await createTopic(topic, 1);
    await createTopic(dlq, 1);
    // The first request is refused with 429 (Retry-After: 1), the second with 500; then 400 for
    // the refused kind (not retried: dead-lettered), 200 for the rest.
    await client.fail(429, 1, 1);
    await client.reject({ status: 400, field: "kind", value: "refused" });
    const events = Array.from({ length: 6 }, (_, i) => ({
      id: `${path}-${i}`,
      kind: i === 4 ? "refused" : "page_view",
    }));
    await produce(topic, events);
    name = uniqueName("tracking-metrics");
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}${path}`,
      "batch.max.size": "1",
      "retry.on.status.codes": "429,500-",
      "retry.backoff.ms": "100",
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": dlq,
      "errors.deadletterqueue.topic.replication.factor": "1",
    });

    const want = {
      "requests-sent-total": 7, // 6 events, one retried after the 429
      "responses-2xx-total": 5,
      "responses-4xx-total": 2, // the 429 and the 400
      "responses-5xx-total": 0,
      "responses-429-total": 1,
      "retries-total": 1,
      "events-delivered-total": 5,
      "events-dead-lettered-total": 1,
    };
    await waitFor("the task's counters", async () => {
      const [m] = await readMBeans(workerPid(), taskMBean(name));
      const a = m?.attributes;
      const done = a?.["events-delivered-total"] === 5 && a["events-dead-lettered-total"] === 1;
      return done ? true : undefined;
    });
    // Every event has its outcome; read the counters again, all at rest (see readSettledMBeans).
    const [mbean] = await readSettledMBeans(workerPid(), taskMBean(name));
    const a = mbean.attributes;
    expect(Object.fromEntries(Object.keys(want).map((k) => [k, a[k]]))).toEqual(want);
    // Every body the receiver got, counted in bytes by the task (uncompressed here).
    const bodies = (await client.requests()).filter((r) => r.path.startsWith(path));
    expect(bodies.length).toBe(7);
    const bytes = bodies.reduce((n, r) => n + Buffer.byteLength(r.body), 0);
    expect(a["bytes-sent-total"]).toBe(bytes);
    expect(a["retry-after-wait-ms-total"]).toBe(1000);
    expect(a["request-latency-max-ms"]).toBeGreaterThanOrEqual(
      Number(a["request-latency-last-ms"]),
    );

    // Deleting the connector stops its task: its MBean is unregistered.
    const connector = name;
    await axios.delete(`${e.connectUrl}/connectors/${connector}`);
    name = "";
    await waitFor("the MBean to go", async () =>
      (await readMBeans(workerPid(), taskMBean(connector))).length === 0 ? true : undefined,
    );
  }, 120_000);
});
