import axios from "axios";
import { ReceiverClient } from "../../platform/receiverClient";
import { clusterEndpoints, sleep, withAdmin } from "./cluster";
import { printDrill } from "./report";
import { DrillSink, createDrillSink, waitForArrivals } from "./sink";
import { EventStream, TrafficReport } from "./traffic";

const THROTTLE_MS = 30_000;
const RETRY_AFTER_S = 5;

interface Status {
  readonly connector: { state: string };
  readonly tasks: readonly { id: number; state: string }[];
}

/**
 * The destination answers every request `429 Too Many Requests` with `Retry-After: 5` for 30 s,
 * for every sink at once, while events keep coming: with the stack's default retries (10) the
 * sinks wait as told instead of spending their retries, no task fails, nothing goes to a
 * dead-letter topic, and every event arrives once the destination takes requests again.
 */
describe("drill: the destination throttles every sink for 30 s", () => {
  const e = clusterEndpoints();
  const receiver = new ReceiverClient(e.receiverUrl);
  const sinks: DrillSink[] = [];

  afterAll(async () => {
    await receiver.failFor(429, 0).catch(() => undefined);
    for (const sink of sinks) await sink.remove();
  });

  it("waits out the Retry-After, keeps every task running and loses no event", async () => {
    for (const label of ["throttle-a", "throttle-b"]) sinks.push(await createDrillSink(e, label));
    const streams = sinks.map((sink, i) =>
      new EventStream(e.restProxyUrl, sink.topic, `th${i}`, { eventsPerSecond: 100 }).start(),
    );
    await sleep(5_000);
    await receiver.failFor(429, THROTTLE_MS, RETRY_AFTER_S);
    process.stderr.write(`[drill] receiver answers 429, Retry-After ${RETRY_AFTER_S}, for 30 s\n`);
    await sleep(THROTTLE_MS);
    // Still throttled, or just over: every task must have waited, not failed.
    const statuses = await Promise.all(
      sinks.map(
        async (s) => (await axios.get<Status>(`${e.connectUrl}/connectors/${s.name}/status`)).data,
      ),
    );
    await sleep(5_000);
    const traffic: TrafficReport[] = [];
    for (const stream of streams) traffic.push(await stream.stop());
    const deadLettered = await withAdmin(async (admin) => {
      const counts: number[] = [];
      for (const s of sinks) {
        const offsets = await admin.fetchTopicOffsets(`${s.topic}.dlq`);
        counts.push(offsets.reduce((sum, o) => sum + Number(o.high), 0));
      }
      return counts;
    });
    for (const [i, sink] of sinks.entries()) {
      const arrivals = await waitForArrivals(receiver, sink, traffic[i].ids, 180_000);
      const tasks = Number(sink.config["tasks.max"]);
      const throttled = arrivals.refused[429] ?? 0;
      printDrill(`destination throttling (429 for 30 s), ${sink.name}`, traffic[i], arrivals, {
        "429 answers to this sink": `${throttled} (its ${tasks} tasks, Retry-After ${RETRY_AFTER_S} s)`,
        "state at the end of the throttling": `${statuses[i].connector.state}, tasks ${statuses[i].tasks.map((t) => t.state).join(",")}`,
        "records in its dead-letter topic": deadLettered[i],
      });
      expect(statuses[i].tasks.every((t) => t.state === "RUNNING")).toBe(true);
      expect(deadLettered[i]).toBe(0);
      expect(throttled).toBeGreaterThan(0);
      // Each task waits at least the Retry-After between attempts: at most one 429 per task per
      // wait, plus the first and the one in flight when the window closes.
      expect(throttled).toBeLessThanOrEqual(tasks * (THROTTLE_MS / 1000 / RETRY_AFTER_S + 2));
      expect(traffic[i].acked).toBe(traffic[i].ids.length);
      expect(arrivals.missing).toEqual([]);
      expect(arrivals.distinct).toBe(traffic[i].ids.length);
    }
  });
});
