import * as fs from "node:fs";
import * as path from "node:path";
import { PartResult, layoutFor } from "../cache";
import { sha256 } from "../common";
import { Context, buildPart, progressFor } from "../context";
import { goEnv, goModText } from "../go";
import { run } from "../run";

/**
 * Prometheus's `promtool`, for `promtool check rules` and `promtool test rules` on the alerting
 * rules (observability/prometheus/). Built from the Prometheus Go module (which has no replace
 * directive to repeat) into `<cache>/promtool`, beside the CLI versions' folders: a new Pulumi
 * version does not rebuild it.
 */

export const PROMETHEUS_MODULE = "github.com/prometheus/prometheus";
/** Prometheus 3.16's module version (the Go module is tagged v0.<minor>.<patch>). */
export const PROMETHEUS_VERSION = "v0.316.0";
const PROMTOOL_PACKAGE = `${PROMETHEUS_MODULE}/cmd/promtool`;

/** Where the platform's tests find the built promtool, without creating any folder. */
export function promtoolBinary(cacheRoot: string): string {
  return path.join(cacheRoot, "promtool", "bin", "promtool");
}

export function partPromtool(toolchain: Context): Promise<PartResult> {
  const ctx: Context = {
    ...toolchain,
    layout: layoutFor(path.dirname(toolchain.layout.dir), "promtool"),
  };
  const binary = promtoolBinary(path.dirname(toolchain.layout.dir));
  return buildPart(ctx, {
    part: "promtool",
    key: sha256("promtool", PROMETHEUS_VERSION),
    outputs: [binary],
    what: `promtool from ${PROMETHEUS_MODULE} ${PROMETHEUS_VERSION}`,
    cold: "cold, about 6 min",
    build: async () => {
      const dir = path.join(ctx.layout.src, "promtool");
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const goMod = goModText(
        {
          name: "tracking-pipeline.local/toolchain/promtool",
          requires: { [PROMETHEUS_MODULE]: PROMETHEUS_VERSION },
          replaces: [],
          tool: PROMTOOL_PACKAGE,
        },
        "1.26",
      );
      fs.writeFileSync(path.join(dir, "go.mod"), goMod);
      const log = path.join(ctx.layout.logs, "promtool.log");
      const env = goEnv(ctx.layout.home);
      const progress = progressFor(ctx, "promtool");
      await run("go", ["mod", "tidy"], { cwd: dir, env, log, nice: true, progress });
      fs.mkdirSync(path.dirname(binary), { recursive: true });
      const args = [
        "build",
        "-v",
        "-trimpath",
        "-ldflags",
        "-s -w",
        "-o",
        binary,
        PROMTOOL_PACKAGE,
      ];
      await run("go", args, { cwd: dir, env, log, nice: true, progress });
      return binary;
    },
  });
}
