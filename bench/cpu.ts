/**
 * CPU seconds of processes from /proc/<pid>/stat (utime + stime), for the benchmarks that say
 * what a run cost each platform process. The platform's pids are the recorded ones (its pid
 * files, through `platformStatus`), never found by name.
 */
import { readFileSync } from "node:fs";
import { platformStatus } from "../platform";

/** Linux clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux). */
const CLK_TCK = 100;

/** User plus system CPU seconds of a process so far (0 when it is gone). */
export function cpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return 0;
  }
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}

/** Pids of the platform's processes by component (broker, connect, rest-proxy, receiver). */
export function platformPids(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of platformStatus()) if (s.pid) out[s.name] = s.pid;
  if (!out.connect) throw new Error("The platform's Connect worker is not running.");
  return out;
}

/** CPU seconds of each platform process so far. */
export function platformCpu(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
}
