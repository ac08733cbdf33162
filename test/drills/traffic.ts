import axios from "axios";

const V2_JSON = "application/vnd.kafka.json.v2+json";

/** What a stream of events did, once stopped. */
export interface TrafficReport {
  /** Every event id generated, in order: each must reach the destination. */
  readonly ids: readonly string[];
  /** Ids the REST proxy acknowledged (all of them, once `stop` returns without throwing). */
  readonly acked: number;
  /** POSTs sent, retries included. */
  readonly requests: number;
  /** Failed POSTs (or records refused inside a 200) by their answer, retried each time. */
  readonly failures: Readonly<Record<string, number>>;
  /** The longest time between two acknowledgements while events were waiting. */
  readonly maxAckGapMs: number;
  readonly seconds: number;
}

interface Offset {
  readonly error_code?: number | null;
  readonly error?: string | null;
}

/**
 * Business events posted to the REST proxy at a steady rate, as browsers and services do: every
 * 100 ms the events of that tick are queued, and up to `concurrency` POSTs of at most `batch`
 * events take them. A POST that fails, or a record the proxy refuses, is sent again until it is
 * acknowledged: a producer that gives up would lose events on its side, and the drills count what
 * the pipeline loses. Each event carries its id and the time it was first posted.
 */
export class EventStream {
  private readonly queue: string[] = [];
  private readonly ids: string[] = [];
  private readonly failures: Record<string, number> = {};
  private acked = 0;
  private requests = 0;
  private lastAck = Date.now();
  private maxAckGapMs = 0;
  private ticker?: NodeJS.Timeout;
  private senders: Promise<void>[] = [];
  private generating = false;
  private readonly began = Date.now();
  private next = 0;
  private inFlight = 0;

  constructor(
    private readonly restProxyUrl: string,
    private readonly topic: string,
    private readonly prefix: string,
    private readonly options: {
      readonly eventsPerSecond: number;
      readonly batch?: number;
      readonly concurrency?: number;
    },
  ) {}

  start(): this {
    this.generating = true;
    const perTick = this.options.eventsPerSecond / 10;
    let owed = 0;
    this.ticker = setInterval(() => {
      owed += perTick;
      for (; owed >= 1; owed--) {
        const id = `${this.prefix}-${this.next++}`;
        this.ids.push(id);
        this.queue.push(id);
      }
    }, 100);
    this.senders = Array.from({ length: this.options.concurrency ?? 4 }, () => this.sender());
    return this;
  }

  /** How many events were acknowledged so far. */
  get ackedCount(): number {
    return this.acked;
  }

  /**
   * Stops generating, then waits (at most `drainMs`) until every queued event is acknowledged.
   * Throws when some are still unacknowledged: the proxy could not take them.
   */
  async stop(drainMs = 120_000): Promise<TrafficReport> {
    clearInterval(this.ticker);
    this.generating = false;
    const drained = Promise.all(this.senders);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">(
      (r) => (timer = setTimeout(() => r("timeout"), drainMs)),
    );
    const outcome = await Promise.race([drained.then(() => "drained" as const), timeout]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      throw new Error(
        `${this.ids.length - this.acked} of ${this.ids.length} events not acknowledged by the ` +
          `REST proxy ${drainMs / 1000} s after the stream stopped (failures: ` +
          `${JSON.stringify(this.failures)})`,
      );
    }
    return {
      ids: this.ids,
      acked: this.acked,
      requests: this.requests,
      failures: { ...this.failures },
      maxAckGapMs: this.maxAckGapMs,
      seconds: (Date.now() - this.began) / 1000,
    };
  }

  private async sender(): Promise<void> {
    const batch = this.options.batch ?? 50;
    for (;;) {
      if (this.queue.length === 0) {
        if (!this.generating) return;
        if (this.inFlight === 0) this.lastAck = Date.now(); // nothing waiting: not a gap
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      let pending = this.queue.splice(0, batch);
      const sentAt = Date.now();
      this.inFlight++;
      while (pending.length > 0) {
        pending = await this.post(pending, sentAt);
        if (pending.length > 0) await new Promise((r) => setTimeout(r, 250));
      }
      this.inFlight--;
    }
  }

  /** One POST; returns the ids still to send (none when all were acknowledged). */
  private async post(ids: string[], sentAt: number): Promise<string[]> {
    this.requests++;
    const records = ids.map((id) => ({
      value: { id, type: "drill_event", sentAt, properties: { page: "/checkout" } },
    }));
    try {
      const { status, data } = await axios.post<{ offsets?: Offset[] }>(
        `${this.restProxyUrl}/topics/${this.topic}`,
        { records },
        { headers: { "Content-Type": V2_JSON }, timeout: 30_000, validateStatus: () => true },
      );
      const offsets = data.offsets ?? [];
      if (status !== 200 || offsets.length !== ids.length) {
        this.count(`HTTP ${status}`);
        // A 5xx may still carry per-record results: keep only the refused ones.
        if (offsets.length !== ids.length) return ids;
      }
      const refused = ids.filter((_, i) => offsets[i].error_code != null);
      for (const o of offsets) {
        if (o.error_code != null)
          this.count(`record ${o.error_code}: ${o.error ?? ""}`.slice(0, 120));
        else this.ack();
      }
      return refused;
    } catch (err) {
      this.count((err as Error).message.slice(0, 80));
      return ids;
    }
  }

  private ack(): void {
    const now = Date.now();
    this.maxAckGapMs = Math.max(this.maxAckGapMs, now - this.lastAck);
    this.lastAck = now;
    this.acked++;
  }

  private count(what: string): void {
    this.failures[what] = (this.failures[what] ?? 0) + 1;
  }
}
