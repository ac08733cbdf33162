import * as path from "node:path";
import { PartResult, cached, readMarker, reused, writeMarker } from "../cache";
import { say, seconds, sha256 } from "../common";
import {
  Context,
  SDK_MODULE,
  SOURCES,
  VERSION_VAR,
  buildWrapper,
  buildingLine,
  ensureGo,
} from "../context";
import { goSources } from "../go";

/** Our own Node.js language host (`language-nodejs/`): the upstream module is not served. */
export async function partLanguageHost(ctx: Context): Promise<PartResult> {
  const target = path.join(ctx.layout.bin, "pulumi-language-nodejs");
  const sources = goSources(path.join(SOURCES, "language-nodejs"));
  const key = sha256("language-nodejs", ctx.versions.cli, sources.hash);
  const hit = !ctx.force && cached(ctx.layout, "language-nodejs", key, [target]);
  if (hit) {
    return reused("language-nodejs", hit);
  }
  const v = `v${ctx.versions.cli}`;
  say(
    buildingLine(
      "language-nodejs",
      `the Node.js language host (scripts/toolchain/language-nodejs) on ${SDK_MODULE} ${v}`,
      "cold, about 2 min",
      readMarker(ctx.layout, "language-nodejs"),
    ),
  );
  const start = process.hrtime.bigint();
  await ensureGo(ctx);
  await buildWrapper(
    ctx,
    "language-nodejs",
    "language host",
    {
      name: "tracking-pipeline.local/toolchain/pulumi-language-nodejs",
      requires: { [SDK_MODULE]: v },
      replaces: ctx.cliReplaces,
    },
    sources.files,
    ["-ldflags", `-s -w -X ${VERSION_VAR}=${v}`, "-o", target, "."],
  );
  const secs = seconds(start);
  writeMarker(ctx.layout, "language-nodejs", key, secs);
  return {
    part: "language-nodejs",
    outcome: "built",
    seconds: secs,
    detail: `our host on ${SDK_MODULE} ${v}`,
  };
}
