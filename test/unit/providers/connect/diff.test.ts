import {
  configChanged,
  diffConnector,
  externalSecretsChanged,
  stableJson,
} from "../../../../providers/connect/diff";
import { newHashKey } from "../../../../providers/keyedHash";
import { hashSecrets } from "../../../../providers/connect/secrets";
import { connectorProvider } from "../../../../providers/connect/provider";
import type { ConnectorInputs, ConnectorOutputs } from "../../../../providers/connect/types";
import { inputs, stored } from "./fixtures";

const diff = (olds: ConnectorOutputs, news: ConnectorInputs) =>
  connectorProvider.diff!(olds.name, olds, news);

describe("diff", () => {
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

  it("updates in place when only an external secret (read through a reference) rotates", async () => {
    const withExternal = { ...inputs, externalSecrets: { "c.connection.password": "old" } };
    const olds = stored(withExternal);
    expect(await diff(olds, withExternal)).toMatchObject({ changes: false });
    const rotated = { ...withExternal, externalSecrets: { "c.connection.password": "new" } };
    expect(externalSecretsChanged(olds, rotated)).toBe(true);
    expect(configChanged(olds, rotated)).toBe(false);
    expect(await diff(olds, rotated)).toMatchObject({ changes: true, replaces: [] });
  });

  it("compares under the stored key: the same value under another key is a change", () => {
    const key = newHashKey();
    const olds = {
      ...stored(inputs),
      hashKey: key,
      secretHashes: hashSecrets(inputs.name, inputs.secretConfig, key),
    };
    expect(configChanged(olds, inputs)).toBe(false);
    expect(configChanged({ ...olds, hashKey: newHashKey() }, inputs)).toBe(true);
    // State written before keys existed: unkeyed hashes, compared without a key.
    expect(configChanged(stored(inputs), inputs)).toBe(false);
  });

  it("ignores offsetsFrom, which matters only when a connector is created", async () => {
    expect(await diff(stored(inputs), { ...inputs, offsetsFrom: "older" })).toMatchObject({
      changes: false,
    });
  });

  it("replaces the connector when its name changes", async () => {
    expect(await diff(stored(inputs), { ...inputs, name: "dev-amp-v2" })).toMatchObject({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: false,
    });
  });
});

describe("diff: a new Connect endpoint is never a replace", () => {
  // A replace would create (adopt) the connector at the new URL, then delete it at the old one.
  it("updates in place when the same workers get another name and a trailing slash", async () => {
    const news = { ...inputs, connect: { url: "http://localhost:18083/" } };
    expect(await diff(stored(inputs), news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates in place when the URL names another Connect cluster", async () => {
    const news = { ...inputs, connect: { url: "https://connect.other.svc:8083" } };
    expect(diffConnector(stored(inputs), news)).toMatchObject({ changes: true, replaces: [] });
  });

  it("sees no change in a trailing slash, the case of the host or a default port", async () => {
    const olds = stored({ ...inputs, connect: { url: "http://connect.svc:80" } });
    for (const url of ["http://connect.svc:80/", "HTTP://Connect.SVC/", "http://connect.svc//"]) {
      expect(diffConnector(olds, { ...inputs, connect: { url } })).toMatchObject({
        changes: false,
      });
    }
  });

  it("still replaces on a new name, also when the URL changes with it", async () => {
    const news = { ...inputs, name: "dev-amp-v2", connect: { url: "http://localhost:18083/" } };
    expect(diffConnector(stored(inputs), news)).toMatchObject({ replaces: ["name"] });
  });

  it("updates when another setting of the endpoint changes", async () => {
    const news = { ...inputs, connect: { ...inputs.connect, username: "ops" } };
    expect(diffConnector(stored(inputs), news)).toMatchObject({ changes: true, replaces: [] });
  });
});

describe("diff: the one config comparison, also used by update", () => {
  it("compares plain keys regardless of order, and secrets by hash", () => {
    const olds = stored(inputs);
    expect(configChanged(olds, { ...inputs, config: { ...inputs.config } })).toBe(false);
    expect(configChanged(olds, { ...inputs, config: { ...inputs.config, x: "1" } })).toBe(true);
    expect(configChanged(olds, { ...inputs, secretConfig: { "connection.password": "b" } })).toBe(
      true,
    );
    expect(configChanged(olds, { ...inputs, secretConfig: {} })).toBe(true);
  });

  it("ignores what is not config: state, policy, endpoint", () => {
    const news = {
      ...inputs,
      state: "STOPPED" as const,
      restartPolicy: { type: "never", maxRestarts: 0 } as const,
      connect: { url: "http://elsewhere:8083" },
    };
    expect(configChanged(stored(inputs), news)).toBe(false);
  });

  it("compares JSON regardless of key order", () => {
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe(stableJson({ a: { c: 3, d: 2 }, b: 1 }));
  });
});
