import * as path from "node:path";
import { PartResult } from "../cache";
import { sha256 } from "../common";
import { Context, SDK_MODULE, SOURCES, VERSION_VAR, buildPart, buildWrapper } from "../context";
import { goSources } from "../go";

/** Our own Node.js language host (`language-nodejs/`): the upstream module is not served. */
export function partLanguageHost(ctx: Context): Promise<PartResult> {
  const target = path.join(ctx.layout.bin, "pulumi-language-nodejs");
  const sources = goSources(path.join(SOURCES, "language-nodejs"));
  const v = `v${ctx.versions.cli}`;
  return buildPart(ctx, {
    part: "language-nodejs",
    key: sha256("language-nodejs", ctx.versions.cli, sources.hash),
    outputs: [target],
    what: `the Node.js language host (scripts/toolchain/language-nodejs) on ${SDK_MODULE} ${v}`,
    cold: "cold, about 2 min",
    build: async () => {
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
      return `our host on ${SDK_MODULE} ${v}`;
    },
  });
}
