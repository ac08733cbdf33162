import { kafkaTopicReplication, kafkaTopicRetention } from "../../../../policies/kafka/durability";
import { analyticsDlq, confluentSink, connectOffsets, trackingTopic } from "../fixtures";
import { edit, messages, reportsEach } from "../harness";

describe("kafka-topic-replication", () => {
  it("passes topics with 3 replicas and min.insync.replicas 2", async () => {
    for (const topic of [trackingTopic, analyticsDlq, connectOffsets]) {
      expect(await messages(kafkaTopicReplication, topic)).toEqual([]);
    }
    expect(await messages(kafkaTopicReplication, confluentSink)).toEqual([]);
  });

  reportsEach(kafkaTopicReplication, [
    [
      "a replication factor below the minimum",
      trackingTopic,
      (p) => (p.replicationFactor = 2),
      "`replicationFactor` is 2 on topic prod.tracking; it must be at least 3, or losing a broker loses events.",
    ],
    [
      "min.insync.replicas below the minimum",
      trackingTopic,
      (p) => (p.config!["min.insync.replicas"] = "1"),
      "`min.insync.replicas` is 1 on topic prod.tracking; it must be at least 2, or an acknowledged event can live on a single broker.",
    ],
    [
      "min.insync.replicas left at the broker default",
      trackingTopic,
      (p) => delete p.config!["min.insync.replicas"],
      "`min.insync.replicas` is unset (broker default 1) on topic prod.tracking; it must be at least 2, or an acknowledged event can live on a single broker.",
    ],
    [
      "min.insync.replicas equal to the replication factor",
      trackingTopic,
      (p) => (p.config!["min.insync.replicas"] = "3"),
      "`min.insync.replicas` is 3 on topic prod.tracking with `replicationFactor` 3; it must be at most 2, or one broker down stops every write.",
    ],
  ]);

  it("reports min.insync.replicas above the replication factor even where equal is allowed", async () => {
    const topic = edit(trackingTopic, (p) => (p.config!["min.insync.replicas"] = "4"));
    const config = { allowMinInsyncEqualToReplicationFactor: true };
    expect(await messages(kafkaTopicReplication, topic, config)).toEqual([
      "`min.insync.replicas` is 4 on topic prod.tracking with `replicationFactor` 3; it must be at most 3, or every write is refused.",
    ]);
  });

  it("accepts a single-replica topic with the local thresholds", async () => {
    const topic = edit(trackingTopic, (p) => {
      p.replicationFactor = 1;
      p.config!["min.insync.replicas"] = "1";
    });
    const local = {
      minReplicationFactor: 1,
      minInsyncReplicas: 1,
      allowMinInsyncEqualToReplicationFactor: true,
    };
    expect(await messages(kafkaTopicReplication, topic, local)).toEqual([]);
  });
});

describe("kafka-topic-retention", () => {
  it("passes tracking and dead-letter topics kept 7 and 14 days", async () => {
    expect(await messages(kafkaTopicRetention, trackingTopic)).toEqual([]);
    expect(await messages(kafkaTopicRetention, analyticsDlq)).toEqual([]);
  });

  it("leaves compacted topics alone", async () => {
    expect(await messages(kafkaTopicRetention, connectOffsets)).toEqual([]);
  });

  it.each<[string, string | undefined, string]>([
    ["an hour", "3600000", "3600000"],
    ["forever", "-1", "-1"],
    ["a year", "31536000000", "31536000000"],
    ["a value that is not a number", "7d", '"7d"'],
  ])("reports a retention of %s", async (_, value, shown) => {
    const topic = edit(trackingTopic, (p) => (p.config!["retention.ms"] = value!));
    expect(await messages(kafkaTopicRetention, topic)).toEqual([
      `\`retention.ms\` is ${shown} on topic prod.tracking; it must be between 86400000 and 2678400000: shorter deletes events a down provider has not received, longer keeps personal data past its purpose.`,
    ]);
  });

  it("judges an unset retention by the broker default of 7 days", async () => {
    const topic = edit(trackingTopic, (p) => delete p.config!["retention.ms"]);
    expect(await messages(kafkaTopicRetention, topic)).toEqual([]);
    expect(await messages(kafkaTopicRetention, topic, { maxRetentionMs: 86_400_000 })).toEqual([
      "`retention.ms` is unset (broker default 604800000) on topic prod.tracking; it must be between 86400000 and 86400000: shorter deletes events a down provider has not received, longer keeps personal data past its purpose.",
    ]);
  });
});
