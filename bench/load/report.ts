/**
 * What `npm run bench:load` prints: one Markdown table row per step (so a run can be pasted
 * into the README as it is), then the verdict of the step that was not sustained.
 */
import { fmt } from "../numbers";
import { GENERATOR } from "./cpuMeter";
import type { StepResult } from "./step";

/** Processes whose CPU seconds get a column, in this order. */
const PROCESSES = ["rest-proxy", "broker", "connect", "receiver", GENERATOR];

const HEADER = [
  "offered/s (asked)",
  "delivered/s",
  "p50 ms",
  "p99 ms",
  "max ms",
  ...PROCESSES.map((p) => `${p} CPU s`),
  "machine busy",
  "load 1m",
  "sustained",
];

function cells(r: StepResult): string[] {
  const f = r.figures;
  const cpu = (name: string) => fmt((f.cores.processes[name] ?? 0) * f.cores.seconds, 1);
  return [
    `${fmt(f.offered)} (${fmt(f.target)})`,
    fmt(f.delivered),
    fmt(r.latencyMs.p50),
    fmt(r.latencyMs.p99),
    fmt(r.latencyMs.max),
    ...PROCESSES.map(cpu),
    `${fmt(f.cores.machine, 2)}/${f.cores.machineCores}`,
    fmt(r.load1, 2),
    r.verdict.sustained ? "yes" : "no",
  ];
}

/** A Markdown table, its columns padded as prettier pads them. */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (values: readonly string[]) =>
    `| ${values.map((v, i) => v.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

export function stepTable(results: readonly StepResult[]): string[] {
  return markdownTable(HEADER, results.map(cells));
}

/** One line per step as it ends, before the table. */
export function stepLine(r: StepResult): string {
  const f = r.figures;
  const cores = Object.entries(f.cores.processes)
    .map(([name, c]) => `${name} ${fmt(c, 2)}`)
    .join(", ");
  const ours = Object.values(f.cores.processes).reduce((a, b) => a + b, 0);
  const outside = Math.max(0, f.cores.machine - ours);
  return (
    `step ${fmt(f.target)}/s: offered ${fmt(f.offered)}/s, delivered ${fmt(f.delivered)}/s ` +
    `(over the measuring window ${fmt(f.windowOffered)}/s offered, ` +
    `${fmt(f.windowDelivered)}/s arrived), ${fmt(r.arrived)} of ${fmt(r.accepted)} events ` +
    `arrived (${fmt(r.duplicates)} duplicates), last ${fmt(r.drainSeconds, 1)} s after the step; ` +
    `p50/p99/max ${fmt(r.latencyMs.p50)}/${fmt(r.latencyMs.p99)}/${fmt(r.latencyMs.max)} ms; ` +
    `cores: ${cores}; machine ${fmt(f.cores.machine, 2)}/${f.cores.machineCores} ` +
    `(${fmt(outside, 2)} of it other processes); ` +
    `REST proxy answers p50/p99 ${fmt(r.proxyMs.p50)}/${fmt(r.proxyMs.p99)} ms; ` +
    `${fmt(f.slotBound * 100)}% of batches waited for a request slot; generator event-loop ` +
    `delay p99 ${fmt(r.loopDelayP99Ms, 1)} ms; load ${fmt(r.load1, 2)}`
  );
}
