import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeMarker } from "../../../scripts/toolchain/cache";
import { testContext } from "./toolchainContext";
import { Context, buildPart } from "../../../scripts/toolchain/context";

describe("buildPart's start line", () => {
  let root: string;
  let ctx: Context;
  let said: string[];
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "toolchain-part-"));
    ctx = testContext(root);
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
