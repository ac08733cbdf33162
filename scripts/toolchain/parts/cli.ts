import * as path from "node:path";
import { PartResult } from "../cache";
import { ToolchainError, sha256 } from "../common";
import { CLI_MODULE, Context, SDK_MODULE, VERSION_VAR, buildPart, buildWrapper } from "../context";
import { reportedVersion } from "../run";

/** The `pulumi` CLI itself, built from pkg/v3's `cmd/pulumi` at the version @pulumi/pulumi is. */
export function partCli(ctx: Context): Promise<PartResult> {
  const target = path.join(ctx.layout.bin, "pulumi");
  const v = `v${ctx.versions.cli}`;
  return buildPart(ctx, {
    part: "pulumi",
    key: sha256("pulumi", ctx.versions.cli),
    outputs: [target],
    stillGood: async () => (await reportedVersion(target)) === v,
    what: `pulumi CLI ${v} from the Go module proxy`,
    cold: "cold, about 5 min",
    build: async () => {
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
        throw new ToolchainError(
          `the built pulumi reports ${reported ?? "nothing"}, expected ${v}`,
        );
      }
      return `${CLI_MODULE} ${v}`;
    },
  });
}
