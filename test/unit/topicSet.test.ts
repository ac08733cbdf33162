import { TopicSet, partitionDecrease } from "../../components/topicSet";
import { named, ofType, promiseOf, settled, useMocks } from "./mocks";

const TOPIC = "kafka:index/topic:Topic";

describe("TopicSet", () => {
  beforeEach(() => useMocks());

  it("declares environment-prefixed tracking topics with the durability defaults", async () => {
    const set = new TopicSet("t", { environment: "dev", topics: ["tracking", "orders"] });
    await settled(set);
    expect(ofType(TOPIC).map((t) => t.inputs.name)).toEqual(["dev.tracking", "dev.orders"]);
    expect(named(TOPIC, "t-dev.tracking").inputs).toEqual({
      name: "dev.tracking",
      partitions: 6,
      replicationFactor: 3,
      config: {
        "cleanup.policy": "delete",
        "compression.type": "producer",
        "max.message.bytes": "1048588",
        "min.insync.replicas": "2",
        "retention.ms": "604800000",
      },
    });
    expect(await promiseOf(set.topicNames.orders)).toBe("dev.orders");
  });

  it("applies every topic setting given", async () => {
    const set = new TopicSet("t", {
      environment: "prod",
      topics: ["tracking"],
      partitions: 12,
      replicationFactor: 3,
      minInsyncReplicas: 2,
      retentionMs: 86_400_000,
      cleanupPolicy: "compact,delete",
      compressionType: "zstd",
      maxMessageBytes: 2_000_000,
    });
    await settled(set);
    expect(named(TOPIC, "t-prod.tracking").inputs).toEqual({
      name: "prod.tracking",
      partitions: 12,
      replicationFactor: 3,
      config: {
        "cleanup.policy": "compact,delete",
        "compression.type": "zstd",
        "max.message.bytes": "2000000",
        "min.insync.replicas": "2",
        "retention.ms": "86400000",
      },
    });
  });

  it("caps min.insync.replicas at the replication factor", async () => {
    const set = new TopicSet("t", {
      environment: "local",
      topics: ["tracking"],
      replicationFactor: 1,
    });
    await settled(set);
    expect(named(TOPIC, "t-local.tracking").inputs.config).toMatchObject({
      "min.insync.replicas": "1",
    });
  });

  it("adds a dead-letter topic per sink and reporter topics where asked", async () => {
    const set = new TopicSet("t", {
      environment: "dev",
      topics: ["tracking"],
      deadLetterSinks: ["amp", "crm"],
      reporterSinks: ["amp"],
      deadLetterRetentionMs: 3_600_000,
    });
    await settled(set);
    expect(ofType(TOPIC).map((t) => t.inputs.name)).toEqual([
      "dev.tracking",
      "dev.amp.dlq",
      "dev.crm.dlq",
      "dev.amp.success",
      "dev.amp.error",
    ]);
    expect(named(TOPIC, "t-dev.amp.dlq").inputs).toMatchObject({
      partitions: 1,
      config: { "retention.ms": "3600000" },
    });
    expect(await promiseOf(set.deadLetterTopicNames.crm)).toBe("dev.crm.dlq");
    expect(await promiseOf(set.reporterTopicNames.amp.error)).toBe("dev.amp.error");
  });

  it("protects every topic it declares from deletion by default", async () => {
    const set = new TopicSet("t", {
      environment: "dev",
      topics: ["tracking"],
      deadLetterSinks: ["amp"],
      reporterSinks: ["amp"],
    });
    await settled(set);
    expect(ofType(TOPIC).map((t) => [t.inputs.name, t.protect])).toEqual([
      ["dev.tracking", true],
      ["dev.amp.dlq", true],
      ["dev.amp.success", true],
      ["dev.amp.error", true],
    ]);
    expect(named("tracking:kafka:TopicSet", "t").protect).toBe(false);
  });

  it("leaves its topics unprotected when asked, for throw-away stacks", async () => {
    const set = new TopicSet("t", {
      environment: "local",
      topics: ["tracking"],
      deadLetterSinks: ["amp"],
      protect: false,
    });
    await settled(set);
    expect(ofType(TOPIC).map((t) => t.protect)).toEqual([false, false]);
  });

  it("parents every topic to the set", async () => {
    const set = new TopicSet("t", { environment: "dev", topics: ["tracking"] });
    await settled(set);
    const urn = await promiseOf(set.topics["dev.tracking"].urn);
    expect(urn).toContain("tracking:kafka:TopicSet$kafka:index/topic:Topic::t-dev.tracking");
  });
});

describe("partitionDecrease", () => {
  it("refuses fewer partitions than the live topic has, saying that its events would be lost", () => {
    expect(partitionDecrease("prod.tracking", 12, 6)).toBe(
      "`partitions` of topic prod.tracking cannot go down from 12 to 6: Kafka cannot remove " +
        "partitions, so the kafka plugin would delete the topic and create it again, losing " +
        "every event in it. Keep 12 or more (stack setting `topicPartitions` for tracking " +
        "topics), or move the data to a new topic first.",
    );
  });

  it("lets the same count, more partitions and a topic not created yet through", () => {
    expect([
      partitionDecrease("prod.tracking", 6, 6),
      partitionDecrease("prod.tracking", 6, 12),
      partitionDecrease("prod.tracking", undefined, 3),
    ]).toEqual([undefined, undefined, undefined]);
  });
});
