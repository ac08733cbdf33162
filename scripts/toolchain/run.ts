import { spawn } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import { ToolchainError, shellQuote, tailOf } from "./common";
import { ProgressOptions, ProgressReporter } from "./progress";

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Output goes to this file (appended); without it, stdout is captured and returned. */
  log?: string;
  /** Run under `nice -n 19`: the machine is shared. */
  nice?: boolean;
  /** Say a progress line every interval while the command runs. */
  progress?: ProgressOptions;
}

/**
 * Runs a program without a shell and resolves with its stdout (empty when `log` is given);
 * rejects with the tail of its output when it fails.
 */
export async function run(command: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const [file, argv] = opts.nice ? ["nice", ["-n", "19", command, ...args]] : [command, args];
  const child = spawn(file, argv, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = opts.log ? fs.createWriteStream(opts.log, { flags: "a" }) : undefined;
  if (out)
    out.write(
      `\n$ ${[command, ...args].map(shellQuote).join(" ")}   (in ${opts.cwd ?? process.cwd()})\n`,
    );
  const progress = opts.progress && new ProgressReporter(opts.progress).start();
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  // go reports what it is doing on stderr; stdout is the program's own output.
  const collect =
    (into: Buffer[], activity: boolean) =>
    (b: Buffer): void => {
      if (activity) progress?.observe(b.toString("utf8"));
      if (out) out.write(b);
      else into.push(b);
    };
  child.stdout.on("data", collect(stdout, false));
  child.stderr.on("data", collect(stderr, true));
  try {
    const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
    if (out) await new Promise<void>((resolve) => out.end(resolve));
    if (code !== 0) {
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      const detail = opts.log
        ? tailOf(opts.log, 25)
        : Buffer.concat([...stdout, ...stderr])
            .toString("utf8")
            .trim();
      throw new ToolchainError(`${command} ${args.join(" ")} failed (${why})\n${detail}`);
    }
    return Buffer.concat(stdout).toString("utf8");
  } finally {
    progress?.stop();
  }
}

/** Finds an executable on PATH, skipping the given folder. */
export function which(name: string, skipDir?: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir || (skipDir && path.resolve(dir) === path.resolve(skipDir))) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What `pulumi version` prints (e.g. "v3.248.0"), or undefined when it does not run. */
export async function reportedVersion(pulumi: string): Promise<string | undefined> {
  try {
    const env = { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" };
    return (await run(pulumi, ["version"], { env })).trim();
  } catch {
    return undefined;
  }
}
