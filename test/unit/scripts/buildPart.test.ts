import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { layoutFor, writeMarker } from "../../../scripts/toolchain/cache";
import { Context, buildPart } from "../../../scripts/toolchain/context";

describe("buildPart's start line", () => {
  let root: string;
  let ctx: Context;
  let said: string[];
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "toolchain-part-"));
    ctx = {
      layout: layoutFor(root, "3.248.0"),
      versions: { cli: "3.248.0", kafka: "3.13.2", kubernetes: "4.34.2" },
      force: false,
      thirdParty: join(root, "third_party"),
      cli: "pulumi",
      cliReplaces: [],
      cliGoVersion: "1.25",
      goReady: true,
    };
    said = [];
    jest.spyOn(console, "error").mockImplementation((line: string) => void said.push(line));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  const part = (key: string) => ({
    part: "kafka" as const,
    key,
    outputs: [join(root, "missing-binary")],
    what: "the kafka plugin",
    cold: "cold, about 2 min",
    build: () => Promise.resolve("built"),
  });

  it("gives the last build's time when the same inputs are rebuilt", async () => {
    writeMarker(ctx.layout, "kafka", "same", 42);
    await buildPart(ctx, part("same"));
    expect(said[0]).toBe("  kafka            building the kafka plugin (last build took 42s)");
  });

  it("gives the cold estimate when the last build had other inputs", async () => {
    writeMarker(ctx.layout, "kafka", "a stand-in's key", 1);
    await buildPart(ctx, part("the published plugin's key"));
    expect(said[0]).toBe("  kafka            building the kafka plugin (cold, about 2 min)");
  });
});
