import type { SinkOffset } from "../connect/client";
import type { PartitionOffset, PartitionRange } from "../kafkaAdmin";

/*
 * What a replay and a redrive do to offsets, decided from what Kafka and the worker report. Pure,
 * so that the rules that keep events from being skipped are unit-tested on their own.
 */

/** The offsets a replay writes, and how many events it sends again. */
export interface ReplayPlan {
  /** For `PATCH /connectors/{name}/offsets`: only partitions that move back. */
  readonly offsets: SinkOffset[];
  /** Events the connector sends again (committed minus target, summed). */
  readonly events: number;
}

/**
 * A replay moves each partition the connector has committed back to the first offset at or after
 * the time, never forward: a partition whose time offset lies past what the connector committed
 * (it lags behind the time) keeps its offset, else the events in between would be skipped. A
 * partition the connector never committed is left alone: it starts where the consumer's reset
 * policy says, which cannot skip either.
 */
export function replayPlan(
  topic: string,
  atTime: readonly PartitionOffset[],
  committed: readonly SinkOffset[],
): ReplayPlan {
  const offsets: SinkOffset[] = [];
  let events = 0;
  for (const { partition, offset: target } of atTime) {
    const current = committed.find(
      (c) => c.partition.kafka_topic === topic && c.partition.kafka_partition === partition,
    )?.offset?.kafka_offset;
    if (current === undefined || target >= current) continue;
    offsets.push({
      partition: { kafka_topic: topic, kafka_partition: partition },
      offset: { kafka_offset: target },
    });
    events += current - target;
  }
  return { offsets, events };
}

/** What a redrive sends: per partition, from where its group stands up to the end it saw. */
export interface RedrivePlan {
  /** `stop.at.offsets` of the redrive connector: every partition's end offset now. */
  readonly stopAt: string;
  /** Partitions with something to send, and the end offset each must reach. */
  readonly pending: readonly PartitionOffset[];
  /** Records to send (end minus start, summed). */
  readonly events: number;
}

/**
 * A partition starts where the redrive's consumer group committed (what earlier redrives sent),
 * or at its first offset when the group never read it, retention removed what it stood at, or
 * its offset lies past the end (it was committed on an earlier topic of the same name).
 */
export function redrivePlan(
  topic: string,
  ranges: readonly PartitionRange[],
  committed: readonly PartitionOffset[],
): RedrivePlan {
  const pending: PartitionOffset[] = [];
  let events = 0;
  for (const { partition, low, high } of ranges) {
    let group = committed.find((c) => c.partition === partition)?.offset;
    // Past the end: committed on an earlier topic of that name (deleted, then made again).
    if (group !== undefined && group > high) group = undefined;
    const start = Math.max(group ?? low, low);
    if (high > start) {
      pending.push({ partition, offset: high });
      events += high - start;
    }
  }
  const stopAt = ranges.map((r) => `${topic}:${r.partition}:${r.high}`).join(",");
  return { stopAt, pending, events };
}

/** Whether the committed offsets reached every pending partition's end. */
export function redriveDone(pending: readonly PartitionOffset[], committed: readonly SinkOffset[]) {
  return pending.every(({ partition, offset }) => {
    const at = committed.find((c) => c.partition.kafka_partition === partition)?.offset;
    return at !== null && at !== undefined && at.kafka_offset >= offset;
  });
}
