import { PolicyResource } from "@pulumi/policy";
import { Quota, quotaOf } from "../kafka/resources";
import { resourcePolicy, shown, stackPolicyFor } from "../policy";
import { parseInteger, recognised } from "../read";
import { integer, settings } from "../settings";
import { httpSinkOf } from "./connector";

// How fast HTTP sinks may send to their provider: their tasks, and the Kafka quota or the task,
// batch and poll sizes that bound their traffic.

interface TasksConfig {
  minTasks: number;
  maxTasks: number;
}

const tasksSettings = settings<TasksConfig>({
  minTasks: integer(1, 1, "Fewest tasks."),
  maxTasks: integer(
    16,
    1,
    "Most tasks, each one a consumer and a stream of requests to the provider.",
  ),
});

export const httpSinkTasksMax = resourcePolicy({
  name: "http-sink-tasks-max",
  description: "Checks that the `tasks.max` of HTTP sink connectors is within bounds.",
  settings: tasksSettings,
  recognise: httpSinkOf,
  validate: (sink, c, reportViolation) => {
    const text = sink.config["tasks.max"];
    const tasks = parseInteger(text ?? "1");
    if (tasks === undefined || tasks < c.minTasks || tasks > c.maxTasks) {
      reportViolation(
        `\`tasks.max\` is ${shown(text, "Connect default 1")} on connector ${sink.name}; ` +
          `it must be between ${c.minTasks} and ${c.maxTasks}, or the sink sends more parallel requests than the provider is sized for.`,
      );
    }
  },
});

interface EgressConfig {
  maxConsumerByteRate: number;
  maxTasksWithoutQuota: number;
  maxBatchSizeWithoutQuota: number;
  maxPollRecordsWithoutQuota: number;
}

const egressSettings = settings<EgressConfig>({
  maxConsumerByteRate: integer(
    52_428_800,
    1,
    "Highest `consumer_byte_rate` of a sink's quota, bytes per second.",
  ),
  maxTasksWithoutQuota: integer(4, 1, "Highest `tasks.max` of a sink without a quota."),
  maxBatchSizeWithoutQuota: integer(
    500,
    1,
    "Highest `batch.max.size` / `camel.aggregation.size` of a sink without a quota.",
  ),
  maxPollRecordsWithoutQuota: integer(
    500,
    1,
    "Highest `consumer.override.max.poll.records` of a sink without a quota.",
  ),
});

/**
 * The quota that bounds a client id's consumption, as Kafka resolves it: the client id's own
 * `consumer_byte_rate`, else the default client-id quota's.
 */
function consumerQuota(
  quotas: readonly [Quota, PolicyResource][],
  clientId: string | undefined,
): [Quota, PolicyResource] | undefined {
  const withRate = quotas.filter(
    ([q]) => q.entityType === "client-id" && q.consumerByteRate !== undefined,
  );
  return (
    (clientId !== undefined ? withRate.find(([q]) => q.entityName === clientId) : undefined) ??
    withRate.find(([q]) => !q.entityName)
  );
}

export const httpSinkEgressRateLimit = stackPolicyFor({
  name: "http-sink-egress-rate-limit",
  description:
    "Checks that every HTTP sink's traffic to its provider is bounded, by a Kafka quota on its consumer client id or by small `tasks.max`, batch and poll sizes.",
  settings: egressSettings,
  recognise: httpSinkOf,
  prepare: (resources) => recognised(resources, quotaOf),
  validate: ({ found: sink, resource, stack: quotas, config: c }, reportViolation) => {
    const clientId = sink.config["consumer.override.client.id"];
    const bounding = consumerQuota(quotas, clientId);
    if (bounding) {
      const [quota, quotaResource] = bounding;
      const rate = parseInteger(quota.consumerByteRate);
      if (rate === undefined || rate < 1 || rate > c.maxConsumerByteRate) {
        reportViolation(
          `\`consumer_byte_rate\` is ${shown(quota.consumerByteRate)} on the quota of client id ${shown(quota.entityName ?? "(default)")} ` +
            `that bounds connector ${sink.name}; it must be between 1 and ${c.maxConsumerByteRate} bytes per second, ` +
            `or the sink can send faster than the analytics provider accepts.`,
          quotaResource.urn,
        );
      }
      return;
    }

    const batchKey = sink.flavour === "camel" ? "camel.aggregation.size" : "batch.max.size";
    const bounds: [key: string, connectorDefault: string, max: number][] = [
      ["tasks.max", "1", c.maxTasksWithoutQuota],
      [batchKey, "1", c.maxBatchSizeWithoutQuota],
      ["consumer.override.max.poll.records", "500", c.maxPollRecordsWithoutQuota],
    ];
    const exceeded = bounds
      .filter(([key, connectorDefault, max]) => {
        const value = parseInteger(sink.config[key] ?? connectorDefault);
        return value === undefined || value > max;
      })
      .map(([key, , max]) => `\`${key}\` is ${shown(sink.config[key])} (at most ${max})`);
    if (exceeded.length === 0) return;
    const consumer =
      clientId !== undefined
        ? `no Kafka quota bounds its consumer client id "${clientId}" (\`consumer.override.client.id\`)`
        : "it sets no `consumer.override.client.id`, so no Kafka quota bounds its consumer";
    reportViolation(
      `Connector ${sink.name}: ${consumer}, and without one ${exceeded.join(" and ")}; ` +
        `declare a kafka Quota (entityType client-id, \`consumer_byte_rate\`) for that client id or lower the settings, ` +
        `or the sink can send faster than the analytics provider's rate limit.`,
      resource.urn,
    );
  },
});
