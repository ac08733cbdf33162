import { idsOnPath } from "./connectorFixtures";
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
 * Smoke test of the whole platform: REST proxy -> Kafka -> Connect HTTP sink -> receiver, with
 * the connector created directly through the Connect REST API.
 */
const e = platformEndpoints();
const client = receiver();

async function sinkTo(path: string, extra: Record<string, string> = {}) {
  const topic = uniqueName("sink");
  const name = uniqueName("http-sink");
  await createTopic(topic, 2);
  await putConnector(name, {
    "connector.class": e.httpSinkConnectorClass,
    topics: topic,
    "tasks.max": "1",
    "http.api.url": `${e.receiverUrl}${path}`,
    "retry.backoff.ms": "200",
    ...extra,
  });
  return { topic, name };
}

describe("HTTP sink through the platform", () => {
  const connectors: string[] = [];
  beforeEach(() => client.reset());
  afterAll(async () => {
    await client.reset();
    await Promise.all(connectors.map(deleteConnector));
  });

  it("delivers every event posted to the REST proxy to the receiver, body unchanged", async () => {
    const path = `/${uniqueName("smoke")}`;
    const { topic, name } = await sinkTo(path);
    connectors.push(name);
    const events = Array.from({ length: 200 }, (_, i) => ({
      id: `${path}-${i}`,
      n: i,
      props: { a: 'é"q' },
    }));
    for (let i = 0; i < events.length; i += 50) await produce(topic, events.slice(i, i + 50));

    const report = await client.waitForIds(
      events.map((ev) => ev.id),
      { extract: idsOnPath(path), timeoutMs: 60_000 },
    );
    expect(report.missing).toEqual([]);
    const requests = (await client.requests()).filter((r) => r.path === path);
    expect(requests[0].headers["content-type"]).toBe("application/json");
    // StringConverter: the receiver gets the exact JSON text the REST proxy wrote.
    const byId = new Map(events.map((ev) => [ev.id, JSON.stringify(ev)]));
    for (const r of requests) expect(r.body).toBe(byId.get((r.json as { id: string }).id));
  });

  it("retries 500 answers until the receiver recovers, losing nothing", async () => {
    const path = `/${uniqueName("retry")}`;
    const { topic, name } = await sinkTo(path, {
      "max.retries": "10",
      "retry.on.status.codes": "429,500-",
    });
    connectors.push(name);
    await client.fail(500, 4);
    const ids = Array.from({ length: 5 }, (_, i) => `${path}-${i}`);
    await produce(
      topic,
      ids.map((id) => ({ id })),
    );

    const report = await client.waitForIds(ids, { extract: idsOnPath(path), timeoutMs: 60_000 });
    expect(report.missing).toEqual([]);
    const stats = await client.stats();
    expect(stats.rejected).toBe(4);
  });

  it("sends batches as JSON arrays with basic auth when configured", async () => {
    const path = `/${uniqueName("batch")}`;
    await client.auth({ user: "writer", password: "s3cret" });
    const { topic, name } = await sinkTo(path, {
      "batch.max.size": "10",
      "batch.json.as.array": "true",
      "auth.type": "BASIC",
      "connection.user": "writer",
      "connection.password": "s3cret",
    });
    connectors.push(name);
    const ids = Array.from({ length: 30 }, (_, i) => `${path}-${i}`);
    await produce(
      topic,
      ids.map((id) => ({ id })),
    );

    const report = await client.waitForIds(ids, { extract: idsOnPath(path), timeoutMs: 60_000 });
    expect(report.missing).toEqual([]);
    const requests = (await client.requests()).filter((r) => r.path === path);
    expect(requests.every((r) => Array.isArray(r.json) && r.status === 200)).toBe(true);
    expect(requests.length).toBeLessThan(ids.length);
  });
});
