import * as fs from "node:fs";
import * as path from "node:path";
import { PartResult } from "../cache";
import { Context } from "../context";

/** A shim that runs one of @pulumi/pulumi's `cmd/` scripts, resolved from the current folder. */
function nodeShim(purpose: string, script: string): string {
  return [
    "#!/bin/sh",
    `# ${purpose}: @pulumi/pulumi's ${script}, from that folder's node_modules.`,
    "# Written by scripts/toolchain.",
    `script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/${script}'))") || exit 1`,
    `exec node "$script" "$@"`,
    "",
  ].join("\n");
}

/**
 * The two shell shims that sit beside the CLI in a release. The engine starts them in the
 * program's folder (dynamic providers) or the policy pack's folder (analyzer), so `require.resolve`
 * finds that folder's @pulumi/pulumi.
 */
export const SHIMS: Record<string, string> = {
  "pulumi-resource-pulumi-nodejs": nodeShim(
    "Dynamic provider host, started in the program's folder",
    "dynamic-provider",
  ),
  "pulumi-analyzer-policy": nodeShim(
    "Policy pack host, started in the policy pack's folder",
    "run-policy-pack",
  ),
};

export function partShims(ctx: Context): PartResult {
  let wrote = 0;
  for (const [name, text] of Object.entries(SHIMS)) {
    const file = path.join(ctx.layout.bin, name);
    if (!ctx.force && fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) continue;
    fs.writeFileSync(file, text, { mode: 0o755 });
    fs.chmodSync(file, 0o755);
    wrote++;
  }
  return {
    part: "shims",
    outcome: wrote ? "built" : "cached",
    seconds: 0,
    detail: Object.keys(SHIMS).join(", "),
  };
}
