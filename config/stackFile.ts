import { parse } from "yaml";

/**
 * The project's settings in the text of a `Pulumi.<stack>.yaml`: keys without the `<project>:`
 * prefix, values as written (the shapes the engine hands over); `secure:` values, ciphertext, are
 * left out. For the tools that read a stack without the engine (`npm run status`, the unit tests'
 * mocks). Not exported from `config/index.ts`: the program never reads the file itself, and
 * `yaml` is a tool's dependency, not the program's.
 */
export function stackFileSettings(
  text: string,
  project = "tracking-pipeline",
): Record<string, unknown> {
  const doc = parse(text) as { config?: Record<string, unknown> } | null;
  const prefix = `${project}:`;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    if (!key.startsWith(prefix)) continue;
    if (value && typeof value === "object" && "secure" in value) continue;
    out[key.slice(prefix.length)] = value;
  }
  return out;
}
