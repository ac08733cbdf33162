import { execFile, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { localBackendDir } from "./localStack";
import { applyExportLines } from "./toolchain/env";

/**
 * Runs the real `pulumi` CLI from the offline toolchain (`scripts/toolchain/`) against a file
 * backend, for the demo and the end-to-end tests.
 */

export const ROOT = resolve(__dirname, "..");

/** The documented passphrase of the local stack's secrets (`Pulumi.local.yaml`'s salt). */
export const LOCAL_PASSPHRASE = "local";

const run = promisify(execFile);

/** The toolchain's entry: `npm run toolchain` runs the same file. */
export const TOOLCHAIN_ENTRY = join(ROOT, "scripts", "toolchain", "index.ts");

/**
 * Runs the toolchain's entry with `flags` (building what is missing) and resolves with what it
 * printed on stdout; its progress lines, on stderr, go to `log` so that a cold build is not
 * silent. Throws when it fails.
 */
export async function runToolchain(
  flags: readonly string[],
  log?: (line: string) => void,
): Promise<string> {
  const tsx = join(ROOT, "node_modules", ".bin", "tsx");
  const child = spawn(tsx, [TOOLCHAIN_ENTRY, ...flags], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) log?.(line);
  });
  const code = await new Promise<number | null>((done) => child.on("close", done));
  if (code !== 0)
    throw new Error(`scripts/toolchain/index.ts failed (exit ${code}); see its output above`);
  return stdout;
}

/**
 * Builds the toolchain when missing (cold: about 5 minutes on an idle machine; then a second) and returns the
 * environment the CLI needs: its PATH and PULUMI_HOME, a file backend (`backendDir`, default
 * the local stack's, `localBackendDir()`), no update checks and no plugin downloads.
 * `withKubernetes` also builds the kubernetes plugin when missing (about 20 minutes cold), for
 * stacks that apply or render Kubernetes objects.
 */
export async function pulumiEnvironment(
  options: {
    backendDir?: string;
    passphrase?: string;
    log?: (line: string) => void;
    withKubernetes?: boolean;
  } = {},
): Promise<NodeJS.ProcessEnv> {
  const stdout = await runToolchain(
    ["--print-env", ...(options.withKubernetes ? ["--with-kubernetes"] : [])],
    options.log,
  );
  const env = applyExportLines(stdout, process.env);
  const backendDir = options.backendDir ?? localBackendDir();
  mkdirSync(backendDir, { recursive: true });
  env.PULUMI_BACKEND_URL = `file://${backendDir}`;
  env.PULUMI_CONFIG_PASSPHRASE = options.passphrase ?? LOCAL_PASSPHRASE;
  // Never let a CI variable or a developer's login point the CLI elsewhere.
  delete env.PULUMI_ACCESS_TOKEN;
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  // `npm run typecheck` checks the program; the engine's ts-node need not check it again on every
  // preview, up and refresh (half of a kubernetes-enabled preview's time). A team's own `pulumi`
  // runs keep Pulumi's default and type-check.
  env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
  return env;
}

export interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `pulumi <args>` in the project folder; never throws for a non-zero exit. */
export async function pulumi(
  env: NodeJS.ProcessEnv,
  args: readonly string[],
  options: { echo?: boolean; timeoutMs?: number } = {},
): Promise<PulumiResult> {
  if (options.echo) {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd: ROOT,
      env,
      stdio: "inherit",
    });
    const code = await new Promise<number | null>((done) => child.on("close", done));
    return { code: code ?? 1, stdout: "", stderr: "" };
  }
  try {
    const { stdout, stderr } = await run("pulumi", [...args, "--non-interactive"], {
      cwd: ROOT,
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 600_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === "number" ? e.code : 1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? e.message,
    };
  }
}

/** Like {@link pulumi}, but throws with the CLI's own output when it fails. */
export async function pulumiOk(
  env: NodeJS.ProcessEnv,
  args: readonly string[],
  options: { echo?: boolean; timeoutMs?: number } = {},
): Promise<PulumiResult> {
  const result = await pulumi(env, args, options);
  if (result.code !== 0) {
    throw new Error(
      `pulumi ${args.join(" ")} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** The policy pack and its config for a stack, as `pulumi preview|up` flags. */
export function policyFlags(environment: string): string[] {
  return [
    "--policy-pack",
    join(ROOT, "policies"),
    "--policy-pack-config",
    join(ROOT, "policies", "config", `${environment}.json`),
  ];
}
