/**
 * The load generator: events posted to the REST proxy's v2 produce API at a set rate, in batches
 * (`records: [...]`), several requests in flight. Batch k is due at k x batch / rate seconds from
 * the start; a batch that is due goes out as soon as a request slot is free, so a generator that
 * fell behind catches up at most `concurrency` requests at a time. Each event carries the time
 * its request was sent (`sentAt`), so latency is measured from the post to the receiver.
 */
import { Agent } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import axios from "axios";
import { V2_JSON } from "../topics";

export interface OfferSettings {
  /** `<rest proxy>/topics/<topic>` */
  readonly url: string;
  /** Events per second. */
  readonly rate: number;
  readonly seconds: number;
  /** Records per request. */
  readonly batch: number;
  /** Requests in flight at most. */
  readonly concurrency: number;
  /** The JSON text of the v2 record of the run's `n`-th event, sent at `sentAt` (epoch ms). */
  readonly recordOf: (n: number, sentAt: number) => string;
  /** The first event's `n` (numbers keep growing over a run's steps). */
  readonly firstEvent: number;
}

/** One request of the generator. */
export interface SentRequest {
  readonly sentAt: number;
  /** Until the proxy's answer (or the failure). */
  readonly ms: number;
  readonly events: number;
  readonly ok: boolean;
}

export interface Offered {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly requests: readonly SentRequest[];
  /** Events the proxy accepted (2xx). */
  readonly accepted: number;
  /** Requests that failed (not 2xx, or no answer); their events are not counted. */
  readonly failedRequests: number;
  /** Events that were due by the end but never sent: the generator could not keep up. */
  readonly unsent: number;
  /** Of the batches sent, the share that was due while every request slot was busy. */
  readonly slotBound: number;
  /** The 99th percentile of this process's event-loop delay (ms): high when its CPU is short. */
  readonly loopDelayP99Ms: number;
  /** The first failure's status and body, or error, to explain it. */
  readonly firstFailure?: string;
  /** The next event's `n`. */
  readonly nextEvent: number;
}

/** Offers `rate` events a second for `seconds`, then waits for the requests in flight. */
export async function offer(s: OfferSettings): Promise<Offered> {
  const agent = new Agent({ keepAlive: true, maxSockets: s.concurrency });
  const http = axios.create({
    httpAgent: agent,
    headers: { "Content-Type": V2_JSON },
    timeout: 30_000,
    maxBodyLength: Infinity,
    validateStatus: () => true,
    // The body is sent as built: no JSON round trip.
    transformRequest: [(data: string) => data],
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const requests: SentRequest[] = [];
  const inFlight = new Set<Promise<void>>();
  const intervalMs = (s.batch / s.rate) * 1000;
  const total = Math.floor(s.rate * s.seconds);
  let n = s.firstEvent;
  let batchIndex = 0;
  let slotBound = 0;
  let waitedFor = -1; // the batch last counted in slotBound
  let failedRequests = 0;
  let accepted = 0;
  let firstFailure: string | undefined;

  const send = (count: number): void => {
    const sentAt = Date.now();
    const records: string[] = [];
    for (let i = 0; i < count; i++) records.push(s.recordOf(n++, sentAt));
    const request = http
      .post(s.url, `{"records":[${records.join(",")}]}`)
      .then((res) => {
        const ok = res.status >= 200 && res.status < 300;
        if (!ok) firstFailure ??= `HTTP ${res.status}: ${JSON.stringify(res.data).slice(0, 300)}`;
        return ok;
      })
      .catch((err: unknown) => {
        firstFailure ??= err instanceof Error ? err.message : String(err);
        return false;
      })
      .then((ok) => {
        requests.push({ sentAt, ms: Date.now() - sentAt, events: count, ok });
        if (ok) accepted += count;
        else failedRequests++;
        inFlight.delete(request);
      });
    inFlight.add(request);
  };

  const startedAt = Date.now();
  const endAt = startedAt + s.seconds * 1000;
  let sentEvents = 0;
  while (sentEvents < total) {
    const now = Date.now();
    if (now >= endAt) break;
    const dueAt = startedAt + batchIndex * intervalMs;
    if (dueAt > now) {
      await sleep(Math.min(dueAt - now, endAt - now));
      continue;
    }
    if (inFlight.size >= s.concurrency) {
      if (waitedFor !== batchIndex) slotBound++;
      waitedFor = batchIndex;
      await Promise.race(inFlight);
      continue;
    }
    const count = Math.min(s.batch, total - sentEvents);
    send(count);
    sentEvents += count;
    batchIndex++;
  }
  const endedAt = Date.now();
  await Promise.all(inFlight);
  loop.disable();
  agent.destroy();
  return {
    startedAt,
    endedAt,
    requests: requests.sort((a, b) => a.sentAt - b.sentAt),
    accepted,
    failedRequests,
    unsent: total - sentEvents,
    slotBound: batchIndex > 0 ? slotBound / batchIndex : 0,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    firstFailure,
    nextEvent: n,
  };
}
