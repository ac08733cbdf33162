import { ReceiverClient } from "../../platform/receiverClient";
import {
  clusterEndpoints,
  killPart,
  partitionLeaders,
  restoreCluster,
  sleep,
  waitFor,
} from "./cluster";
import { printDrill, seconds } from "./report";
import { DrillSink, createDrillSink, waitForArrivals } from "./sink";
import { EventStream } from "./traffic";

/**
 * The KRaft node leading the tracking topic's partitions killed with SIGKILL while the REST
 * proxy produces with `acks=all`: with replication 3 and min ISR 2 the two others keep taking
 * writes once a new leader is elected, so the proxy's retried requests all succeed and every
 * event reaches the destination. Then the node is started again and rejoins every ISR.
 */
describe("drill: the leading broker is killed while events flow", () => {
  const e = clusterEndpoints();
  const receiver = new ReceiverClient(e.receiverUrl);
  let sink: DrillSink | undefined;

  afterAll(async () => {
    await sink?.remove();
    await restoreCluster();
  });

  it("fails over to a replica, loses no acknowledged event, and takes the node back", async () => {
    // Node 2 leads every partition of the topic: killing it moves them all.
    sink = await createDrillSink(e, "broker-kill", { leader: 2 });
    const topic = sink.topic;
    const before = await partitionLeaders(topic);
    const victimId = 2;
    const victim = "broker-2";
    if (!before.every((p) => p.leader === victimId)) {
      throw new Error(`node 2 should lead every partition: ${JSON.stringify(before)}`);
    }

    const stream = new EventStream(e.restProxyUrl, topic, "bk", { eventsPerSecond: 200 }).start();
    await sleep(8_000);
    const pid = await killPart(victim);
    const killedAt = Date.now();
    process.stderr.write(
      `[drill] SIGKILL ${victim} (pid ${pid}), leader of all ${before.length} partitions\n`,
    );
    const after = await waitFor("new leaders for the dead node's partitions", 120_000, async () => {
      const leaders = await partitionLeaders(topic);
      return leaders.every((p) => p.leader !== victimId && p.leader >= 0) ? leaders : undefined;
    });
    const failoverMs = Date.now() - killedAt;
    await sleep(10_000); // the proxy keeps producing to the new leaders
    const restarted = Date.now();
    await restoreCluster();
    const rejoined = await waitFor("the node back in every ISR", 120_000, async () => {
      const leaders = await partitionLeaders(topic);
      return leaders.every((p) => p.isr.includes(victimId)) ? leaders : undefined;
    });
    const rejoinMs = Date.now() - restarted;
    const traffic = await stream.stop();
    const arrivals = await waitForArrivals(receiver, sink, traffic.ids, 180_000);
    printDrill("leading KRaft node SIGKILL", traffic, arrivals, {
      "killed node": `${victim} (node ${victimId})`,
      "leaders before": before.map((p) => `${p.partition}→${p.leader}`).join(", "),
      "leaders after": after.map((p) => `${p.partition}→${p.leader}`).join(", "),
      "new leaders visible after": seconds(failoverMs),
      "back in every ISR after its restart": seconds(rejoinMs),
      "ISRs at the end": rejoined.map((p) => `${p.partition}:[${p.isr.join(",")}]`).join(" "),
    });
    expect(traffic.acked).toBe(traffic.ids.length);
    expect(arrivals.missing).toEqual([]);
    expect(arrivals.distinct).toBe(traffic.ids.length);
  });
});
