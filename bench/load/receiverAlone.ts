/**
 * The second limit around the pipeline: the receiver alone. As many senders as the connector has
 * tasks each POST batches of the connector's batch size one after another, framed as the
 * connector frames them (prefix, separator, suffix, its Content-Type), at full speed for a fixed
 * time. The bodies are built once beforehand, so the senders cost little CPU.
 */
import { Agent } from "node:http";
import axios from "axios";

export interface ReceiverAloneSettings {
  /** The receiver URL with a path of its own. */
  readonly url: string;
  readonly senders: number;
  readonly batch: number;
  readonly prefix: string;
  readonly separator: string;
  readonly suffix: string;
  readonly headers: Record<string, string>;
  readonly seconds: number;
  /** The JSON text of the `n`-th event. */
  readonly valueOf: (n: number) => string;
}

export interface ReceiverAlone {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly failedRequests: number;
}

const WARMUP_MS = 2000;
/** Distinct bodies, sent in turn. */
const BODIES = 8;

export async function receiverAlone(s: ReceiverAloneSettings): Promise<ReceiverAlone> {
  const bodies = Array.from(
    { length: BODIES },
    (_, b) =>
      s.prefix +
      Array.from({ length: s.batch }, (__, i) => s.valueOf(b * s.batch + i)).join(s.separator) +
      s.suffix,
  );
  const agent = new Agent({ keepAlive: true, maxSockets: s.senders });
  const http = axios.create({
    httpAgent: agent,
    headers: s.headers,
    timeout: 30_000,
    maxBodyLength: Infinity,
    validateStatus: () => true,
    // The body is sent as built: no JSON round trip on the sender's side.
    transformRequest: [(data: string) => data],
  });
  const startedAt = Date.now();
  const from = startedAt + WARMUP_MS;
  const end = from + s.seconds * 1000;
  let events = 0;
  let failedRequests = 0;
  const sender = async (first: number) => {
    for (let i = first; Date.now() < end; i += s.senders) {
      const res = await http.post(s.url, bodies[i % BODIES]);
      const done = Date.now();
      if (res.status >= 300) failedRequests++;
      else if (done >= from && done < end) events += s.batch;
    }
  };
  try {
    await Promise.all(Array.from({ length: s.senders }, (_, i) => sender(i)));
  } finally {
    agent.destroy();
  }
  return { events, seconds: s.seconds, eventsPerSecond: events / s.seconds, failedRequests };
}
