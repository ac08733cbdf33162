import axios from "axios";
import { ReceiverClient } from "../../platform/receiverClient";
import { clusterEndpoints, killPart, restoreCluster, sleep, waitFor, workerName } from "./cluster";
import { printDrill, seconds } from "./report";
import { DrillSink, createDrillSink, waitForArrivals } from "./sink";
import { EventStream } from "./traffic";

interface Status {
  readonly tasks: readonly { id: number; state: string; worker_id: string }[];
}

/**
 * A Connect worker killed with SIGKILL while events flow: the group notices it is gone, its task
 * moves to a live worker, and every event reaches the destination (duplicates are counted: a
 * task that dies between delivering and committing sends its last batch again).
 */
describe("drill: a Connect worker is killed while events flow", () => {
  const e = clusterEndpoints();
  const receiver = new ReceiverClient(e.receiverUrl);
  let sink: DrillSink | undefined;

  afterAll(async () => {
    // The killed worker first: the sink is removed through the first worker, which may be it.
    await restoreCluster();
    await sink?.remove();
  });

  it("moves the dead worker's tasks to the others and loses no event", async () => {
    sink = await createDrillSink(e, "worker-kill");
    // Asked of a worker that stays up (any worker answers for the whole group).
    let statusUrl = e.connectUrl;
    const status = async (): Promise<Status> =>
      (await axios.get<Status>(`${statusUrl}/connectors/${sink?.name}/status`)).data;
    // The default three tasks, spread over the three workers by the group's assignor.
    const spread = await waitFor("3 running tasks", 60_000, async () => {
      const s = await status();
      return s.tasks.length === 3 && s.tasks.every((t) => t.state === "RUNNING") ? s : undefined;
    });
    // The worker running task 0 dies; the status is then asked of another one.
    const victimTask = spread.tasks[0];
    const victim = workerName(victimTask.worker_id);
    const survivor = e.cluster?.workers.find((w) => w.name !== victim);
    if (!survivor) throw new Error("the cluster profile lists no other worker");
    statusUrl = survivor.url;

    const stream = new EventStream(e.restProxyUrl, sink.topic, "wk", {
      eventsPerSecond: 200,
    }).start();
    await sleep(8_000);
    const pid = await killPart(victim);
    const killedAt = Date.now();
    process.stderr.write(
      `[drill] SIGKILL ${victim} (pid ${pid}), which ran task ${victimTask.id}\n`,
    );
    // Reassigned: every task RUNNING on a live worker (the status API keeps showing the dead
    // worker's tasks RUNNING until then, so the worker id is what tells).
    const moved = await waitFor("the dead worker's tasks on live workers", 120_000, async () => {
      const s = await status();
      const ok =
        s.tasks.length === 3 &&
        s.tasks.every((t) => t.state === "RUNNING" && workerName(t.worker_id) !== victim);
      return ok ? s : undefined;
    });
    const failoverMs = Date.now() - killedAt;
    await sleep(10_000); // events keep flowing through the moved task
    const traffic = await stream.stop();
    const arrivals = await waitForArrivals(receiver, sink, traffic.ids, 180_000);
    printDrill("Connect worker SIGKILL", traffic, arrivals, {
      "killed worker": `${victim} (task ${victimTask.id})`,
      "tasks running on live workers after": seconds(failoverMs),
      "assignment after": moved.tasks.map((t) => `${t.id}@${workerName(t.worker_id)}`).join(", "),
    });
    expect(traffic.acked).toBe(traffic.ids.length);
    expect(arrivals.missing).toEqual([]);
    expect(arrivals.distinct).toBe(traffic.ids.length);
  });
});
