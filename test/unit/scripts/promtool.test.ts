import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { layoutFor, writeMarker } from "../../../scripts/toolchain/cache";
import { sha256 } from "../../../scripts/toolchain/common";
import { testContext } from "./toolchainContext";
import { Context } from "../../../scripts/toolchain/context";
import {
  PROMETHEUS_VERSION,
  partPromtool,
  promtoolBinary,
} from "../../../scripts/toolchain/parts/promtool";

describe("the promtool part", () => {
  let root: string;
  let ctx: Context;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "toolchain-promtool-"));
    ctx = testContext(root);
    jest.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  it("lives beside the CLI versions' folders, so a new Pulumi version does not rebuild it", () => {
    expect(promtoolBinary(root)).toBe(join(root, "promtool", "bin", "promtool"));
  });

  it("is reused from the cache without running go when its marker and binary are there", async () => {
    const binary = promtoolBinary(root);
    mkdirSync(join(root, "promtool", "bin"), { recursive: true });
    writeFileSync(binary, "");
    writeMarker(
      layoutFor(root, "promtool"),
      "promtool",
      sha256("promtool", PROMETHEUS_VERSION),
      363,
    );
    const r = await partPromtool(ctx);
    expect([r.part, r.outcome]).toEqual(["promtool", "cached"]);
  });
});
