import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import {
  connectApiError,
  ConnectorStatus,
  displayUrl,
  isMissingEndpoint,
  isRetryable,
} from "../../providers/connect/client";
import { engineAddress, warn } from "../../providers/connect/log";
import {
  checkLocally,
  connectorProvider,
  ConnectorInputs,
  ConnectorOutputs,
  hashSecrets,
  isMasked,
  kafkaVersionOf,
  planRestart,
  PROVIDER_VERSION,
  reached,
  redact,
  restartBackoffMinutes,
  stableJson,
  summariseTrace,
  validationFailures,
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
    lastRestartAt: "",
    offsetsCopiedFrom: "",
  };
}

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

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
    expect(checkLocally({ ...inputs, name: UNKNOWN })).toEqual([]);
  });

  it("refuses a restart policy, wait or offsetsFrom it cannot use", () => {
    const reasons = checkLocally({
      ...inputs,
      restartPolicy: { type: "always", maxRestarts: -1 },
      waitTimeoutSeconds: 0,
      offsetsFrom: "a/b",
    }).map((f) => f.reason);
    expect(reasons).toEqual([
      '`restartPolicy.type` must be "never" or "on-failure" (found always)',
      "`restartPolicy.maxRestarts` must be a whole number of 0 or more (found -1)",
      "`waitTimeoutSeconds` must be a number above 0 (found 0); remove it to use 300",
      '`offsetsFrom` "a/b" is not a connector name; give the old connector\'s name or ""',
    ]);
  });
});

describe("connector provider: check", () => {
  // An unknown value skips the worker's validation, so these run without any server.
  const pending = { ...inputs, config: { ...inputs.config, "http.api.url": UNKNOWN } };

  it("carries the old name into offsetsFrom when the name changes", async () => {
    const result = await connectorProvider.check!(inputs, { ...pending, name: "dev-amp-v2" });
    expect(result.inputs).toMatchObject({ name: "dev-amp-v2", offsetsFrom: "dev-amp-http-sink" });
    expect(result.failures).toEqual([]);
  });

  it("keeps an explicit offsetsFrom, also an empty one that turns the copy off", async () => {
    const result = await connectorProvider.check!(inputs, {
      ...pending,
      name: "dev-amp-v2",
      offsetsFrom: "",
    });
    expect(result.inputs).toMatchObject({ offsetsFrom: "" });
  });

  it("adds no offsetsFrom when the name stays or the connector is new", async () => {
    expect((await connectorProvider.check!(inputs, pending)).inputs).not.toHaveProperty(
      "offsetsFrom",
    );
    expect((await connectorProvider.check!({}, pending)).inputs).not.toHaveProperty("offsetsFrom");
  });
});

