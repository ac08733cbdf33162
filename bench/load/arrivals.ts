/**
 * What reached the receiver: its recorded requests on the run's path, read after each step
 * (so that reading costs the receiver no CPU while a step is measured), page by page (a step
 * of 20k events/s for 30 s is some 200 MB of bodies), and folded into per-step figures:
 * each event's latency (arrival minus `sentAt`) and when how many arrived.
 */
import axios from "axios";
import { ReceiverClient, extractEvents } from "../../platform/receiverClient";
import type { RecordedRequest } from "../../platform/receiverClient";

/** Requests per page: up to 500 events each, recorded twice (body and parsed JSON). */
const PAGE = 50;

export interface StepArrivals {
  /** Latency of each event that arrived, in ms (first arrival only). */
  readonly latencies: number[];
  /** Arrival time and events of each request. */
  readonly batches: { readonly at: number; readonly events: number }[];
  events: number;
  duplicates: number;
  lastAt: number;
}

/** The run's event fields the reader needs. */
interface Stamped {
  readonly id: string;
  readonly step: number;
  readonly sentAt: number;
}

function isStamped(event: unknown): event is Stamped {
  const e = event as Partial<Stamped> | null;
  return typeof e?.id === "string" && typeof e.step === "number" && typeof e.sentAt === "number";
}

export class Arrivals {
  private readonly client: ReceiverClient;
  private readonly steps = new Map<number, StepArrivals>();
  private seen = new Uint8Array(1 << 20);

  private constructor(
    private readonly receiverUrl: string,
    private readonly path: string,
    private cursor: number,
    private readonly evictedAtStart: number,
  ) {
    this.client = new ReceiverClient(receiverUrl);
  }

  /** A reader of the requests to `path` from now on. */
  static async from(receiverUrl: string, path: string): Promise<Arrivals> {
    const stats = await new ReceiverClient(receiverUrl).stats();
    return new Arrivals(receiverUrl, path, stats.lastSeq, stats.evicted);
  }

  /** The figures of one step so far. */
  of(step: number): StepArrivals {
    let s = this.steps.get(step);
    if (!s) {
      s = { latencies: [], batches: [], events: 0, duplicates: 0, lastAt: 0 };
      this.steps.set(step, s);
    }
    return s;
  }

  /** Reads every request recorded since the last read. */
  async read(): Promise<void> {
    for (;;) {
      const { data } = await axios.get<{ requests: RecordedRequest[]; next: number }>(
        `${this.receiverUrl}/_receiver/requests`,
        { params: { since: this.cursor, limit: PAGE }, maxContentLength: Infinity },
      );
      if (data.requests.length > 0 && data.requests[0].seq > this.cursor + 1) {
        const { evicted } = await this.client.stats();
        if (evicted > this.evictedAtStart) {
          throw new Error(
            "The receiver evicted requests before they were read (it holds 256 MiB of bodies): " +
              "use a shorter `--seconds` or lower `--steps`.",
          );
        }
      }
      for (const request of data.requests) this.add(request);
      this.cursor = data.next;
      if (data.requests.length < PAGE) return;
    }
  }

  private add(request: RecordedRequest): void {
    if (request.path !== this.path || request.status >= 300) return;
    const counts = new Map<number, number>();
    for (const event of extractEvents(request.json)) {
      if (!isStamped(event)) continue;
      const step = this.of(event.step);
      const n = Number(event.id.slice(event.id.lastIndexOf("-") + 1));
      if (this.mark(n)) {
        step.duplicates++;
        continue;
      }
      step.latencies.push(request.receivedAt - event.sentAt);
      step.events++;
      step.lastAt = Math.max(step.lastAt, request.receivedAt);
      counts.set(event.step, (counts.get(event.step) ?? 0) + 1);
    }
    for (const [step, events] of counts)
      this.of(step).batches.push({ at: request.receivedAt, events });
  }

  /** Marks event `n` as seen; true when it had been seen already. */
  private mark(n: number): boolean {
    if (n >= this.seen.length) {
      const grown = new Uint8Array(Math.max(n + 1, this.seen.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
    const had = this.seen[n] === 1;
    this.seen[n] = 1;
    return had;
  }
}
