import { resolve } from "node:path";
import { runtime } from "@pulumi/pulumi";
import { connectorProvider } from "../../../../providers/connect/provider";
import { inputs, stored } from "./fixtures";

const ROOT = resolve(__dirname, "..", "..", "..", "..");

describe("connector provider: serialized, wired from its modules", () => {
  it("is text that requires npm modules by name and captures no module of this repository", async () => {
    const serialized = await runtime.serializeFunction(() => connectorProvider, {
      allowSecrets: true,
    });
    expect(serialized.text).toContain('require("axios")');
    expect(serialized.text).toContain('require("crypto")');
    expect(serialized.text).not.toContain(ROOT);
    for (const step of ["check", "diff", "create", "read", "update", "delete"]) {
      expect(serialized.text).toContain(`${step}:`);
    }
  });
});

describe("connector provider: serialized as the engine runs it", () => {
  it("keeps error messages once serialized (no Error subclass loses its message)", async () => {
    const { connectorProvider: provider } = await import("../../../../providers/connect/provider");
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
