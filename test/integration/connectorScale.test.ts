import { provider, sinkInputs, worker } from "./connectorFixtures";
import { createTopic, platformEndpoints, uniqueName } from "./platform";

/**
 * `pulumi up` creates independent resources in parallel: 20 connectors at once make the worker
 * rebalance again and again while the provider waits for each to run.
 */
const e = platformEndpoints();

describe("Connector provider: many connectors at once", () => {
  const names = Array.from({ length: 20 }, (_, i) => uniqueName(`scale-${i}`));
  afterAll(async () => {
    await Promise.all(names.map((name) => worker.remove(name)));
  });

  it("creates 20 connectors concurrently, all ending RUNNING, then reads and deletes them", async () => {
    const topic = uniqueName("scale-topic");
    await createTopic(topic, 2);
    const inputs = names.map((name) => sinkInputs(name, topic, `${e.receiverUrl}/${name}`));
    const created = await Promise.all(inputs.map((i) => provider.create(i)));
    expect(created.map((c) => c.outs.connectorState)).toEqual(names.map(() => "RUNNING"));
    for (const name of names) {
      expect(await worker.status(name)).toMatchObject({
        connector: { state: "RUNNING" },
        tasks: [{ state: "RUNNING" }],
      });
    }

    const reads = await Promise.all(created.map((c) => provider.read(c.id, c.outs)));
    const diffs = await Promise.all(reads.map((r, i) => provider.diff(r.props!, inputs[i])));
    expect(diffs.map((d) => d.changes)).toEqual(names.map(() => false));

    await Promise.all(created.map((c) => provider.delete(c.outs)));
    for (const name of names) expect(await worker.status(name)).toBeNull();
  });
});
