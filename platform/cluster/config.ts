/*
 * What the cluster profile sets on top of the one-node config: production's durability (RF 3,
 * min ISR 2) and the timeouts that make a failover take seconds rather than minutes. Every value
 * was measured here; platform/research/cluster-profile.md has the runs and NOTES.md the summary.
 */

/** Heap of each KRaft node and each worker: 3 + 3 JVMs fit in about 1.1 GB of RSS. */
export const CLUSTER_HEAP = "256m";

/** Broker properties of every node of the cluster profile. */
export const CLUSTER_BROKER_CONFIG: Readonly<Record<string, string | number>> = {
  "default.replication.factor": 3,
  "min.insync.replicas": 2,
  "offsets.topic.replication.factor": 3,
  "transaction.state.log.replication.factor": 3,
  "transaction.state.log.min.isr": 2,
  "share.coordinator.state.topic.replication.factor": 3,
  "share.coordinator.state.topic.min.isr": 2,
  // A dead node is fenced (and its partitions led elsewhere) after 3 s instead of 9 s.
  "broker.session.timeout.ms": 3000,
  "broker.heartbeat.interval.ms": 500,
  // The 128 MiB default ends a 256m node with OutOfMemoryError as its log cleaner starts.
  "log.cleaner.dedupe.buffer.size": 33_554_432,
};

/** Worker properties of every Connect worker of the cluster profile. */
export const CLUSTER_WORKER_CONFIG: Readonly<Record<string, string | number>> = {
  "config.storage.replication.factor": 3,
  "offset.storage.replication.factor": 3,
  "status.storage.replication.factor": 3,
  // A dead worker leaves the group after 6 s; with `scheduled.rebalance.max.delay.ms=0` its
  // tasks then move at once (about 9 s from the kill, measured).
  "session.timeout.ms": 6000,
  "heartbeat.interval.ms": 2000,
  // The sink tasks' consumers: with the 45 s default, one dead task stalls the whole
  // connector's group until its session expires.
  "consumer.session.timeout.ms": 10_000,
  "consumer.heartbeat.interval.ms": 3000,
};
