/**
 * One step of offered load: the generator offers a rate for a while with the CPU of every
 * process measured over it; then the bench waits for the step's events at the receiver and
 * turns what arrived into the step's figures and verdict.
 *
 * The delivered rate is the step's events that arrived during the step, over its length.
 * Whether the backlog grew is judged over a measuring window that leaves out the step's first
 * part (20%, at least 2 s, at most half): at a steady latency L the events arriving in
 * [t0 + w, t0 + S] are those sent in [t0 + w - L, t0 + S - L], as many as sent in the window
 * itself, so the two rates differ only when the backlog grows.
 */
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { percentile } from "../numbers";
import type { Arrivals } from "./arrivals";
import { startCpuMeter } from "./cpuMeter";
import { offer } from "./generator";
import type { OfferSettings } from "./generator";
import { DRAIN_LIMIT_SECONDS, StepFigures, Verdict, verdict } from "./verdict";

/** After the drain limit, how long more the bench waits for stragglers (for their latency). */
const STRAGGLER_WAIT_MS = 50_000;

export interface StepSettings extends Omit<OfferSettings, "recordOf"> {
  /** Written into each event as `step`. */
  readonly step: number;
  readonly recordOf: (n: number, sentAt: number, step: number) => string;
  readonly pids: Record<string, number>;
  readonly arrivals: Arrivals;
}

export interface StepResult {
  readonly step: number;
  readonly figures: StepFigures;
  readonly verdict: Verdict;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly arrived: number;
  readonly accepted: number;
  readonly duplicates: number;
  /** From the end of the step to the last arrival. */
  readonly drainSeconds: number;
  /** The 1-minute load average at the end of the step. */
  readonly load1: number;
  readonly loopDelayP99Ms: number;
  /** How long the REST proxy took to answer a POST. */
  readonly proxyMs: { readonly p50: number; readonly p99: number };
  readonly firstFailure?: string;
  readonly nextEvent: number;
}

const inWindow = (at: number, from: number, to: number) => at >= from && at < to;

export async function runStep(s: StepSettings): Promise<StepResult> {
  const meter = startCpuMeter(s.pids);
  const offered = await offer({
    ...s,
    recordOf: (n, sentAt) => s.recordOf(n, sentAt, s.step),
  });
  const cores = meter.stop();
  const load1 = loadavg()[0];

  const end = offered.startedAt + s.seconds * 1000;
  const arrived = s.arrivals.of(s.step);
  const giveUpAt = end + DRAIN_LIMIT_SECONDS * 1000 + STRAGGLER_WAIT_MS;
  for (;;) {
    await s.arrivals.read();
    if (arrived.events >= offered.accepted || Date.now() > giveUpAt) break;
    await sleep(1000);
  }

  const warmup = Math.min(Math.max(2, 0.2 * s.seconds), 0.5 * s.seconds) * 1000;
  const from = offered.startedAt + warmup;
  const windowSeconds = (end - from) / 1000;
  const offeredInWindow = offered.requests
    .filter((r) => r.ok && inWindow(r.sentAt, from, end))
    .reduce((n, r) => n + r.events, 0);
  const deliveredInStep = arrived.batches
    .filter((b) => inWindow(b.at, offered.startedAt, end))
    .reduce((n, b) => n + b.events, 0);
  const deliveredInWindow = arrived.batches
    .filter((b) => inWindow(b.at, from, end))
    .reduce((n, b) => n + b.events, 0);
  const inTime = arrived.batches
    .filter((b) => b.at <= end + DRAIN_LIMIT_SECONDS * 1000)
    .reduce((n, b) => n + b.events, 0);
  const figures: StepFigures = {
    target: s.rate,
    offered: offered.accepted / s.seconds,
    delivered: deliveredInStep / s.seconds,
    windowOffered: offeredInWindow / windowSeconds,
    windowDelivered: deliveredInWindow / windowSeconds,
    requests: offered.requests.length,
    failedRequests: offered.failedRequests,
    lateOrLost: Math.max(0, offered.accepted - inTime),
    slotBound: offered.slotBound,
    cores,
  };
  const latencies = Float64Array.from(arrived.latencies).sort();
  const answers = Float64Array.from(offered.requests.map((r) => r.ms)).sort();
  return {
    step: s.step,
    figures,
    verdict: verdict(figures),
    latencyMs: {
      p50: percentile(latencies, 50) ?? NaN,
      p99: percentile(latencies, 99) ?? NaN,
      max: latencies.length > 0 ? latencies[latencies.length - 1] : NaN,
    },
    arrived: arrived.events,
    accepted: offered.accepted,
    duplicates: arrived.duplicates,
    drainSeconds: Math.max(0, (arrived.lastAt - end) / 1000),
    load1,
    loopDelayP99Ms: offered.loopDelayP99Ms,
    proxyMs: { p50: percentile(answers, 50) ?? NaN, p99: percentile(answers, 99) ?? NaN },
    firstFailure: offered.firstFailure,
    nextEvent: offered.nextEvent,
  };
}
