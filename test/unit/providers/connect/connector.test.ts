import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Connector } from "../../../../providers/connect/connector";
import { DEFAULT_RESTART_POLICY } from "../../../../providers/connect/restart";
import {
  DEFAULT_STATE,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  PROVIDER_VERSION,
} from "../../../../providers/connect/types";
import { CONNECTOR_TYPE, named, promiseOf, settled, useMocks } from "../../mocks";

describe("Connector: the resource applies the provider's defaults", () => {
  beforeEach(() => useMocks());

  it("registers the default state, restart policy and wait", async () => {
    const connector = new Connector("amp", {
      connect: { url: "http://connect:8083", password: "pw" },
      name: "dev-amp",
      config: { "connector.class": "x.Sink", topics: "t" },
    });
    await settled(connector);
    expect(named(CONNECTOR_TYPE, "amp").inputs).toMatchObject({
      connect: { url: "http://connect:8083" },
      name: "dev-amp",
      state: DEFAULT_STATE,
      restartPolicy: DEFAULT_RESTART_POLICY,
      waitTimeoutSeconds: DEFAULT_WAIT_TIMEOUT_SECONDS,
      providerVersion: PROVIDER_VERSION,
    });
    expect(await promiseOf(connector.name)).toBe("dev-amp");
  });

  it("documents the same defaults it applies", () => {
    const source = readFileSync(
      join(__dirname, "..", "..", "..", "..", "providers", "connect", "connector.ts"),
      "utf8",
    );
    expect(source).toContain(`Declared state. Defaults to \`${DEFAULT_STATE}\`.`);
    expect(source).toContain(
      `Defaults to \`${DEFAULT_RESTART_POLICY.type}\` with ${DEFAULT_RESTART_POLICY.maxRestarts} restarts.`,
    );
    expect(source).toContain(`Defaults to ${DEFAULT_WAIT_TIMEOUT_SECONDS}.`);
  });
});
