import { resourcePolicy, shown } from "../policy";
import { parseInteger } from "../read";
import { flag, integer, settings } from "../settings";
import { topicOf } from "./resources";

// The durability of each Kafka topic: its replicas, and how long it keeps undelivered events.

interface ReplicationConfig {
  minReplicationFactor: number;
  minInsyncReplicas: number;
  allowMinInsyncEqualToReplicationFactor: boolean;
}

const replicationSettings = settings<ReplicationConfig>({
  minReplicationFactor: integer(3, 1, "Fewest replicas of each partition."),
  minInsyncReplicas: integer(2, 1, "Lowest `min.insync.replicas`."),
  allowMinInsyncEqualToReplicationFactor: flag(
    false,
    "Whether `min.insync.replicas` may equal the replication factor (one broker down then stops writes).",
  ),
});

export const kafkaTopicReplication = resourcePolicy({
  name: "kafka-topic-replication",
  description:
    "Checks that Kafka topics are replicated and that `min.insync.replicas` both protects acknowledged events and leaves room for one broker to be down.",
  settings: replicationSettings,
  recognise: topicOf,
  validate: (topic, c, reportViolation) => {
    const rf = topic.replicationFactor;
    const rfTooLow = rf === undefined || rf < c.minReplicationFactor;

    if (rfTooLow) {
      reportViolation(
        `\`replicationFactor\` is ${shown(topic.declaredReplicationFactor)} on topic ${topic.name}; ` +
          `it must be at least ${c.minReplicationFactor}, or losing a broker loses events.`,
      );
    }

    const isrText = topic.config["min.insync.replicas"];
    const isr = parseInteger(isrText ?? "1");
    if (isr === undefined || isr < c.minInsyncReplicas) {
      reportViolation(
        `\`min.insync.replicas\` is ${shown(isrText, "broker default 1")} on topic ${topic.name}; ` +
          `it must be at least ${c.minInsyncReplicas}, or an acknowledged event can live on a single broker.`,
      );
    } else if (!rfTooLow) {
      // Judged only once the replication factor is right: raising it may settle this too.
      const ceiling = c.allowMinInsyncEqualToReplicationFactor ? rf : rf - 1;
      if (isr > ceiling) {
        reportViolation(
          `\`min.insync.replicas\` is ${shown(isrText)} on topic ${topic.name} with \`replicationFactor\` ${rf}; ` +
            `it must be at most ${ceiling}, or ` +
            (isr > rf ? "every write is refused." : "one broker down stops every write."),
        );
      }
    }
  },
});

interface RetentionConfig {
  minRetentionMs: number;
  maxRetentionMs: number;
}

const retentionSettings = settings<RetentionConfig>({
  minRetentionMs: integer(
    86_400_000,
    0,
    "Shortest `retention.ms`: how long a provider may be down before undelivered events are deleted.",
  ),
  maxRetentionMs: integer(
    2_678_400_000,
    0,
    "Longest `retention.ms`: tracking data is personal data, kept no longer than needed.",
  ),
});

const BROKER_DEFAULT_RETENTION_MS = "604800000";

export const kafkaTopicRetention = resourcePolicy({
  name: "kafka-topic-retention",
  description:
    "Checks that the `retention.ms` of deleting Kafka topics is long enough to outlast an outage and short enough for personal data.",
  settings: retentionSettings,
  recognise: topicOf,
  validate: (topic, c, reportViolation) => {
    // Compacted-only topics keep the latest value per key; time retention does not apply.
    const cleanup = (topic.config["cleanup.policy"] ?? "delete").split(",").map((p) => p.trim());
    if (!cleanup.includes("delete")) return;
    const text = topic.config["retention.ms"];
    const ms = parseInteger(text ?? BROKER_DEFAULT_RETENTION_MS);
    // -1 (keep forever) is below any minimum, and is reported as such.
    if (ms === undefined || ms < c.minRetentionMs || ms > c.maxRetentionMs) {
      reportViolation(
        `\`retention.ms\` is ${shown(text, `broker default ${BROKER_DEFAULT_RETENTION_MS}`)} on topic ${topic.name}; ` +
          `it must be between ${c.minRetentionMs} and ${c.maxRetentionMs}: shorter deletes events a down provider has not received, ` +
          `longer keeps personal data past its purpose.`,
      );
    }
  },
});
