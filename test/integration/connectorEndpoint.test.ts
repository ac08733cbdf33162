import axios from "axios";
import type { ConnectorInputs, ConnectorOutputs } from "../../providers/connect/provider";
import { idsOnPath, provider, sinkInputs, worker } from "./connectorFixtures";
import { createTopic, platformEndpoints, produce, receiver, uniqueName } from "./platform";

/**
 * A change of `connect.url` for the same workers (a trailing slash, another DNS name) must keep
 * the connector: it used to be a replace, whose create adopted the connector by PUT and whose
 * delete of "the old one" then removed it. The engine's sequence is run as the diff plans it.
 */
const e = platformEndpoints();
const client = receiver();
const names: string[] = [];

afterAll(async () => {
  await Promise.all(names.map((name) => worker.remove(name)));
});

/** Committed offsets of the connector, `topic:partition=offset`, sorted. */
async function offsets(name: string): Promise<string[]> {
  const { data } = await axios.get<{
    offsets: {
      partition: { kafka_topic: string; kafka_partition: number };
      offset: { kafka_offset: number } | null;
    }[];
  }>(`${e.connectUrl}/connectors/${name}/offsets`);
  return data.offsets
    .map(
      (o) => `${o.partition.kafka_topic}:${o.partition.kafka_partition}=${o.offset?.kafka_offset}`,
    )
    .sort();
}

/** Runs what the engine runs for the plan diff makes: update, or create then delete of the old. */
async function apply(olds: ConnectorOutputs, news: ConnectorInputs): Promise<ConnectorOutputs> {
  const plan = await provider.diff(olds, news);
  if (!plan.replaces || plan.replaces.length === 0) return provider.update(olds, news);
  const { outs } = await provider.create(news);
  await provider.delete(olds);
  return outs;
}

/** Runs `body`, answering what the provider warned (on stderr, as there is no engine here). */
async function warnings<T>(body: () => Promise<T>): Promise<{ result: T; warned: string[] }> {
  const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
  try {
    const result = await body();
    return { result, warned: spy.mock.calls.map((call) => String(call[0])) };
  } finally {
    spy.mockRestore();
  }
}

describe("Connector provider: a new Connect endpoint", () => {
  it("keeps the connector RUNNING with its offsets when the same workers get another URL", async () => {
    const topic = uniqueName("endpoint-topic");
    const path = `/${uniqueName("endpoint")}`;
    await createTopic(topic, 2);
    const base = sinkInputs(uniqueName("endpoint"), topic, `${e.receiverUrl}${path}`);
    names.push(base.name);
    expect(base.connect.url).toBe(e.connectUrl);
    const { outs } = await provider.create(base);
    expect(outs.kafkaClusterId).toBe(e.clusterId);

    const sent = Array.from({ length: 20 }, (_, i) => `${path}-before-${i}`);
    await produce(
      topic,
      sent.map((id) => ({ id })),
    );
    expect((await client.waitForIds(sent, { extract: idsOnPath(path) })).missing).toEqual([]);
    // Wait until the sink has committed what it delivered (the worker flushes every second).
    const deadline = Date.now() + 60_000;
    let before = await offsets(base.name);
    while (before.reduce((n, o) => n + Number(o.split("=")[1] || 0), 0) < 20) {
      if (Date.now() > deadline) throw new Error(`offsets not committed: ${before.join(", ")}`);
      await new Promise((r) => setTimeout(r, 250));
      before = await offsets(base.name);
    }

    // The same worker, by another name and with a trailing slash.
    const url = `${e.connectUrl.replace("127.0.0.1", "localhost")}/`;
    const moved = { ...base, connect: { ...base.connect, url } };
    const checked = await provider.check(base, moved);
    expect(checked.failures).toEqual([]);
    const news = checked.inputs as ConnectorInputs;
    expect(await provider.diff(outs, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const { result: after, warned } = await warnings(() => apply(outs, news));

    expect(warned).toEqual([]);
    expect(after).toMatchObject({ connect: { url }, connectorState: "RUNNING" });
    expect(await worker.status(base.name)).toMatchObject({ connector: { state: "RUNNING" } });
    expect(await offsets(base.name)).toEqual(before);
    expect(await provider.diff(after, news)).toMatchObject({ changes: false });

    // And it goes on delivering from where it was.
    const more = [`${path}-after-0`, `${path}-after-1`];
    await produce(
      topic,
      more.map((id) => ({ id })),
    );
    const report = await client.waitForIds([...sent, ...more], { extract: idsOnPath(path) });
    expect(report.missing).toEqual([]);
    expect(report.duplicates).toEqual([]);
  });

  it("warns, naming the old endpoint, when it cannot tell the old one is the same cluster", async () => {
    const topic = uniqueName("endpoint-gone-topic");
    await createTopic(topic, 1);
    const base = sinkInputs(uniqueName("endpoint-gone"), topic, `${e.receiverUrl}/unused`);
    names.push(base.name);
    const { outs } = await provider.create(base);
    // The stored endpoint no longer answers (port 9 has no listener); the new one is the worker.
    const olds = { ...outs, connect: { url: "http://127.0.0.1:9/" } };
    const { result: after, warned } = await warnings(() => apply(olds, base));
    expect(after.connectorState).toBe("RUNNING");
    expect(warned).toEqual([
      `warning: connector "${base.name}": its Connect endpoint changed from http://127.0.0.1:9 ` +
        `to ${e.connectUrl}. http://127.0.0.1:9 did not answer, so it could not be checked whether ` +
        `it is the same Connect cluster. A connector "${base.name}" there is left as it is and is ` +
        `no longer managed by this stack: once the one at ${e.connectUrl} has taken over, delete ` +
        `it there (DELETE http://127.0.0.1:9/connectors/${base.name}), or set \`connect.url\` back.`,
    ]);
    expect(await worker.status(base.name)).toMatchObject({ connector: { state: "RUNNING" } });
  });
});
