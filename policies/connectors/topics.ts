import { PolicyResource } from "@pulumi/policy";
import { declaredTopics } from "../kafka/resources";
import { shown, stackPolicyFor } from "../policy";
import { settings, strings } from "../settings";
import { connectorOf } from "./connector";

// The topics connectors read and write are declared in the stack, which sets their durability.

interface TopicsConfig {
  externalTopics: string[];
}

const topicsSettings = settings<TopicsConfig>({
  externalTopics: strings([], "Topics managed outside this stack that connectors may name."),
});

const CONSEQUENCE =
  "or the sink reads a topic whose durability this stack does not control, or none at all.";

/** The names of the topics a connector may name: those the stack declares and the external ones. */
function knownTopics(resources: readonly PolicyResource[], c: TopicsConfig): Set<string> {
  return new Set([...declaredTopics(resources).keys(), ...c.externalTopics]);
}

export const connectorTopicsDeclared = stackPolicyFor({
  name: "connector-topics-declared",
  description:
    "Checks that every topic a sink connector reads (`topics`, `topics.regex`) is declared as a Kafka topic in the stack.",
  settings: topicsSettings,
  recognise: connectorOf,
  prepare: knownTopics,
  validate: ({ found: connector, resource, stack: known }, reportViolation) => {
    const topics = connector.config["topics"];
    if (topics !== undefined) {
      for (const topic of topics.split(",").map((t) => t.trim())) {
        if (topic !== "" && !known.has(topic)) {
          reportViolation(
            `\`topics\` of connector ${connector.name} names "${topic}", which no kafka Topic in this stack declares; ` +
              `declare it or fix the name, ${CONSEQUENCE}`,
            resource.urn,
          );
        }
      }
      return;
    }
    const regex = connector.config["topics.regex"];
    if (regex === undefined) return;
    let re: RegExp | undefined;
    try {
      re = new RegExp(`^(?:${regex})$`);
    } catch {
      re = undefined;
    }
    if (!re || ![...known].some((t) => re.test(t))) {
      reportViolation(
        `\`topics.regex\` is ${shown(regex)} on connector ${connector.name} and matches no kafka Topic in this stack; ` +
          `declare the topics or fix the pattern, ${CONSEQUENCE}`,
        resource.urn,
      );
    }
  },
});

export const connectorDeadLetterTopicDeclared = stackPolicyFor({
  name: "connector-dead-letter-topic-declared",
  description:
    "Checks that the dead-letter topic of every connector (`errors.deadletterqueue.topic.name`) is declared as a Kafka topic in the stack.",
  settings: topicsSettings,
  recognise: connectorOf,
  prepare: knownTopics,
  validate: ({ found: { name, config }, resource, stack: known }, reportViolation) => {
    const topic = config["errors.deadletterqueue.topic.name"];
    if (topic && !known.has(topic)) {
      reportViolation(
        `\`errors.deadletterqueue.topic.name\` is "${topic}" on connector ${name}, but no kafka Topic in this stack declares it; ` +
          `declare it, or the worker creates it on the first failed event with broker defaults for retention and durability.`,
        resource.urn,
      );
    }
  },
});
