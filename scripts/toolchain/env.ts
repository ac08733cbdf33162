import * as path from "node:path";
import { shellQuote } from "./common";

export interface ToolchainEnv {
  /** The folder with `pulumi` and its language host and shims. */
  readonly binDir: string;
  readonly pulumiHome: string;
  /** The file backend of the `local` stack (beside the local platform's data). */
  readonly localBackendDir: string;
}

/**
 * The `export` lines for a shell: the CLI on PATH, its PULUMI_HOME, no update checks or plugin
 * downloads, and the backend that holds the `local` stack's state.
 */
export function exportLines(e: ToolchainEnv): string[] {
  const values: [string, string][] = [
    ["PULUMI_HOME", e.pulumiHome],
    ["PULUMI_SKIP_UPDATE_CHECK", "true"],
    ["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true"],
    ["PULUMI_BACKEND_URL", `file://${e.localBackendDir}`],
  ];
  return [
    `export PATH=${shellQuote(e.binDir)}${path.delimiter}"$PATH"`,
    ...values.map(([k, v]) => `export ${k}=${shellQuote(v)}`),
  ];
}

/** Undoes {@link shellQuote}: `'a'\''b'` is `a'b`; a plain word is itself. */
function shellUnquote(word: string): string {
  if (!word.startsWith("'")) return word;
  return word.slice(1, -1).replace(/'\\''/g, "'");
}

/**
 * Reads the lines of {@link exportLines} back into variables, over `base`: PATH is prepended to
 * `base.PATH`. Other lines are ignored.
 */
export function applyExportLines(text: string, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const line of text.split("\n")) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, key, raw] = match;
    if (key === "PATH") {
      const dir = shellUnquote(raw.replace(new RegExp(`${path.delimiter}"\\$PATH"$`), ""));
      env.PATH = [dir, base.PATH].filter(Boolean).join(path.delimiter);
    } else {
      env[key] = shellUnquote(raw);
    }
  }
  return env;
}
