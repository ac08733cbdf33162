import * as path from "node:path";
import { PartResult } from "../cache";
import { sha256 } from "../common";
import { CLI_MODULE, Context, SDK_MODULE, VERSION_VAR, buildPart, progressFor } from "../context";
import { goEnv, goModDownload } from "../go";
import { run } from "../run";
import { Upstream, sourceKey, writableSourceOf } from "../sources";

export const HOST_MODULE = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
/** The module root inside the third-party folder (see its ORIGIN.md). */
export const HOST_TREE = "pulumi-language-nodejs/sdk/nodejs/cmd/pulumi-language-nodejs";

/**
 * The Node.js language host of the release, at the CLI's version: from the Go module proxy, else
 * from its source tree.
 */
export function partLanguageHost(ctx: Context): Promise<PartResult> {
  const target = path.join(ctx.layout.bin, "pulumi-language-nodejs");
  const v = `v${ctx.versions.cli}`;
  const up: Upstream = { module: HOST_MODULE, version: v, tree: HOST_TREE };
  return buildPart(ctx, {
    part: "language-nodejs",
    key: sha256("language-nodejs", ctx.versions.cli, sourceKey(up, ctx.thirdParty)),
    outputs: [target],
    what: `the Node.js language host ${v} (${HOST_MODULE})`,
    cold: "cold, about 1.5 min",
    build: async () => `${HOST_MODULE} ${v} from ${await buildHost(ctx, up, target)}`,
  });
}

async function buildHost(ctx: Context, up: Upstream, target: string): Promise<string> {
  const log = path.join(ctx.layout.logs, "language-nodejs.log");
  const env = goEnv(ctx.layout.home);
  const progress = progressFor(ctx, "language host");
  const source = await writableSourceOf(
    up,
    { thirdParty: ctx.thirdParty, srcRoot: ctx.layout.src, name: "language-nodejs" },
    async (module, version) =>
      (await goModDownload(module, version, { env, cwd: ctx.layout.src, log })).dir,
  );
  const dir = source.dir;
  const opts = { cwd: dir, env, log, nice: true, progress };
  // Its go.mod points pkg and sdk at folders of the pulumi repository: take them at the tag.
  await run(
    "go",
    [
      "mod",
      "edit",
      `-dropreplace=${CLI_MODULE}`,
      `-dropreplace=${SDK_MODULE}`,
      `-require=${CLI_MODULE}@${up.version}`,
      `-require=${SDK_MODULE}@${up.version}`,
    ],
    opts,
  );
  await run("go", ["mod", "tidy"], opts);
  await run(
    "go",
    [
      "build",
      "-v",
      "-trimpath",
      "-tags",
      "osusergo,grpcnotrace",
      "-ldflags",
      `-w -s -X ${VERSION_VAR}=${up.version}`,
      "-o",
      target,
      ".",
    ],
    opts,
  );
  return source.from;
}