describe("connector provider: the worker's validation as check failures", () => {
  const result = {
    configs: [
      { value: { name: "name", errors: ['Missing required configuration "name"'] } },
      {
        value: {
          name: "batch.max.size",
          errors: ["Invalid value 0 for configuration batch.max.size: Value must be at least 1"],
        },
      },
      { value: { name: "connection.password", errors: ["Invalid value pw for it"] } },
      { value: { name: "topics", errors: [] } },
    ],
  };

  it("names each key, says which map it is in, and never shows a secret", () => {
    expect(validationFailures(inputs, result)).toEqual([
      {
        property: "config",
        reason:
          '`config["batch.max.size"]`: Invalid value 0 for configuration batch.max.size: Value must be at least 1 (the Connect worker\'s validation)',
      },
      {
        property: "secretConfig",
        reason:
          '`secretConfig["connection.password"]`: Invalid value pw for it (the Connect worker\'s validation)',
      },
    ]);
    const withLongSecret = { ...inputs, secretConfig: { "connection.password": "s3cret" } };
    const leaked = validationFailures(withLongSecret, {
      configs: [{ value: { name: "connection.password", errors: ["Invalid value s3cret"] } }],
    });
    expect(leaked[0].reason).toContain("Invalid value [secret]");
    expect(leaked[0].reason).not.toContain("s3cret");
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

  it("ignores offsetsFrom, which matters only when a connector is created", async () => {
    expect(await diff(stored(inputs), { ...inputs, offsetsFrom: "older" })).toMatchObject({
      changes: false,
    });
  });

  it("replaces the connector when it moves to another Connect cluster", async () => {
    const news = { ...inputs, connect: { url: "http://other:8083" } };
    expect(await diff(stored(inputs), news)).toMatchObject({ replaces: ["connect"] });
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

  it("removes every secret value from a message, longest first", () => {
    expect(
      redact("user bob pw hunter22 token hunter22x", ["hunter22", "hunter22x", "", "ab"]),
    ).toBe("user bob pw [secret] token [secret]");
  });

  it("reads Kafka's version, also from Confluent Platform's numbering", () => {
    expect(kafkaVersionOf("4.4.0")).toBe(4004);
    expect(kafkaVersionOf("3.6.1")).toBe(3006);
    expect(kafkaVersionOf("7.9.1-ccs")).toBe(3009);
    expect(kafkaVersionOf("8.0.0-ce")).toBe(4000);
    expect(kafkaVersionOf("weird")).toBe(0);
  });

  it("hides credentials of the endpoint URL in messages", () => {
    expect(displayUrl("https://u:p@connect:8083/")).toBe("https://connect:8083");
  });

  it("tells the declared state reached only when every task is in it", () => {
    const status = (connector: string, ...tasks: string[]) =>
      ({
        name: "c",
        connector: { state: connector, worker_id: "w" },
        tasks: tasks.map((state, id) => ({ id, state, worker_id: "w" })),
      }) as ConnectorStatus;
    expect(reached(status("RUNNING", "RUNNING", "RUNNING"), "RUNNING")).toBe(true);
    expect(reached(status("RUNNING", "RUNNING", "FAILED"), "RUNNING")).toBe(false);
    expect(reached(status("RUNNING"), "RUNNING")).toBe(false);
    expect(reached(status("STOPPED", "RUNNING"), "STOPPED")).toBe(false);
    expect(reached(status("STOPPED"), "STOPPED")).toBe(true);
    // Paused straight from STOPPED: Connect has no tasks until it is resumed.
    expect(reached(status("PAUSED"), "PAUSED")).toBe(true);
    expect(reached(undefined, "RUNNING")).toBe(false);
  });

  it("waits for a sink's tasks.max tasks, as the status lags a config change", () => {
    const sink = (...tasks: string[]) =>
      ({
        name: "c",
        type: "sink",
        connector: { state: "RUNNING", worker_id: "w" },
        tasks: tasks.map((state, id) => ({ id, state, worker_id: "w" })),
      }) as ConnectorStatus;
    expect(reached(sink("RUNNING"), "RUNNING", "2")).toBe(false);
    expect(reached(sink("RUNNING", "RUNNING"), "RUNNING", "2")).toBe(true);
    expect(reached(sink("RUNNING"), "RUNNING", undefined)).toBe(true);
  });

  it("compares JSON regardless of key order", () => {
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe(stableJson({ a: { c: 3, d: 2 }, b: 1 }));
  });
});

describe("Connect client: what is retried", () => {
  const error = (status: number | undefined, message: string) =>
    connectApiError(message, status, "PUT", "/connectors/x/config");

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

  it("tells an endpoint an older worker lacks from a missing connector", () => {
    expect(isMissingEndpoint(error(404, "GET /x answered 404: HTTP 404 Not Found"))).toBe(true);
    expect(isMissingEndpoint(error(404, "GET /x answered 404: Connector x not found"))).toBe(false);
  });

  it("does not retry an existing connector or another client error", () => {
    expect(isRetryable(error(409, "Connector x already exists"))).toBe(false);
    expect(isRetryable(error(400, "Connector configuration is invalid"))).toBe(false);
    expect(isRetryable(error(404, "Connector x not found"))).toBe(false);
    expect(isRetryable(new Error("other"))).toBe(false);
  });
});

describe("restart policy: Strimzi's backoff", () => {
  const policy = { type: "on-failure", maxRestarts: 3 } as const;
  const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes));

  it("waits min(n*n + n, 60) minutes after the n-th restart", () => {
    expect([0, 1, 2, 3, 4, 7, 8, 20].map(restartBackoffMinutes)).toEqual([
      0, 2, 6, 12, 20, 56, 60, 60,
    ]);
  });

  it("restarts a failed connector at once the first time", () => {
    expect(planRestart(policy, { restarts: 0, lastRestartAt: "" }, true, at(0))).toEqual({
      action: "restart",
      book: { restarts: 1, lastRestartAt: at(0).toISOString() },
    });
  });

  it("waits for the backoff before the next restart", () => {
    const book = { restarts: 1, lastRestartAt: at(0).toISOString() };
    expect(planRestart(policy, book, true, at(1))).toEqual({
      action: "wait",
      book,
      notBefore: at(2).toISOString(),
    });
    expect(planRestart(policy, book, true, at(2))).toMatchObject({
      action: "restart",
      book: { restarts: 2 },
    });
  });

  it("gives up after maxRestarts, and never restarts under `never`", () => {
    const book = { restarts: 3, lastRestartAt: at(0).toISOString() };
    expect(planRestart(policy, book, true, at(600))).toMatchObject({ action: "give-up" });
    expect(
      planRestart(
        { type: "never", maxRestarts: 3 },
        { restarts: 0, lastRestartAt: "" },
        true,
        at(0),
      ),
    ).toMatchObject({ action: "give-up", reason: "the restart policy is `never`" });
  });

  it("resets the count once the connector has run for the current backoff", () => {
    const book = { restarts: 2, lastRestartAt: at(0).toISOString() };
    expect(planRestart(policy, book, false, at(5)).book.restarts).toBe(2);
    expect(planRestart(policy, book, false, at(6)).book).toEqual({
      restarts: 0,
      lastRestartAt: at(0).toISOString(),
    });
  });
});

describe("warnings from the dynamic provider process", () => {
  it("finds the engine in the program's env or the dynamic provider's first argument", () => {
    expect(engineAddress(["node", "x"], { PULUMI_NODEJS_ENGINE: "127.0.0.1:1" })).toBe(
      "127.0.0.1:1",
    );
    const script = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
    expect(engineAddress(["node", script, "127.0.0.1:45678"], {})).toBe("127.0.0.1:45678");
    expect(engineAddress(["node", "jest", "--runInBand"], {})).toBeUndefined();
  });

  it("sends a WARNING to the engine's Log RPC", async () => {
    const logged: { severity: number; message: string }[] = [];
    const server = new grpc.Server();
    server.addService(engineGrpc.EngineService, {
      log: (
        call: grpc.ServerUnaryCall<enginePb.LogRequest, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        logged.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
        callback(null, new Empty());
      },
    } as unknown as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    try {
      await warn("worker unreachable", `127.0.0.1:${port}`);
      expect(logged).toEqual([
        { severity: enginePb.LogSeverity.WARNING, message: "worker unreachable" },
      ]);
    } finally {
      server.forceShutdown();
    }
  });

  it("writes to stderr when no engine answers", async () => {
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      await warn("no engine here", undefined);
      expect(spy).toHaveBeenCalledWith("warning: no engine here");
    } finally {
      spy.mockRestore();
    }
  });
});

describe("connector provider: serialized as the engine runs it", () => {
  it("keeps error messages once serialized (no Error subclass loses its message)", async () => {
    const { runtime } = await import("@pulumi/pulumi");
    const { connectorProvider: provider } = await import("../../providers/connect/provider");
    const serialized = await runtime.serializeFunction(() => provider, { allowSecrets: true });
    // The dynamic provider host loads the text the same way.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const requireFromString = require("require-from-string") as (code: string) => {
      handler: () => typeof provider;
    };
    const loaded = requireFromString(serialized.text).handler();
    const nowhere = {
      ...stored(inputs),
      // Port 9 (discard) has no listener here: the request fails at once.
      connect: { url: "http://127.0.0.1:9", retryDeadlineMs: 200 },
    };
    await expect(loaded.delete!(nowhere.name, nowhere)).rejects.toThrow(
      /DELETE http:\/\/127\.0\.0\.1:9\/connectors\/dev-amp-http-sink got no answer: .*ECONNREFUSED/,
    );
  });
});
