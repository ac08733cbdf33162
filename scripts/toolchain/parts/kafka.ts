import * as path from "node:path";
import { PartResult, installedPlugin } from "../cache";
import { sha256 } from "../common";
import { Context, buildPart, installPlugin, progressFor } from "../context";
import { goEnv, goModDownload } from "../go";
import { run } from "../run";
import { Upstream, sourceKey, writableSourceOf } from "../sources";

export const KAFKA_MODULE = "github.com/pulumi/pulumi-kafka/provider/v3";
/** The module root inside the third-party folder (see its ORIGIN.md). */
export const KAFKA_TREE = "pulumi-kafka/provider";

/**
 * The published kafka resource plugin (Mongey's Terraform provider through the Pulumi bridge), at
 * the `pulumi.version` @pulumi/kafka asks for: from the Go module proxy, else from its source tree.
 */
export function partKafka(ctx: Context): Promise<PartResult> {
  const version = ctx.versions.kafka;
  const binary = path.join(ctx.layout.plugins, `kafka-${version}`, "pulumi-resource-kafka");
  const up: Upstream = { module: KAFKA_MODULE, version: `v${version}`, tree: KAFKA_TREE };
  return buildPart(ctx, {
    part: "kafka",
    key: sha256("kafka", version, sourceKey(up, ctx.thirdParty)),
    outputs: [binary, installedPlugin(ctx.layout, "kafka", version)],
    what: `the kafka plugin v${version} (${KAFKA_MODULE})`,
    cold: "cold, about 2 min",
    build: async () => {
      const from = await buildKafka(ctx, up, binary);
      await installPlugin(ctx, "kafka", version, binary, path.join(ctx.layout.logs, "kafka.log"));
      return `${KAFKA_MODULE} v${version} from ${from}`;
    },
  });
}

/** The build steps of the provider's Makefile that matter here: generate the embed, build. */
async function buildKafka(ctx: Context, up: Upstream, binary: string): Promise<string> {
  const log = path.join(ctx.layout.logs, "kafka.log");
  const env = goEnv(ctx.layout.home);
  const progress = progressFor(ctx, "kafka plugin");
  // Writable: `go generate` writes schema-embed.json beside main.go.
  const source = await writableSourceOf(
    up,
    { thirdParty: ctx.thirdParty, srcRoot: ctx.layout.src, name: "kafka" },
    async (module, version) =>
      (await goModDownload(module, version, { env, cwd: ctx.layout.src, log })).dir,
  );
  const dir = source.dir;
  const opts = { env, log, nice: true, progress };
  // Not `go mod download`: that asks for pulumi-java, which only the schema generator needs.
  const cmd = path.join(dir, "cmd", "pulumi-resource-kafka");
  const version = up.version.slice(1);
  await run("go", ["generate", "."], { ...opts, cwd: cmd, env: { ...env, VERSION: version } });
  const versionVar = `${KAFKA_MODULE}/pkg/version.Version=${version}`;
  await run(
    "go",
    [
      "build",
      "-v",
      "-ldflags",
      `-s -w -X ${versionVar}`,
      "-o",
      binary,
      "./cmd/pulumi-resource-kafka",
    ],
    { ...opts, cwd: dir },
  );
  return source.from;
}
