import { ConnectApiError, isRetryable } from "../../providers/connect/client";
import {
  checkLocally,
  connectorProvider,
  ConnectorInputs,
  ConnectorOutputs,
  hashSecrets,
  isMasked,
  PROVIDER_VERSION,
  stableJson,
  summariseTrace,
} from "../../providers/connect/provider";

const inputs: ConnectorInputs = {
  connect: { url: "http://127.0.0.1:18083" },
  connectSecrets: {},
  name: "dev-amp-http-sink",
  config: { "connector.class": "x.Sink", topics: "dev.tracking", "tasks.max": "2" },
  secretConfig: { "connection.password": "pw" },
  state: "RUNNING",
  restartPolicy: { type: "on-failure", maxRestarts: 10 },
  waitTimeoutSeconds: 300,
  providerVersion: PROVIDER_VERSION,
};

function stored(from: ConnectorInputs): ConnectorOutputs {
  const { secretConfig, ...rest } = from;
  return {
    ...rest,
    secretHashes: hashSecrets(from.name, secretConfig),
    connectorState: "RUNNING",
    taskStates: ["0:RUNNING"],
    restarts: 0,
  };
}

describe("connector provider: local checks", () => {
  it("accepts a well-formed connector", () => {
    expect(checkLocally({ ...inputs })).toEqual([]);
  });

  it("names a value that is not a string", () => {
    expect(checkLocally({ ...inputs, config: { ...inputs.config, "tasks.max": 2 } })).toEqual([
      {
        property: "config",
        reason:
          '`config["tasks.max"]` must be a string (found number); Connect rejects other types',
      },
    ]);
  });

  it("rejects a name Connect cannot route", () => {
    expect(checkLocally({ ...inputs, name: "a/b" })[0].reason).toContain('`name` "a/b" must be');
  });

  it("requires the connector class and topics", () => {
    expect(checkLocally({ ...inputs, config: {} }).map((f) => f.reason)).toEqual([
      '`config["connector.class"]` is required',
      '`config["topics"]` (or `topics.regex`) is required for a sink connector',
    ]);
  });

  it("refuses a key that is both plain and secret", () => {
    const reasons = checkLocally({
      ...inputs,
      config: { ...inputs.config, "connection.password": "x" },
    }).map((f) => f.reason);
    expect(reasons).toEqual([
      "`connection.password` is in both `config` and `secretConfig`; keep it in `secretConfig` only",
    ]);
  });

  it("refuses an unknown state and a missing endpoint", () => {
    const reasons = checkLocally({ ...inputs, state: "ASLEEP", connect: {} }).map(
      (f) => f.property,
    );
    expect(reasons).toEqual(["connect", "state"]);
  });

  it("skips values that are unknown during preview", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(checkLocally({ ...inputs, name: unknown })).toEqual([]);
  });
});

describe("connector provider: diff", () => {
  const diff = (olds: ConnectorOutputs, news: ConnectorInputs) =>
    connectorProvider.diff!(olds.name, olds, news);

  it("finds no change when nothing changed, whatever the key order", async () => {
    const reordered = {
      ...inputs,
      config: { "tasks.max": "2", topics: "dev.tracking", "connector.class": "x.Sink" },
    };
    expect(await diff(stored(inputs), reordered)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates in place when config, tasks.max or state change", async () => {
    for (const news of [
      { ...inputs, config: { ...inputs.config, "tasks.max": "4" } },
      { ...inputs, state: "PAUSED" as const },
    ]) {
      expect(await diff(stored(inputs), news)).toMatchObject({ changes: true, replaces: [] });
    }
  });

  it("updates in place when only a secret changes", async () => {
    const news = { ...inputs, secretConfig: { "connection.password": "rotated" } };
    expect(await diff(stored(inputs), news)).toMatchObject({ changes: true, replaces: [] });
  });

  it("replaces the connector when its name changes", async () => {
    expect(await diff(stored(inputs), { ...inputs, name: "dev-amp-v2" })).toMatchObject({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: false,
    });
  });
});

describe("connector provider: helpers", () => {
  it("hashes secrets per connector, key and value", () => {
    const a = hashSecrets("c1", { k: "v" });
    expect(a.k).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecrets("c2", { k: "v" }).k).not.toBe(a.k);
    expect(hashSecrets("c1", { k: "w" }).k).not.toBe(a.k);
    expect(JSON.stringify(a)).not.toContain('"v"');
  });

  it("recognises masked values", () => {
    expect(isMasked("[hidden]")).toBe(true);
    expect(isMasked("********")).toBe(true);
    expect(isMasked("${file:/secrets:pw}")).toBe(true);
    expect(isMasked("pw")).toBe(false);
  });

  it("summarises a Java trace to its message and causes", () => {
    const trace = [
      "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask",
      "\tat org.apache.kafka.connect.runtime.WorkerSinkTask.deliver(WorkerSinkTask.java:1)",
      "Caused by: java.net.ConnectException: Connection refused",
      "\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
    ].join("\n");
    expect(summariseTrace(trace)).toBe(
      "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask | Caused by: java.net.ConnectException: Connection refused",
    );
  });

  it("compares JSON regardless of key order", () => {
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe(stableJson({ a: { c: 3, d: 2 }, b: 1 }));
  });
});

describe("Connect client: what is retried", () => {
  const error = (status: number | undefined, message: string) =>
    new ConnectApiError(message, status, "PUT", "/connectors/x/config");

  it("retries conflicts, rebalances and connection failures", () => {
    expect(
      isRetryable(
        error(
          409,
          "Cannot complete request because of a conflicting operation (e.g. worker rebalance)",
        ),
      ),
    ).toBe(true);
    expect(
      isRetryable(error(500, "Request cannot be completed because a rebalance is expected")),
    ).toBe(true);
    expect(isRetryable(error(503, "Service Unavailable"))).toBe(true);
    expect(isRetryable(error(undefined, "connect ECONNREFUSED 127.0.0.1:18083"))).toBe(true);
  });

  it("does not retry an existing connector or another client error", () => {
    expect(isRetryable(error(409, "Connector x already exists"))).toBe(false);
    expect(isRetryable(error(400, "Connector configuration is invalid"))).toBe(false);
    expect(isRetryable(error(404, "Connector x not found"))).toBe(false);
    expect(isRetryable(new Error("other"))).toBe(false);
  });
});
