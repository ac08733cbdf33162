import {
  httpSinkEgressRateLimit,
  httpSinkTasksMax,
} from "../../../../policies/connectors/throughput";
import { analyticsQuota, camelSink, confluentSink, safeStack, stackWith } from "../fixtures";
import { edit, messages, validateStack } from "../harness";

describe("http-sink-tasks-max", () => {
  it("passes tasks.max within bounds", async () => {
    expect(await messages(httpSinkTasksMax, confluentSink)).toEqual([]);
  });

  it.each<[string, string]>([
    ["64", "64"],
    ["0", "0"],
    ["many", '"many"'],
  ])("reports tasks.max %s", async (value, shown) => {
    const sink = edit(confluentSink, (p) => (p.config["tasks.max"] = value));
    expect(await messages(httpSinkTasksMax, sink)).toEqual([
      `\`tasks.max\` is ${shown} on connector prod-analytics-http-sink; it must be between 1 and 16, or the sink sends more parallel requests than the provider is sized for.`,
    ]);
  });
});

describe("http-sink-egress-rate-limit", () => {
  const flood =
    "declare a kafka Quota (entityType client-id, `consumer_byte_rate`) for that client id or lower the settings, or the sink can send faster than the analytics provider's rate limit.";

  it("reports a sink with many tasks and no quota, against the connector", async () => {
    const sink = edit(confluentSink, (p) => (p.config["tasks.max"] = "64"));
    const stack = stackWith(analyticsQuota).map((r) => (r === confluentSink ? sink : r));
    expect(await validateStack(httpSinkEgressRateLimit, stack)).toEqual([
      {
        policy: "http-sink-egress-rate-limit",
        resource: "tracking-analytics-connector",
        message: `Connector prod-analytics-http-sink: no Kafka quota bounds its consumer client id "prod-analytics-http-sink-consumer" (\`consumer.override.client.id\`), and without one \`tasks.max\` is 64 (at most 4); ${flood}`,
      },
    ]);
  });

  it("accepts a sink without a quota when tasks, batch and poll sizes are small", async () => {
    expect(await validateStack(httpSinkEgressRateLimit, stackWith(analyticsQuota))).toEqual([]);
  });

  it("reports a Camel aggregation above the ceiling when there is no quota", async () => {
    const quota = safeStack.find((r) => r.name === "tracking-receiver-egress")!;
    const sink = edit(camelSink, (p) => (p.config["camel.aggregation.size"] = "1000"));
    const stack = stackWith(quota).map((r) => (r === camelSink ? sink : r));
    expect((await validateStack(httpSinkEgressRateLimit, stack)).map((v) => v.message)).toEqual([
      `Connector prod-receiver-http-sink: no Kafka quota bounds its consumer client id "prod-receiver-http-sink-consumer" (\`consumer.override.client.id\`), and without one \`camel.aggregation.size\` is 1000 (at most 500); ${flood}`,
    ]);
  });

  it("reports a sink without a client id, so that no quota can apply", async () => {
    const sink = edit(confluentSink, (p) => {
      delete p.config["consumer.override.client.id"];
      p.config["consumer.override.max.poll.records"] = "5000";
    });
    const stack = stackWith(analyticsQuota).map((r) => (r === confluentSink ? sink : r));
    expect((await validateStack(httpSinkEgressRateLimit, stack)).map((v) => v.message)).toEqual([
      `Connector prod-analytics-http-sink: it sets no \`consumer.override.client.id\`, so no Kafka quota bounds its consumer, and without one \`consumer.override.max.poll.records\` is 5000 (at most 500); ${flood}`,
    ]);
  });

  it("reports a quota whose byte rate is above the ceiling, against the quota", async () => {
    const quota = edit(analyticsQuota, (p) => (p.config = { consumer_byte_rate: "104857600" }));
    expect(await validateStack(httpSinkEgressRateLimit, stackWith(analyticsQuota, quota))).toEqual([
      {
        policy: "http-sink-egress-rate-limit",
        resource: "tracking-analytics-egress",
        message:
          '`consumer_byte_rate` is 104857600 on the quota of client id "prod-analytics-http-sink-consumer" that bounds connector prod-analytics-http-sink; it must be between 1 and 52428800 bytes per second, or the sink can send faster than the analytics provider accepts.',
      },
    ]);
  });

  it("does not count a quota without consumer_byte_rate", async () => {
    const quota = edit(analyticsQuota, (p) => (p.config = { producer_byte_rate: "1024" }));
    const sink = edit(confluentSink, (p) => (p.config["tasks.max"] = "8"));
    const stack = stackWith(analyticsQuota, quota).map((r) => (r === confluentSink ? sink : r));
    expect(await validateStack(httpSinkEgressRateLimit, stack)).toHaveLength(1);
  });

  it("counts the default client-id quota for every client id", async () => {
    const defaultQuota = edit(analyticsQuota, (p) => delete p.entityName);
    const sink = edit(confluentSink, (p) => (p.config["tasks.max"] = "8"));
    const stack = stackWith(analyticsQuota, defaultQuota).map((r) =>
      r === confluentSink ? sink : r,
    );
    expect(await validateStack(httpSinkEgressRateLimit, stack)).toEqual([]);
  });
});
