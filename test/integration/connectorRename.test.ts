import { idsOnPath, provider, sinkInputs, worker } from "./connectorFixtures";
import { createTopic, platformEndpoints, produce, receiver, uniqueName } from "./platform";

/**
 * A rename replaces the connector (a new consumer group). The provider creates the new one
 * STOPPED, stops the old one, copies its committed offsets (KIP-875) and only then starts the
 * new one: every event reaches the receiver exactly once.
 */
const e = platformEndpoints();
const client = receiver();

describe("Connector provider: rename keeps the offsets", () => {
  const names: string[] = [];
  afterAll(async () => {
    await Promise.all(names.map((name) => worker.remove(name)));
  });

  it("delivers every event exactly once across a rename, also events sent during it", async () => {
    const topic = uniqueName("rename-topic");
    const path = `/${uniqueName("rename")}`;
    await createTopic(topic, 3);
    const base = sinkInputs(uniqueName("rename-old"), topic, `${e.receiverUrl}${path}`, {
      extra: { "tasks.max": "2", "batch.max.size": "10", "batch.json.as.array": "true" },
    });
    names.push(base.name);
    const { outs: oldOuts } = await provider.create(base);

    const ids = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${path}-${prefix}-${i}`);
    const before = ids("before", 60);
    await produce(
      topic,
      before.map((id) => ({ id })),
    );
    const first = await client.waitForIds(before, { extract: idsOnPath(path), timeoutMs: 60_000 });
    expect(first.missing).toEqual([]);

    // The program renames the connector: check carries the old name, diff asks for a replace.
    const renamed = { ...base, name: uniqueName("rename-new") };
    names.push(renamed.name);
    const checked = await provider.check(base, renamed);
    expect(checked.failures).toEqual([]);
    const news = checked.inputs as typeof renamed;
    expect(news.offsetsFrom).toBe(base.name);
    expect(await provider.diff(oldOuts, news)).toMatchObject({ replaces: ["name"] });

    // Events keep arriving while the engine creates the replacement...
    const during = ids("during", 40);
    const producing = (async () => {
      for (let i = 0; i < during.length; i += 10) {
        await produce(
          topic,
          during.slice(i, i + 10).map((id) => ({ id })),
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const { outs: newOuts } = await provider.create(news);
    await producing;
    expect(newOuts).toMatchObject({ offsetsCopiedFrom: base.name, connectorState: "RUNNING" });
    // ...then deletes the replaced one, which has been stopped since the copy.
    await provider.delete(oldOuts);

    const after = ids("after", 60);
    await produce(
      topic,
      after.map((id) => ({ id })),
    );
    const report = await client.waitForIds([...before, ...during, ...after], {
      extract: idsOnPath(path),
      timeoutMs: 90_000,
    });
    expect(report.missing).toEqual([]);
    expect(report.duplicates).toEqual([]);
  });
});
