import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DEFAULT_PORTS,
  PlatformPorts,
  PlatformSettings,
  pulumiStateDir,
  resolveSettings,
} from "../platform/settings";

/**
 * The `local` stack of the demo: where its state lives, and its config for the platform's ports.
 * The state sits in the platform's home, not in the clone: a second clone (or a `git clean`) then
 * finds the stack that created the platform's topics instead of trying to create them again.
 */

export const LOCAL_STACK = "local";
const PROJECT = "tracking-pipeline";

/** The file backend of the `local` stack: `pulumi-state/` in the platform home. */
export function localBackendDir(env: NodeJS.ProcessEnv = process.env): string {
  return pulumiStateDir(resolveSettings({}, env));
}

/** Where a file backend keeps a stack's checkpoint. */
export function stackCheckpoint(backendDir: string, stack = LOCAL_STACK): string {
  return join(backendDir, ".pulumi", "stacks", PROJECT, `${stack}.json`);
}

/**
 * Moves a clone's own `.pulumi-state/` (where the local stack lived before) into the shared
 * backend when that has no `local` stack yet, so its resources are not created twice. Returns
 * what it did, or undefined when there was nothing to move.
 */
export function adoptCloneState(root: string, backendDir: string): string | undefined {
  const old = join(root, ".pulumi-state");
  if (!existsSync(stackCheckpoint(old)) || existsSync(stackCheckpoint(backendDir)))
    return undefined;
  cpSync(join(old, ".pulumi"), join(backendDir, ".pulumi"), { recursive: true });
  rmSync(old, { recursive: true, force: true });
  return `moved the local stack's state from ${old} to ${backendDir}`;
}

const PORT_KEYS: readonly (keyof PlatformPorts)[] = ["kafka", "connect", "restProxy", "receiver"];

/**
 * `Pulumi.local.yaml`'s text pointed at the platform's ports: every `127.0.0.1:<default port>`
 * becomes `127.0.0.1:<port>`. Unchanged when the platform runs on the default ports.
 */
export function localConfigForPorts(text: string, ports: PlatformPorts): string {
  let out = text;
  for (const key of PORT_KEYS) {
    if (ports[key] === DEFAULT_PORTS[key]) continue;
    out = out.replace(new RegExp(`127\\.0\\.0\\.1:${DEFAULT_PORTS[key]}\\b`, "g"), () => {
      return `127.0.0.1:${ports[key]}`;
    });
  }
  return out;
}

/**
 * The stack config file for `--config-file`: undefined (use `Pulumi.local.yaml` itself) on the
 * default ports, else a copy with the platform's ports, written into the platform home.
 */
export function localConfigFile(root: string, settings: PlatformSettings): string | undefined {
  const text = readFileSync(join(root, `Pulumi.${LOCAL_STACK}.yaml`), "utf8");
  const adjusted = localConfigForPorts(text, settings.ports);
  if (adjusted === text) return undefined;
  const file = join(settings.home, `Pulumi.${LOCAL_STACK}.yaml`);
  writeFileSync(file, adjusted);
  return file;
}

/** The shell command that removes what the demo deployed. */
export function destroyCommand(backendDir: string, configFile?: string): string {
  return [
    'eval "$(npx tsx scripts/toolchain/index.ts --print-env)";',
    `PULUMI_BACKEND_URL=file://${backendDir} PULUMI_CONFIG_PASSPHRASE=local`,
    `pulumi destroy --stack ${LOCAL_STACK} --yes`,
    ...(configFile ? [`--config-file ${configFile}`] : []),
  ].join(" ");
}
