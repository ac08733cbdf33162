import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { provider, sinkInputs, worker } from "./connectorFixtures";
import { createTopic, produce, uniqueName } from "./platform";

/**
 * A task that fails for real: its destination refuses connections and `max.retries=0` with
 * `behavior.on.error=fail` fails the task on the first event. Once the destination listens,
 * refresh (read) restarts the task under the `on-failure` policy and the event is delivered.
 */

/** A port nothing listens on (yet): the OS hands out a free one, which we release. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The destination, started late on that port; it records the ids it accepts. */
async function destination(port: number): Promise<{ server: Server; ids: string[] }> {
  const ids: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      ids.push((JSON.parse(body) as { id: string }).id);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, ids };
}

describe("Connector provider: restart policy on refresh", () => {
  let name = "";
  let server: Server | undefined;
  afterAll(async () => {
    await worker.remove(name);
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it("leaves a failed task alone under `never`, restarts it under `on-failure`", async () => {
    const port = await freePort();
    const topic = uniqueName("restart-topic");
    await createTopic(topic, 1);
    const inputs = sinkInputs(uniqueName("restart"), topic, `http://127.0.0.1:${port}/events`, {
      extra: { "max.retries": "0", "behavior.on.error": "fail" },
      restartPolicy: { type: "never", maxRestarts: 3 },
    });
    name = inputs.name;
    const { outs } = await provider.create(inputs);
    await produce(topic, [{ id: "lost-then-found" }]);
    await worker.waitFor(name, (s) => s?.tasks[0]?.state === "FAILED");

    // `never`: refresh reports the failure and restarts nothing.
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const untouched = await provider.read(name, outs);
    const warnings = spy.mock.calls.map((call) => String(call[0]));
    spy.mockRestore();
    expect(untouched.props).toMatchObject({ taskStates: ["0:FAILED"], restarts: 0 });
    expect(warnings).toEqual([
      `warning: connector "${name}" has failed and was not restarted (the restart policy is \`never\`).`,
    ]);

    // The destination recovers; the program switches to `on-failure` (an update, which already
    // restarts once), and refresh is what restarts it when it fails again later.
    const dest = await destination(port);
    server = dest.server;
    const policy = { type: "on-failure", maxRestarts: 3 } as const;
    const refreshed = await provider.read(name, { ...untouched.props!, restartPolicy: policy });
    expect(refreshed.props).toMatchObject({ taskStates: ["0:RUNNING"], restarts: 1 });
    expect(Date.parse(refreshed.props!.lastRestartAt)).toBeGreaterThan(Date.now() - 60_000);
    const deadline = Date.now() + 30_000;
    while (!dest.ids.includes("lost-then-found") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(dest.ids).toEqual(["lost-then-found"]);

    // Healthy again, but the count resets only after running for the backoff (2 minutes).
    const again = await provider.read(name, refreshed.props!);
    expect(again.props).toMatchObject({ restarts: 1, taskStates: ["0:RUNNING"] });
  });

  it("restarts a failed task during an update, once, and reports the trace when it fails again", async () => {
    const port = await freePort();
    const topic = uniqueName("restart-topic");
    await createTopic(topic, 1);
    const inputs = sinkInputs(uniqueName("restart-up"), topic, `http://127.0.0.1:${port}/x`, {
      extra: { "max.retries": "0", "behavior.on.error": "fail" },
    });
    const { outs } = await provider.create(inputs);
    try {
      await produce(topic, [{ id: "never-delivered" }]);
      await worker.waitFor(inputs.name, (s) => s?.tasks[0]?.state === "FAILED");
      const news = { ...inputs, waitTimeoutSeconds: 30 };
      // The restart fails again at once (still nobody listening); the next one must wait 2 min.
      const failure = await provider.update(outs, news).then(
        () => new Error("the update succeeded"),
        (err: Error) => err,
      );
      expect(failure.message).toMatch(
        new RegExp(
          `^connector "${inputs.name}" failed: task 0: org.apache.kafka.connect.errors.ConnectException: .*` +
            "The restart policy allows the next restart at .* \\(a `pulumi refresh` then restarts it\\)",
        ),
      );
    } finally {
      await worker.remove(inputs.name);
    }
  });
});
