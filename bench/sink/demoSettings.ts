/**
 * The connector config the demo deploys (`npm run demo`, stack `local`): Pulumi.local.yaml's
 * first destination, validated by the stack's own config schema and mapped by the same functions
 * the stack uses, so a change there shows up here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { httpSinkConfig } from "../../components/httpSinkConnector";
import { sinkSettingsOf } from "../../components/trackingPipeline";
import { parseStackConfig } from "../../config";

const PROJECT = "tracking-pipeline";

export interface DemoSettings {
  /** The connector config as rendered for the demo (URL and topics still the demo's). */
  readonly config: Record<string, string>;
  /** Partitions of the demo's tracking topic (`topicPartitions`). */
  readonly partitions: number;
}

export function demoSettings(root: string): DemoSettings {
  const file = join(root, "Pulumi.local.yaml");
  const doc = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    // The engine hands structured values over as JSON text.
    raw[key.slice(PROJECT.length + 1)] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const stack = parseStackConfig(raw, PROJECT);
  const destination = stack.destinations[0];
  if (!destination)
    throw new Error(`${file} declares no \`destinations\`: nothing to compare with`);
  const settings = sinkSettingsOf("local", stack, destination, 0, (key) => {
    throw new Error(`The demo's destination uses secret ${key}; the benchmark cannot read secrets`);
  });
  const { config, secretConfig } = httpSinkConfig(settings);
  if (Object.keys(secretConfig).length > 0) {
    throw new Error("The demo's destination has secret settings; the benchmark cannot use them");
  }
  return { config, partitions: stack.topicPartitions };
}
