/**
 * Whether a step was sustained, and if not, which part saturated. Pure functions over a step's
 * figures, so the rules read in one place (and the README quotes them).
 */
import { fmt } from "../numbers";
import { CoresUsed, GENERATOR } from "./cpuMeter";

/** A step is sustained when what was asked, offered and delivered stay within this share. */
export const SUSTAINED_SHARE = 0.95;
/** A process this busy is taken as saturated: Node runs its JavaScript on one core. */
export const FULL_CORE = 0.85;
/** A machine this busy (share of all its cores) is taken as full, whoever used it. */
export const MACHINE_FULL = 0.9;
/** Every event of a sustained step has arrived this long after the step ends. */
export const DRAIN_LIMIT_SECONDS = 10;

/** How the bench decides, printed with every run. */
export const DECISION_RULES = [
  `A step is sustained when the proxy accepted at least ${SUSTAINED_SHARE * 100}% of the rate asked,`,
  `failed no request, the receiver got at least ${SUSTAINED_SHARE * 100}% of the offered rate over the`,
  "step's measuring window (so the backlog did not grow), and every event arrived within",
  `${DRAIN_LIMIT_SECONDS} s of the step's end. The saturated part of a failed step: the load`,
  `generator if it could not offer the rate and used >= ${FULL_CORE} core; else the platform`,
  `process with the most CPU if it used >= ${FULL_CORE} core (near a full core); else the`,
  `machine if its cores were >= ${MACHINE_FULL * 100}% busy (whoever used them); else the REST`,
  "proxy's answers if the generator fell short waiting on them, or the busiest process, each",
  "named as not CPU-bound.",
];

export interface StepFigures {
  /** Events per second asked of the generator. */
  readonly target: number;
  /** Events per second the proxy accepted over the whole step. */
  readonly offered: number;
  /** Events per second of the step that arrived at the receiver during the step. */
  readonly delivered: number;
  /** Events per second offered (accepted) over the measuring window. */
  readonly windowOffered: number;
  /** Events per second that arrived at the receiver over the same window. */
  readonly windowDelivered: number;
  readonly requests: number;
  readonly failedRequests: number;
  /** Events accepted by the proxy but not at the receiver `DRAIN_LIMIT_SECONDS` after the step. */
  readonly lateOrLost: number;
  /** Share of the generator's batches that waited for a free request slot. */
  readonly slotBound: number;
  readonly cores: CoresUsed;
}

export interface Verdict {
  readonly sustained: boolean;
  /** Why not, one reason a line. */
  readonly reasons: readonly string[];
  /** The saturated part, when not sustained. */
  readonly saturated?: string;
}

const cores = (n: number) => `${fmt(n, 2)} cores`;

export function verdict(f: StepFigures): Verdict {
  const reasons: string[] = [];
  const generatorShort = f.offered < SUSTAINED_SHARE * f.target;
  if (generatorShort) {
    reasons.push(
      `offered ${fmt(f.offered)}/s, below ${SUSTAINED_SHARE * 100}% of the ${fmt(f.target)}/s asked`,
    );
  }
  if (f.failedRequests > 0) {
    reasons.push(`the REST proxy failed ${fmt(f.failedRequests)} of ${fmt(f.requests)} requests`);
  }
  if (f.windowDelivered < SUSTAINED_SHARE * f.windowOffered) {
    reasons.push(
      `over the measuring window ${fmt(f.windowDelivered)}/s arrived, below ` +
        `${SUSTAINED_SHARE * 100}% of the ${fmt(f.windowOffered)}/s offered: the backlog grew`,
    );
  }
  if (f.lateOrLost > 0) {
    reasons.push(
      `${fmt(f.lateOrLost)} events had not arrived ${DRAIN_LIMIT_SECONDS} s after the step`,
    );
  }
  if (reasons.length === 0) return { sustained: true, reasons };
  return { sustained: false, reasons, saturated: saturatedPart(f, generatorShort) };
}

/** The part that saturated, with the CPU that says so (see DECISION_RULES). */
export function saturatedPart(f: StepFigures, generatorShort: boolean): string {
  const used = f.cores.processes;
  const generator = used[GENERATOR] ?? 0;
  if (generatorShort && generator >= FULL_CORE) {
    return `the load generator (${cores(generator)}: it could not offer the rate)`;
  }
  const busiest = (names: string[]) => names.sort((a, b) => used[b] - used[a])[0];
  const top = busiest(Object.keys(used).filter((name) => name !== GENERATOR));
  if (top === undefined) return "unknown (no process CPU was read)";
  const ours = Object.values(used).reduce((a, b) => a + b, 0);
  const machine =
    `machine ${fmt(f.cores.machine, 2)} of ${f.cores.machineCores} cores busy, ` +
    `${fmt(Math.max(0, f.cores.machine - ours), 2)} of them other processes`;
  // A generator that waited on the proxy's answers points at the proxy and the broker behind it.
  const waited =
    generatorShort && f.slotBound >= 0.5
      ? `; the generator waited on the REST proxy's answers for ${fmt(f.slotBound * 100)}% ` +
        "of its batches"
      : "";
  if (used[top] >= FULL_CORE) {
    return `${top} (${cores(used[top])}, near a full core; ${machine}${waited})`;
  }
  if (f.cores.machine >= MACHINE_FULL * f.cores.machineCores) {
    return `the machine's CPU (${machine}); the largest share: ${top} at ${cores(used[top])}${waited}`;
  }
  if (waited) {
    const path = busiest(Object.keys(used).filter((n) => n === "rest-proxy" || n === "broker"));
    return (
      `the REST proxy's answers, not CPU (${path ?? "rest-proxy"} at ` +
      `${cores(used[path] ?? 0)}, ${machine}${waited})`
    );
  }
  return (
    `${top}, the busiest at ${cores(used[top])}, though no process is near a full core ` +
    `(${machine}): the limit is waiting rather than CPU`
  );
}
