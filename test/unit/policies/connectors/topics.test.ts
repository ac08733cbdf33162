import {
  connectorDeadLetterTopicDeclared,
  connectorTopicsDeclared,
} from "../../../../policies/connectors/topics";
import { analyticsDlq, confluentSink, stackWith, trackingTopic } from "../fixtures";
import { edit, validateStack } from "../harness";

describe("connector-topics-declared", () => {
  it("reports a source topic no Topic declares", async () => {
    const sink = edit(confluentSink, (p) => (p.config.topics = "prod.tracking, prod.orders"));
    expect(await validateStack(connectorTopicsDeclared, stackWith(confluentSink, sink))).toEqual([
      {
        policy: "connector-topics-declared",
        resource: "tracking-analytics-connector",
        message:
          '`topics` of connector prod-analytics-http-sink names "prod.orders", which no kafka Topic in this stack declares; declare it or fix the name, or the sink reads a topic whose durability this stack does not control, or none at all.',
      },
    ]);
  });

  it("reports a topic missing from the stack", async () => {
    const found = await validateStack(connectorTopicsDeclared, stackWith(trackingTopic));
    expect(found.map((v) => v.resource)).toEqual([
      "tracking-analytics-connector",
      "tracking-receiver-connector",
    ]);
  });

  it("accepts topics the policy config lists as external", async () => {
    const sink = edit(confluentSink, (p) => (p.config.topics = "prod.orders"));
    const stack = stackWith(confluentSink, sink);
    expect(
      await validateStack(connectorTopicsDeclared, stack, { externalTopics: ["prod.orders"] }),
    ).toEqual([]);
  });

  it("checks topics.regex against the declared topics", async () => {
    const matching = edit(confluentSink, (p) => {
      delete p.config.topics;
      p.config["topics.regex"] = "prod\\.track.*";
    });
    const none = edit(matching, (p) => (p.config["topics.regex"] = "dev\\..*"));
    expect(
      await validateStack(connectorTopicsDeclared, stackWith(confluentSink, matching)),
    ).toEqual([]);
    expect(
      (await validateStack(connectorTopicsDeclared, stackWith(confluentSink, none))).map(
        (v) => v.message,
      ),
    ).toEqual([
      '`topics.regex` is "dev\\\\..*" on connector prod-analytics-http-sink and matches no kafka Topic in this stack; declare the topics or fix the pattern, or the sink reads a topic whose durability this stack does not control, or none at all.',
    ]);
  });
});

describe("connector-dead-letter-topic-declared", () => {
  it("reports a dead-letter topic no Topic declares", async () => {
    expect(await validateStack(connectorDeadLetterTopicDeclared, stackWith(analyticsDlq))).toEqual([
      {
        policy: "connector-dead-letter-topic-declared",
        resource: "tracking-analytics-connector",
        message:
          '`errors.deadletterqueue.topic.name` is "prod.analytics.dlq" on connector prod-analytics-http-sink, but no kafka Topic in this stack declares it; declare it, or the worker creates it on the first failed event with broker defaults for retention and durability.',
      },
    ]);
  });
});
