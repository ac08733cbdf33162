import { connectInternalTopicsCompacted } from "../../../../policies/kafka/internalTopics";
import { connect, connectOffsets, stackWith } from "../fixtures";
import { edit, validateStack } from "../harness";

describe("connect-internal-topics-compacted", () => {
  const rule =
    'it must be "compact", or Kafka deletes connector configs and offsets after `retention.ms` and sinks re-send or skip events.';

  it("reports an internal topic that deletes, against the topic", async () => {
    const topic = edit(connectOffsets, (p) => (p.config!["cleanup.policy"] = "compact,delete"));
    expect(
      await validateStack(connectInternalTopicsCompacted, stackWith(connectOffsets, topic)),
    ).toEqual([
      {
        policy: "connect-internal-topics-compacted",
        resource: "tracking-connect-offsets",
        message: `\`cleanup.policy\` is "compact,delete" on topic prod.connect-offsets, a Kafka Connect internal topic; ${rule}`,
      },
    ]);
  });

  it("reports an internal topic the worker names but the stack does not declare", async () => {
    expect(await validateStack(connectInternalTopicsCompacted, stackWith(connectOffsets))).toEqual([
      {
        policy: "connect-internal-topics-compacted",
        resource: "tracking-connect-deployment",
        message:
          'Topic prod.connect-offsets (`CONNECT_OFFSET_STORAGE_TOPIC` of Deployment tracking-connect, which holds sink offsets) is not declared in this stack; declare it with `cleanup.policy` "compact", so that its durability is set here and not by the worker\'s auto-creation.',
      },
    ]);
  });

  it("recognises internal topics by name when no worker is declared", async () => {
    const topic = edit(connectOffsets, (p) => delete p.config!["cleanup.policy"]);
    const stack = stackWith(connectOffsets, topic).filter((r) => r !== connect);
    expect(
      (await validateStack(connectInternalTopicsCompacted, stack)).map((v) => v.message),
    ).toEqual([
      `\`cleanup.policy\` is unset (broker default delete) on topic prod.connect-offsets, a Kafka Connect internal topic; ${rule}`,
    ]);
  });
});
