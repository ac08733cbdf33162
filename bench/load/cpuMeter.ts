/**
 * CPU over a stretch of time, as cores used (CPU seconds / wall seconds): each platform process
 * (its recorded pid, /proc/<pid>/stat), this process (the load generator) and the whole machine
 * (/proc/stat), which on a shared machine also counts other people's work.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { platformCpu } from "../cpu";

/** The name the load generator (this process) has among the processes. */
export const GENERATOR = "load generator";

/** Linux clock ticks per second of /proc/stat (`getconf CLK_TCK`, 100 on Linux). */
const CLK_TCK = 100;

/** Busy CPU seconds of the whole machine so far (all but idle and iowait). */
function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return (total - ticks[3] - (ticks[4] ?? 0)) / CLK_TCK;
}

interface Reading {
  readonly at: number;
  readonly processes: Record<string, number>;
  readonly machine: number;
}

export interface CoresUsed {
  /** Cores used by each platform process and by the load generator. */
  readonly processes: Record<string, number>;
  /** Cores busy on the whole machine, whoever used them. */
  readonly machine: number;
  readonly machineCores: number;
  readonly seconds: number;
}

function read(pids: Record<string, number>): Reading {
  const own = process.cpuUsage();
  return {
    at: Date.now(),
    processes: { ...platformCpu(pids), [GENERATOR]: (own.user + own.system) / 1e6 },
    machine: machineBusySeconds(),
  };
}

/** Starts measuring; `stop()` gives the cores used since. */
export function startCpuMeter(pids: Record<string, number>): { stop(): CoresUsed } {
  const before = read(pids);
  return {
    stop() {
      const after = read(pids);
      const seconds = Math.max(0.001, (after.at - before.at) / 1000);
      return {
        processes: Object.fromEntries(
          Object.keys(after.processes).map((k) => [
            k,
            (after.processes[k] - (before.processes[k] ?? 0)) / seconds,
          ]),
        ),
        machine: (after.machine - before.machine) / seconds,
        machineCores: cpus().length,
        seconds,
      };
    },
  };
}
