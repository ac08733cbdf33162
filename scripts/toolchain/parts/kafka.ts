import * as fs from "node:fs";
import * as path from "node:path";
import { PartResult, installedPlugin } from "../cache";
import { sha256 } from "../common";
import { Context, SDK_MODULE, SOURCES, buildPart, buildWrapper, installPlugin } from "../context";
import { goSources } from "../go";

/** Pinned so that a rebuild picks the same Kafka client. */
const FRANZ_GO = {
  "github.com/twmb/franz-go": "v1.22.3",
  "github.com/twmb/franz-go/pkg/kadm": "v1.20.0",
};

/** Our stand-in of the kafka resource plugin (`kafka-provider/`): the bridged one is not served. */
export function partKafka(ctx: Context): Promise<PartResult> {
  const version = ctx.versions.kafka;
  const binary = path.join(ctx.layout.plugins, `kafka-${version}`, "pulumi-resource-kafka");
  const sources = goSources(path.join(SOURCES, "kafka-provider"));
  return buildPart(ctx, {
    part: "kafka",
    key: sha256("kafka", version, ctx.versions.cli, sources.hash, JSON.stringify(FRANZ_GO)),
    outputs: [binary, installedPlugin(ctx.layout, "kafka", version)],
    what: `the kafka plugin stand-in (scripts/toolchain/kafka-provider), as kafka ${version}`,
    cold: "cold, about 2 min",
    build: async () => {
      fs.mkdirSync(path.dirname(binary), { recursive: true });
      await buildWrapper(
        ctx,
        "kafka",
        "kafka plugin",
        {
          name: "tracking-pipeline.local/toolchain/pulumi-resource-kafka",
          requires: { [SDK_MODULE]: `v${ctx.versions.cli}`, ...FRANZ_GO },
          replaces: ctx.cliReplaces,
        },
        sources.files,
        ["-ldflags", `-s -w -X main.version=${version}`, "-o", binary, "."],
      );
      await installPlugin(ctx, "kafka", version, binary, path.join(ctx.layout.logs, "kafka.log"));
      return `stand-in provider, installed as kafka ${version}`;
    },
  });
}
