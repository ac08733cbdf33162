import { ComponentName } from "../../platform";
import { ReceiverClient } from "../../platform/receiverClient";
import { connectorNameOf } from "../../components/sinkSettings";
import { clusterEndpoints, killPart, pidOf, restoreCluster, waitFor, workerName } from "./cluster";
import { arrivalsAt, drillDestinations, stackSink } from "./destinations";
import {
  DrillStack,
  connectorsOn,
  formatCounts,
  retriedAnswers,
  retryNotices,
  statusOf,
  topicExists,
  WorkerStatus,
} from "./engine";
import { printDrill, seconds } from "./report";
import { EventStream } from "./traffic";

/**
 * A rolling restart of every Connect worker (SIGTERM, start again, ready, then the next) while
 * `pulumi up` creates ten connectors under the real engine: the `up` converges by itself (the
 * provider retries what the workers answer meanwhile, and says so), every connector runs on live
 * workers afterwards, a second preview sees no change, and no event is lost.
 */
// connect-1 first: it is the worker the stack's `connectUrl` names, so the provider's calls meet
// its refused connections and its first answers while it starts; the two others then cost the
// creates rebalances and calls forwarded to a leader that goes away.
const WORKERS: readonly ComponentName[] = ["connect-1", "connect-2", "connect-3"];
const DESTINATIONS = 10;

/** RUNNING with its three tasks RUNNING, each on a worker that is alive. */
function runsOnLiveWorkers(s: WorkerStatus): boolean {
  return (
    s.connector.state === "RUNNING" &&
    s.tasks.length === 3 &&
    s.tasks.every((t) => t.state === "RUNNING" && pidOf(workerName(t.worker_id)) !== undefined)
  );
}

describe("drill: every Connect worker restarted, one after another, during pulumi up", () => {
  const e = clusterEndpoints();
  const receiver = new ReceiverClient(e.receiverUrl);
  const stamp = Date.now().toString(36);
  // A stack name of its own per run: two checkouts' drills never share a Pulumi.<stack>.yaml.
  const stack = new DrillStack(`drill-rolling-${stamp}`, "drill-rolling");
  const destinations = drillDestinations(e, `/drill-rolling/${stamp}`, DESTINATIONS);
  let stream: EventStream | undefined;

  beforeAll(async () => {
    await stack.start(e, destinations);
  });

  afterAll(async () => {
    await stream?.stop().catch(() => undefined);
    await restoreCluster();
    await stack.finish();
  });

  it("converges without a rerun, with all ten connectors on live workers and no event lost", async () => {
    const up = stack.background(["up", "--yes", "--skip-preview", ...stack.policy()]);
    const since = (): string => `+${seconds(Date.now() - up.startedAt)}`;
    await up.until(`the stack's topic ${stack.topic}`, 300_000, () => topicExists(e, stack.topic));
    const topicAt = since();
    stream = new EventStream(e.restProxyUrl, stack.topic, `rr${stamp}`, {
      eventsPerSecond: 50,
    }).start();

    // At once: `up` is past its program, and the connectors' creates follow their dead-letter
    // topics within seconds. A restart counts as during `up` when its SIGTERM was.
    const restarts: string[] = [];
    let duringUp = 0;
    for (const worker of WORKERS) {
      const began = Date.now();
      const at = since();
      const running = up.alive;
      const pid = await killPart(worker, "SIGTERM");
      const stoppedMs = Date.now() - began;
      const started = await restoreCluster();
      if (!started.includes(worker)) throw new Error(`${worker} was not started again`);
      if (running) duringUp++;
      restarts.push(
        `${worker} (pid ${pid}) SIGTERM at ${at}, stopped in ${seconds(stoppedMs)}, ready ` +
          `again after ${seconds(Date.now() - began)}${running ? "" : " (up had exited)"}`,
      );
      process.stderr.write(`[drill] restarted ${restarts[restarts.length - 1]}\n`);
    }

    const result = await up.exit(900_000);
    const upMs = (up.endedAt ?? Date.now()) - up.startedAt;
    const retried = retriedAnswers(retryNotices(result.stdout));

    // Converged: ten connectors, each RUNNING with its three tasks on live workers (the group may
    // still be rebalancing after the last worker came back).
    const names = await connectorsOn(e.connectUrl, stack.connectorPrefix);
    const expected = destinations.map((d) => connectorNameOf(stack.environment, d.name));
    const settling = Date.now();
    const statuses = await waitFor(
      "every connector of the stack RUNNING with 3 tasks on live workers",
      180_000,
      async () => {
        const all = await Promise.all(names.map((name) => statusOf(e.connectUrl, name)));
        return all.every(runsOnLiveWorkers) ? all : undefined;
      },
    );
    const settleMs = Date.now() - settling;
    const placement = statuses.flatMap((s) => s.tasks.map((t) => workerName(t.worker_id)));
    const perWorker = WORKERS.map((w) => `${w} ${placement.filter((p) => p === w).length}`);

    const preview = await stack.engine.cli(["preview", "--expect-no-changes", ...stack.policy()]);
    const traffic = await stream.stop();
    stream = undefined;
    const sinks = await Promise.all(
      destinations.map((d, i) => stackSink(e, d, expected[i], stack.topic)),
    );
    const { each, total } = await arrivalsAt(receiver, sinks, traffic.ids, 300_000);

    printDrill(`rolling restart of ${WORKERS.length} workers during pulumi up`, traffic, total, {
      "pulumi up": `exit ${result.code} after ${seconds(upMs)} (its topic seen at ${topicAt})`,
      "restarts while up ran": `${duringUp} of ${WORKERS.length}`,
      restarts: restarts.join("; "),
      "answers the provider retried": formatCounts(retried),
      "409s met": retried["409"] ?? 0,
      "all RUNNING on live workers": `${seconds(settleMs)} after up exited`,
      "tasks per worker then": perWorker.join(", "),
      "second preview": preview.code === 0 ? "no changes" : `exit ${preview.code}`,
      "per destination (distinct/duplicates/lost)": [...each.values()]
        .map((a, i) => `d${i} ${a.distinct}/${a.duplicates}/${a.missing.length}`)
        .join(", "),
    });

    expect({ code: result.code, output: result.code === 0 ? "" : result.stdout }).toEqual({
      code: 0,
      output: "",
    });
    expect(duringUp).toBeGreaterThan(0);
    expect(names).toEqual([...expected].sort());
    expect({ code: preview.code, output: preview.code === 0 ? "" : preview.stdout }).toEqual({
      code: 0,
      output: "",
    });
    expect(traffic.acked).toBe(traffic.ids.length);
    expect(total.missing).toEqual([]);
    expect(total.distinct).toBe(traffic.ids.length * DESTINATIONS);
  });
});
