import { PolicyResource } from "@pulumi/policy";
import { workloadOf } from "../kubernetes/workload";
import { shown, stackPolicy } from "../policy";
import { recognised, stringMap } from "../read";
import { settings, strings } from "../settings";
import { declaredTopics } from "./resources";

// connect-internal-topics-compacted: the topics where Kafka Connect keeps connector configs,
// offsets and status, named by the worker's env or by their name endings.

interface InternalTopicsConfig {
  internalTopicSuffixes: string[];
}

const internalTopicsSettings = settings<InternalTopicsConfig>({
  internalTopicSuffixes: strings(
    ["connect-configs", "connect-offsets", "connect-status"],
    "Name endings that mark a topic as a Connect internal topic.",
  ),
});

const INTERNAL_TOPIC_ENV = {
  CONNECT_CONFIG_STORAGE_TOPIC: "connector configs",
  CONNECT_OFFSET_STORAGE_TOPIC: "sink offsets",
  CONNECT_STATUS_STORAGE_TOPIC: "connector status",
} as const;

export const connectInternalTopicsCompacted = stackPolicy({
  name: "connect-internal-topics-compacted",
  description:
    "Checks that Kafka Connect's config, offset and status topics are declared in the stack with `cleanup.policy` compact.",
  settings: internalTopicsSettings,
  validate: (resources, c, reportViolation) => {
    const declared = declaredTopics(resources);
    const rule =
      'it must be "compact", or Kafka deletes connector configs and offsets after `retention.ms` and sinks re-send or skip events.';
    const seen = new Set<string>();

    for (const [workload, resource] of recognised(resources, workloadOf)) {
      for (const container of workload.containers) {
        for (const [variable, holds] of Object.entries(INTERNAL_TOPIC_ENV)) {
          const topic = container.env[variable];
          if (topic === undefined || seen.has(topic)) continue; // unset, or not readable here
          seen.add(topic);
          const declaration = declared.get(topic);
          if (!declaration) {
            reportViolation(
              `Topic ${topic} (\`${variable}\` of ${workload.label}, which holds ${holds}) is not declared in this stack; ` +
                `declare it with \`cleanup.policy\` "compact", so that its durability is set here and not by the worker's auto-creation.`,
              resource.urn,
            );
          } else {
            checkCompacted(topic, declaration);
          }
        }
      }
    }
    for (const [topic, declaration] of declared) {
      if (!seen.has(topic) && c.internalTopicSuffixes.some((s) => topic.endsWith(s))) {
        seen.add(topic);
        checkCompacted(topic, declaration);
      }
    }

    function checkCompacted(topic: string, declaration: PolicyResource) {
      const cleanup = stringMap(declaration.props.config)["cleanup.policy"];
      if (cleanup !== "compact") {
        reportViolation(
          `\`cleanup.policy\` is ${shown(cleanup, "broker default delete")} on topic ${topic}, a Kafka Connect internal topic; ${rule}`,
          declaration.urn,
        );
      }
    }
  },
});
