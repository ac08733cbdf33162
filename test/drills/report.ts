import type { Arrivals } from "./sink";
import type { TrafficReport } from "./traffic";

/** One drill's figures, printed whether it passes or fails (the README quotes them). */
export function printDrill(
  drill: string,
  traffic: TrafficReport,
  arrivals: Arrivals,
  figures: Readonly<Record<string, string | number>>,
): void {
  const lines = [
    `[drill] ${drill}`,
    `  events sent ${traffic.ids.length} over ${traffic.seconds.toFixed(1)} s, acknowledged by ` +
      `the REST proxy ${traffic.acked} (${traffic.requests} POSTs, longest gap between ` +
      `acknowledgements ${(traffic.maxAckGapMs / 1000).toFixed(1)} s)`,
    `  producer retries: ${formatCounts(traffic.failures)}`,
    `  delivered ${arrivals.distinct} distinct, lost ${arrivals.missing.length}, duplicates ` +
      `${arrivals.duplicates}, in ${arrivals.requests} accepted requests (longest pause between ` +
      `two ${(arrivals.maxDeliveryGapMs / 1000).toFixed(1)} s); refused answers: ` +
      `${formatCounts(arrivals.refused)}`,
    ...Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`),
  ];
  process.stderr.write(`${lines.join("\n")}\n`);
}

function formatCounts(counts: Readonly<Record<string | number, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? "none" : entries.map(([k, n]) => `${n} × ${k}`).join("; ");
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
