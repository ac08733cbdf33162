import { PipelineStatus, SinkStatus } from "./collect";

const COLUMNS = [
  "DESTINATION",
  "CONNECTOR",
  "STATE",
  "TASKS",
  "LAG",
  "DELIVERED",
  "DEAD-LETTERED",
  "LAST ERROR",
] as const;

const figure = (n: number | undefined) => (n === undefined ? "-" : String(n));

/** "3 RUNNING", or "2 RUNNING, 1 FAILED"; "-" without tasks. */
export function taskSummary(tasks: SinkStatus["tasks"]): string {
  if (tasks.length === 0) return "-";
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(", ");
}

/** The terminal view: one row per destination, then what did not answer. */
export function renderStatus(status: PipelineStatus): string {
  const rows = status.sinks.map((s) => [
    s.destination,
    s.connector,
    s.state,
    taskSummary(s.tasks),
    figure(s.lag),
    figure(s.delivered),
    figure(s.deadLettered),
    s.lastError ?? "",
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const out = [`stack ${status.stack} at ${status.at}`, line(COLUMNS), ...rows.map(line)];
  if (status.sinks.length === 0) out.push("(the stack declares no destination)");
  for (const p of status.problems) out.push(`! ${p}`);
  return `${out.join("\n")}\n`;
}
