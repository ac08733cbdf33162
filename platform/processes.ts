import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";

/** What `up` writes for each process it starts, so `down` can stop exactly that process. */
export interface PidRecord {
  readonly pid: number;
  readonly command: readonly string[];
  readonly startedAt: string;
  /** A string found in the process's command line; guards against a reused pid. */
  readonly marker: string;
}

export interface SpawnSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  readonly pidFile: string;
  readonly marker: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts a process in its own process group with stdout and stderr appended to a log file, and
 * lets it outlive this Node process (`up` returns while the platform keeps running).
 */
export function spawnDetached(spec: SpawnSpec): PidRecord {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  const fd = openSync(spec.logFile, "a");
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    if (child.pid === undefined) {
      throw new Error(`Could not start \`${spec.command}\`; see ${spec.logFile}.`);
    }
    child.unref();
    const record: PidRecord = {
      pid: child.pid,
      command: [spec.command, ...spec.args],
      startedAt: new Date().toISOString(),
      marker: spec.marker,
    };
    writeFileSync(spec.pidFile, `${JSON.stringify(record, null, 2)}\n`);
    return record;
  } finally {
    closeSync(fd);
  }
}

export function readPid(pidFile: string): PidRecord | undefined {
  if (!existsSync(pidFile)) return undefined;
  try {
    return JSON.parse(readFileSync(pidFile, "utf8")) as PidRecord;
  } catch {
    return undefined;
  }
}

/** True when the pid is alive and still the process we started (not a reused pid). */
export function isAlive(record: PidRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${record.pid}/cmdline`;
  if (!existsSync(cmdline)) return true; // no procfs: trust the signal check
  try {
    const text = readFileSync(cmdline, "utf8");
    // Empty for a zombie waiting to be reaped, but also for a moment while the process execs its
    // program (seen when etcd started): only the state in /proc/<pid>/stat tells the two apart.
    if (text === "") return !isZombie(record.pid);
    return text.includes(record.marker);
  } catch {
    return false;
  }
}

/** Whether a process is a zombie (state `Z` in `/proc/<pid>/stat`); gone counts as one. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // `pid (comm) state ...`: comm may hold spaces and parentheses, so read after the last `)`.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return true;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // the whole group: a JVM or Node child cannot escape
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * SIGTERM, wait up to `graceMs`, then SIGKILL. Removes the pid file once the process is gone.
 * Returns "stopped", "killed" or "not-running".
 */
export async function stopProcess(
  pidFile: string,
  graceMs = 15_000,
): Promise<"stopped" | "killed" | "not-running"> {
  const record = readPid(pidFile);
  if (!record || !isAlive(record)) {
    rmSync(pidFile, { force: true });
    return "not-running";
  }
  signalGroup(record.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(record)) {
      rmSync(pidFile, { force: true });
      return "stopped";
    }
    await sleep(100);
  }
  signalGroup(record.pid, "SIGKILL");
  for (let i = 0; i < 50 && isAlive(record); i++) await sleep(100);
  rmSync(pidFile, { force: true });
  return "killed";
}

/** The last `lines` lines of a log file ("" when it does not exist). */
export async function tail(file: string, lines = 40): Promise<string> {
  if (!existsSync(file)) return "";
  const size = statSync(file).size;
  const text = await readFile(file, "utf8");
  const all = text.slice(Math.max(0, size - 256 * 1024)).split("\n");
  return all.slice(-lines - 1).join("\n");
}
