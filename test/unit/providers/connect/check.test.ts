import {
  checkLocally,
  hasUnknowns,
  validationFailures,
  withRenameOffsets,
} from "../../../../providers/connect/check";
import { connectorProvider } from "../../../../providers/connect/provider";
import { inputs, UNKNOWN } from "./fixtures";

describe("check: local rules", () => {
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
    const failures = checkLocally({ ...inputs, state: "ASLEEP", connect: {} });
    expect(failures.map((f) => f.property)).toEqual(["connect", "state"]);
    expect(failures[1].reason).toBe("`state` must be RUNNING, PAUSED or STOPPED (found ASLEEP)");
  });

  it("skips values that are unknown during preview", () => {
    expect(checkLocally({ ...inputs, name: UNKNOWN, state: UNKNOWN })).toEqual([]);
    expect(hasUnknowns({ a: [{ b: UNKNOWN }] })).toBe(true);
    expect(hasUnknowns({ a: [{ b: "known" }] })).toBe(false);
  });

  it("refuses a restart policy, wait or offsetsFrom it cannot use, naming the default", () => {
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

describe("check: a rename carries the old name", () => {
  it("sets offsetsFrom to the old name when the name changes", () => {
    expect(withRenameOffsets(inputs, { ...inputs, name: "v2" })).toMatchObject({
      name: "v2",
      offsetsFrom: inputs.name,
    });
  });

  it("keeps an explicit offsetsFrom, and adds none while a name is unknown", () => {
    expect(withRenameOffsets(inputs, { ...inputs, name: "v2", offsetsFrom: "" })).toMatchObject({
      offsetsFrom: "",
    });
    expect(withRenameOffsets(inputs, { ...inputs, name: UNKNOWN })).not.toHaveProperty(
      "offsetsFrom",
    );
  });
});

describe("check: the provider's method", () => {
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

  it("does not ask the worker when a local rule failed", async () => {
    // Port 9 has no listener; a call there would warn, and the failure list would be the same.
    const bad = { ...inputs, connect: { url: "http://127.0.0.1:9" }, config: {} };
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const result = await connectorProvider.check!({}, bad);
      expect(result.failures).toHaveLength(2);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe("check: the worker's validation as failures", () => {
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
