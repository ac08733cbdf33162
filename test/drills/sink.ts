import axios from "axios";
import { createConnector, stackDefaults } from "../../bench/stackConnector";
import type { PlatformEndpoints } from "../../platform";
import { ReceiverClient, extractEventIds } from "../../platform/receiverClient";
import { withAdmin } from "./cluster";

/**
 * A topic with production's durability: replication 3, min ISR 2 (the cluster's default). With
 * `leader`, every partition's preferred leader is that node (the others follow it as replicas),
 * so that a drill can kill the node leading the whole topic.
 */
export async function createReplicatedTopic(
  e: PlatformEndpoints,
  name: string,
  partitions: number,
  leader?: number,
): Promise<void> {
  if (leader !== undefined) {
    const others = (e.cluster?.nodes ?? []).map((n) => n.nodeId).filter((id) => id !== leader);
    const created = await withAdmin((admin) =>
      admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: name,
            replicaAssignment: Array.from({ length: partitions }, (_, partition) => ({
              partition,
              replicas: [leader, ...others],
            })),
          },
        ],
      }),
    );
    if (!created) throw new Error(`creating ${name}: it already exists`);
    return;
  }
  const { status, data } = await axios.post(
    `${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics`,
    { topic_name: name, partitions_count: partitions, replication_factor: 3 },
    { validateStatus: () => true },
  );
  if (status >= 300) throw new Error(`creating ${name}: HTTP ${status} ${JSON.stringify(data)}`);
}

/** One destination as the stack declares it by default, on the cluster's receiver. */
export interface DrillSink {
  readonly name: string;
  readonly topic: string;
  /** The receiver path this destination posts to: tells its requests from others'. */
  readonly path: string;
  readonly config: Readonly<Record<string, string>>;
  /** Removes the connector (through the provider, as `pulumi destroy` does). */
  remove(): Promise<void>;
}

/**
 * Creates a topic and, through the connector provider, the production connector (our HTTP sink)
 * with the settings the stack generates for a destination that names only its URL and topic: the
 * stack's default tasks, batching, retries and dead-letter topic.
 */
export async function createDrillSink(
  e: PlatformEndpoints,
  label: string,
  topicOptions: { readonly partitions?: number; readonly leader?: number } = {},
): Promise<DrillSink> {
  const partitions = topicOptions.partitions ?? 3;
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const topic = `drill.${label}.${stamp}`;
  const name = `drill-${label}-${stamp}`;
  const path = `/drill/${label}/${stamp}`;
  await createReplicatedTopic(e, topic, partitions, topicOptions.leader);
  const deadLetterTopic = `${topic}.dlq`;
  await createReplicatedTopic(e, deadLetterTopic, 1);
  const config = stackDefaults(e, name, topic, path, 3);
  const remove = await createConnector(e, name, config);
  return {
    name,
    topic,
    path,
    config,
    remove,
  };
}

/** Every event of a destination the receiver accepted: first arrival per id, and duplicates. */
export interface Arrivals {
  readonly distinct: number;
  readonly duplicates: number;
  readonly missing: readonly string[];
  readonly requests: number;
  /** The longest pause between two accepted requests of this destination. */
  readonly maxDeliveryGapMs: number;
  /** Answers other than 2xx the receiver gave this destination (e.g. the drill's 429s). */
  readonly refused: Readonly<Record<number, number>>;
}

/**
 * Waits (at most `ms`) until every id has been accepted at the sink's path, then counts. Never
 * throws for a missing id: the drill asserts and prints.
 */
export async function waitForArrivals(
  receiver: ReceiverClient,
  sink: DrillSink,
  ids: readonly string[],
  ms: number,
): Promise<Arrivals> {
  const counts = new Map<string, number>();
  const refused: Record<number, number> = {};
  let requests = 0;
  let cursor = 0;
  let lastAccepted: number | undefined;
  let maxDeliveryGapMs = 0;
  const deadline = Date.now() + ms;
  for (;;) {
    for (const request of await receiver.requests(cursor)) {
      cursor = request.seq;
      if (request.path !== sink.path) continue;
      if (request.status >= 300) {
        refused[request.status] = (refused[request.status] ?? 0) + 1;
        continue;
      }
      requests++;
      if (lastAccepted !== undefined) {
        maxDeliveryGapMs = Math.max(maxDeliveryGapMs, request.receivedAt - lastAccepted);
      }
      lastAccepted = request.receivedAt;
      for (const id of extractEventIds(request.json, "id"))
        counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const missing = ids.filter((id) => !counts.has(id));
    if (missing.length === 0 || Date.now() > deadline) {
      const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
      return { distinct: counts.size, duplicates, missing, requests, maxDeliveryGapMs, refused };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
