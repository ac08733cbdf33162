import * as path from "node:path";
import { PartResult, cached, readMarker, reused, writeMarker } from "../cache";
import { ToolchainError, say, seconds, sha256 } from "../common";
import {
  CLI_MODULE,
  Context,
  SDK_MODULE,
  VERSION_VAR,
  buildWrapper,
  buildingLine,
  ensureGo,
} from "../context";
import { reportedVersion } from "../run";

/** The `pulumi` CLI itself, built from pkg/v3's `cmd/pulumi` at the version @pulumi/pulumi is. */
export async function partCli(ctx: Context): Promise<PartResult> {
  const target = path.join(ctx.layout.bin, "pulumi");
  const key = sha256("pulumi", ctx.versions.cli);
  const v = `v${ctx.versions.cli}`;
  const hit = !ctx.force && cached(ctx.layout, "pulumi", key, [target]);
  if (hit && (await reportedVersion(target)) === v) {
    return reused("pulumi", hit);
  }
  say(
    buildingLine(
      "pulumi",
      `pulumi CLI ${v} from the Go module proxy`,
      "cold, about 5 min",
      readMarker(ctx.layout, "pulumi"),
    ),
  );
  const start = process.hrtime.bigint();
  await ensureGo(ctx);
  await buildWrapper(
    ctx,
    "pulumi",
    "pulumi CLI",
    {
      name: "tracking-pipeline.local/toolchain/pulumi",
      requires: { [CLI_MODULE]: v, [SDK_MODULE]: v },
      replaces: ctx.cliReplaces,
      tool: `${CLI_MODULE}/cmd/pulumi`,
    },
    [],
    [
      "-tags",
      "osusergo",
      "-ldflags",
      `-s -w -X ${VERSION_VAR}=${v}`,
      "-o",
      target,
      `${CLI_MODULE}/cmd/pulumi`,
    ],
  );
  const reported = await reportedVersion(target);
  if (reported !== v) {
    throw new ToolchainError(`the built pulumi reports ${reported ?? "nothing"}, expected ${v}`);
  }
  const secs = seconds(start);
  writeMarker(ctx.layout, "pulumi", key, secs);
  return { part: "pulumi", outcome: "built", seconds: secs, detail: `${CLI_MODULE} ${v}` };
}
