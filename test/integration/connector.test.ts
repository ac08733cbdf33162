import { ConnectorOutputs } from "../../providers/connect/provider";
import { provider, sinkInputs, worker } from "./connectorFixtures";
import { createTopic, platformEndpoints, uniqueName } from "./platform";

/**
 * The Connector provider's lifecycle against the real Connect worker of the local platform:
 * the provider's methods are called as the engine would call them.
 */
const e = platformEndpoints();
const created: string[] = [];

afterAll(async () => {
  await Promise.all(created.map((name) => worker.remove(name)));
});

async function fresh(overrides: Parameters<typeof sinkInputs>[3] = {}) {
  const name = uniqueName("conn");
  const topic = uniqueName("conn-topic");
  await createTopic(topic, 2);
  created.push(name);
  return sinkInputs(name, topic, `${e.receiverUrl}/${name}`, overrides);
}

describe("Connector provider: create, read, update, delete", () => {
  let inputs: ReturnType<typeof sinkInputs>;
  let outs: ConnectorOutputs;

  beforeAll(async () => {
    inputs = await fresh({
      extra: { "auth.type": "BASIC", "connection.user": "writer" },
      secretConfig: { "connection.password": "first-s3cret" },
    });
    outs = (await provider.create(inputs)).outs;
  });

  it("creates the connector and waits until it and its task run", async () => {
    expect(outs).toMatchObject({ connectorState: "RUNNING", taskStates: ["0:RUNNING"] });
    expect(await worker.status(inputs.name)).toMatchObject({
      connector: { state: "RUNNING" },
      tasks: [{ id: 0, state: "RUNNING" }],
    });
    // Secrets are stored as hashes only.
    expect(JSON.stringify(outs)).not.toContain("first-s3cret");
    expect(outs.secretHashes["connection.password"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("creates idempotently: a second create of the same connector just updates it", async () => {
    const again = await provider.create(inputs);
    expect(again.id).toBe(inputs.name);
    expect(again.outs.connectorState).toBe("RUNNING");
  });

  it("reads no drift: the server's `name` and the secret read back in clear are not changes", async () => {
    const live = await worker.config(inputs.name);
    // Connect 4.4 returns PASSWORD-type values in clear from GET /config, and adds `name`.
    expect(live).toMatchObject({ name: inputs.name, "connection.password": "first-s3cret" });
    const read = await provider.read(inputs.name, outs);
    expect(read.id).toBe(inputs.name);
    expect(read.props!.config).toEqual(inputs.config);
    expect(read.props!.secretHashes).toEqual(outs.secretHashes);
    expect(JSON.stringify(read)).not.toContain("first-s3cret");
    expect(await provider.diff(read.props!, inputs)).toMatchObject({ changes: false });
  });

  it("sees drift on a declared key changed behind its back, and update puts it back", async () => {
    const live = (await worker.config(inputs.name))!;
    const drifted = "http://127.0.0.1:9/drifted";
    await worker.putConfig(inputs.name, {
      ...live,
      "batch.max.size": "7",
      "http.api.url": drifted,
    });
    const read = await provider.read(inputs.name, outs);
    expect(read.props!.config["http.api.url"]).toBe(drifted);
    // A key the program never declared is not drift, whatever the server holds.
    expect(read.props!.config).not.toHaveProperty("batch.max.size");
    expect(await provider.diff(read.props!, inputs)).toMatchObject({
      changes: true,
      replaces: [],
    });
    outs = await provider.update(read.props!, inputs);
    expect((await worker.config(inputs.name))!["http.api.url"]).toBe(inputs.config["http.api.url"]);
  });

  it("sees a secret changed behind its back as drift, but not one that is unchanged", async () => {
    const live = (await worker.config(inputs.name))!;
    await worker.putConfig(inputs.name, { ...live, "connection.password": "rotated-elsewhere" });
    const read = await provider.read(inputs.name, outs);
    expect(read.props!.secretHashes["connection.password"]).not.toBe(
      outs.secretHashes["connection.password"],
    );
    expect(JSON.stringify(read)).not.toContain("rotated-elsewhere");
    expect(await provider.diff(read.props!, inputs)).toMatchObject({ changes: true });
    outs = await provider.update(read.props!, inputs);
    expect((await worker.config(inputs.name))!["connection.password"]).toBe("first-s3cret");
  });

  it("updates config, tasks.max and a secret in place", async () => {
    const news = {
      ...inputs,
      config: { ...inputs.config, "tasks.max": "2", "batch.max.size": "50" },
      secretConfig: { "connection.password": "second-s3cret" },
    };
    expect(await provider.diff(outs, news)).toMatchObject({ changes: true, replaces: [] });
    outs = await provider.update(outs, news);
    inputs = news;
    expect(outs.taskStates).toEqual(["0:RUNNING", "1:RUNNING"]);
    expect(await worker.config(inputs.name)).toMatchObject({
      "tasks.max": "2",
      "batch.max.size": "50",
      "connection.password": "second-s3cret",
    });
    expect(await provider.diff(outs, inputs)).toMatchObject({ changes: false });
  });

  it("moves through RUNNING, PAUSED, STOPPED and back to RUNNING", async () => {
    for (const [state, tasks] of [
      ["PAUSED", ["0:PAUSED", "1:PAUSED"]],
      ["STOPPED", []],
      ["RUNNING", ["0:RUNNING", "1:RUNNING"]],
    ] as const) {
      const news = { ...inputs, state };
      outs = await provider.update(outs, news);
      inputs = news;
      expect(outs).toMatchObject({ state, connectorState: state, taskStates: tasks });
      expect((await worker.status(inputs.name))!.connector.state).toBe(state);
      const read = await provider.read(inputs.name, outs);
      expect(await provider.diff(read.props!, inputs)).toMatchObject({ changes: false });
    }
  });

  it("reads a state changed behind its back as drift", async () => {
    await worker.waitFor(inputs.name, (s) => s?.connector.state === "RUNNING");
    const { connectUrl } = platformEndpoints();
    await fetch(`${connectUrl}/connectors/${inputs.name}/pause`, { method: "PUT" });
    await worker.waitFor(inputs.name, (s) => s?.connector.state === "PAUSED");
    const read = await provider.read(inputs.name, outs);
    expect(read.props!.state).toBe("PAUSED");
    expect(await provider.diff(read.props!, inputs)).toMatchObject({ changes: true });
    outs = await provider.update(read.props!, inputs);
    expect(outs.connectorState).toBe("RUNNING");
  });

  it("deletes the connector, and a second delete of a gone connector is done too", async () => {
    await provider.delete(outs);
    expect(await worker.status(inputs.name)).toBeNull();
    await expect(provider.delete(outs)).resolves.toBeUndefined();
    // Refresh then reports it gone: an empty id.
    expect((await provider.read(inputs.name, outs)).id).toBe("");
  });
});

describe("Connector provider: creating in a declared state", () => {
  it.each(["PAUSED", "STOPPED"] as const)(
    "creates a connector %s directly (POST with initial_state)",
    async (state) => {
      const inputs = await fresh({ state });
      const { outs } = await provider.create(inputs);
      expect(outs).toMatchObject({ connectorState: state });
      expect((await worker.status(inputs.name))!.connector.state).toBe(state);
    },
  );
});

describe("Connector provider: import by name", () => {
  let name: string;
  beforeAll(async () => {
    const inputs = await fresh({
      extra: { "auth.type": "BASIC", "connection.user": "writer", "batch.max.size": "25" },
    });
    name = inputs.name;
    // Created outside Pulumi, straight through the REST API.
    await worker.putConfig(name, {
      ...inputs.config,
      "connection.password": "imported-s3cret",
    });
    await worker.waitFor(name, (s) => s?.tasks[0]?.state === "RUNNING");
  });

  it("finds the endpoint in TRACKING_CONNECT_URL and keeps secrets as hashes only", async () => {
    process.env.TRACKING_CONNECT_URL = e.connectUrl;
    try {
      const read = await provider.read(name, undefined);
      expect(read.id).toBe(name);
      expect(read.inputs).toMatchObject({
        name,
        connect: { url: e.connectUrl },
        state: "RUNNING",
        secretConfig: {},
      });
      // Every key of the worker but `name`; the PASSWORD-type key (from the plugin's
      // definitions) is a hash only.
      expect(read.inputs!.config).toMatchObject({ "batch.max.size": "25", "auth.type": "BASIC" });
      expect(read.inputs!.config).not.toHaveProperty("name");
      expect(read.inputs!.config).not.toHaveProperty("connection.password");
      expect(Object.keys(read.props!.secretHashes)).toEqual(["connection.password"]);
      expect(JSON.stringify(read)).not.toContain("imported-s3cret");
      // Declaring what was imported, with the same secret, is no change.
      const declared = {
        ...read.inputs!,
        secretConfig: { "connection.password": "imported-s3cret" },
      };
      expect(await provider.diff(read.props!, declared)).toMatchObject({ changes: false });
    } finally {
      delete process.env.TRACKING_CONNECT_URL;
    }
  });

  it("reads through Connector.get's state, which carries the endpoint", async () => {
    const state = sinkInputs(name, "unused", "unused", { config: {} });
    const read = await provider.read(name, state as unknown as ConnectorOutputs);
    expect(read.props).toMatchObject({ name, connectorState: "RUNNING" });
    expect(read.props!.config["batch.max.size"]).toBe("25");
  });

  it("says how to give the endpoint when none is known", async () => {
    await expect(provider.read(name, undefined)).rejects.toThrow(/Set TRACKING_CONNECT_URL/);
  });
});

describe("Connector provider: import keeps credentials out of plain config", () => {
  const token = "Bearer imp0rted-t0ken-value";
  const password = "imported-pa55word";
  let name: string;
  beforeAll(async () => {
    const inputs = await fresh({
      extra: { "auth.type": "BASIC", "connection.user": "writer" },
    });
    name = inputs.name;
    // Created outside Pulumi: `headers` is a plain STRING key for the plugin, yet it holds a token.
    await worker.putConfig(name, {
      ...inputs.config,
      headers: `Authorization:${token}|Content-Type:application/json`,
      "connection.password": password,
    });
    await worker.waitFor(name, (s) => s?.tasks[0]?.state === "RUNNING");
  });

  it.each([
    ["an import by name", undefined],
    ["Connector.get's state", "get"],
  ] as const)("keeps headers and the password as hashes only in %s", async (_how, via) => {
    process.env.TRACKING_CONNECT_URL = e.connectUrl;
    try {
      const state =
        via === "get"
          ? (sinkInputs(name, "unused", "unused", { config: {} }) as unknown as ConnectorOutputs)
          : undefined;
      const read = await provider.read(name, state);
      expect(read.id).toBe(name);
      for (const config of [read.inputs!.config, read.props!.config]) {
        expect(config).not.toHaveProperty("headers");
        expect(config).not.toHaveProperty("connection.password");
        expect(config).toMatchObject({ "auth.type": "BASIC", "connection.user": "writer" });
      }
      expect(Object.keys(read.props!.secretHashes).sort()).toEqual([
        "connection.password",
        "headers",
      ]);
      expect(read.inputs!.secretConfig).toEqual({});
      const text = JSON.stringify(read);
      expect(text).not.toContain(token);
      expect(text).not.toContain(password);
    } finally {
      delete process.env.TRACKING_CONNECT_URL;
    }
  });
});

describe("Connector provider: check with the worker's validation", () => {
  it("names a bad key from the worker's own validation before anything changes", async () => {
    const inputs = await fresh({ extra: { "batch.max.size": "0" } });
    const result = await provider.check({}, inputs);
    expect(result.failures).toEqual([
      {
        property: "config",
        reason:
          '`config["batch.max.size"]`: Invalid value 0 for configuration batch.max.size: Value must be at least 1 (the Connect worker\'s validation)',
      },
    ]);
    expect(await worker.status(inputs.name)).toBeNull();
  });

  it("names a missing required key", async () => {
    const inputs = await fresh();
    const { "http.api.url": _url, ...config } = inputs.config;
    const result = await provider.check({}, { ...inputs, config });
    expect(result.failures).toEqual([
      {
        property: "config",
        reason:
          '`config["http.api.url"]`: Missing required configuration "http.api.url" which has no default value. (the Connect worker\'s validation)',
      },
    ]);
  });

  it("names a connector class the worker does not have", async () => {
    const inputs = await fresh({ extra: { "connector.class": "com.example.Missing" } });
    const result = await provider.check({}, inputs);
    expect(result.failures).toHaveLength(1);
    expect(result.failures![0].reason).toContain(
      `\`config["connector.class"]\` "com.example.Missing" is not installed on the Connect worker (installed: ${e.httpSinkConnectorClass}`,
    );
  });

  it("only warns when the worker cannot be reached (a cluster this update creates)", async () => {
    const inputs = { ...(await fresh()), connect: { url: "http://127.0.0.1:1" } };
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const result = await provider.check({}, inputs);
      expect(result.failures).toEqual([]);
      expect(spy).toHaveBeenCalledWith(
        expect.stringMatching(/^warning: connector ".*": not validated by the Connect worker/),
      );
    } finally {
      spy.mockRestore();
    }
  });

  it("accepts a good connector", async () => {
    expect((await provider.check({}, await fresh())).failures).toEqual([]);
  });
});

describe("Connector provider: a connector that fails on start", () => {
  it("fails the create with the connector's trace summarised", async () => {
    // A SASL consumer override without a JAAS line passes the worker's validation (each value
    // has its type) and fails each task's start, when the consumer is built.
    const inputs = await fresh({
      extra: {
        "consumer.override.security.protocol": "SASL_PLAINTEXT",
        "consumer.override.sasl.mechanism": "PLAIN",
      },
    });
    await expect(provider.create(inputs)).rejects.toThrow(
      /connector ".*" failed: task 0: .*Failed to construct kafka consumer.*Fix the setting the trace names/,
    );
  });
});
