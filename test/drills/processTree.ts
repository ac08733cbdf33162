import { readdirSync, readFileSync } from "node:fs";

/*
 * The processes a command started, read from /proc. The Pulumi CLI starts each plugin in a
 * process group of its own, so killing the CLI's group does not reach them, and a plugin whose
 * CLI was killed lives on, a child of init. So the drills record the tree while the CLI is alive
 * and signal each recorded process by its pid, checking its start time first so that a pid the
 * system gave to another process since is never signalled.
 */

/** One process: its pid, its start time (clock ticks since boot) and its command line. */
export interface ProcessRecord {
  readonly pid: number;
  readonly start: string;
  readonly command: string;
}

interface Stat {
  readonly ppid: number;
  readonly start: string;
}

function statOf(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name in parentheses (which may hold spaces): state, ppid, ... starttime.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim().slice(0, 160);
  } catch {
    return "";
  }
}

/** Every live descendant of `root` (children, their children, ...). */
export function descendantsOf(root: number): ProcessRecord[] {
  const children = new Map<number, number[]>();
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = statOf(pid);
    if (!stat) continue;
    stats.set(pid, stat);
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const out: ProcessRecord[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const stat = stats.get(pid);
    if (stat) out.push({ pid, start: stat.start, command: commandOf(pid) });
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Whether the recorded process still runs (the same pid with the same start time). */
export function isRunning(record: ProcessRecord): boolean {
  return statOf(record.pid)?.start === record.start;
}

/** Sends `signal` to the recorded process if it still runs; answers whether it was sent. */
export function signalRecorded(record: ProcessRecord, signal: NodeJS.Signals): boolean {
  if (!isRunning(record)) return false;
  try {
    process.kill(record.pid, signal);
    return true;
  } catch {
    return false;
  }
}
