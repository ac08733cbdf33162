import { accessPlan, AclGrant } from "../../../components/kafkaAccess";
import { grantOperations } from "../../boot/grants";

const user = (username: string) => ({ username });

describe("grantOperations", () => {
  it("turns a plan into one admin `grant` step per principal and resource, with its operations", () => {
    const plan = accessPlan({
      restProxy: { principal: user("rest-proxy"), topics: ["t"] },
      connect: { principal: user("connect"), groupId: "g", internalTopics: ["c"] },
      workerPrincipal: user("connect"),
      sinks: [
        {
          name: "s",
          principal: user("connect"),
          topics: ["t"],
          groupId: "connect-s",
          deadLetterTopic: "d",
        },
      ],
    });
    expect(grantOperations(plan)).toEqual([
      {
        op: "grant",
        principal: "User:connect",
        resourceType: "TOPIC",
        name: "c",
        operations: ["READ", "WRITE", "DESCRIBE", "DESCRIBE_CONFIGS"],
      },
      {
        op: "grant",
        principal: "User:connect",
        resourceType: "TOPIC",
        name: "d",
        operations: ["WRITE", "DESCRIBE"],
      },
      {
        op: "grant",
        principal: "User:connect",
        resourceType: "TOPIC",
        name: "t",
        operations: ["READ", "DESCRIBE"],
      },
      {
        op: "grant",
        principal: "User:connect",
        resourceType: "GROUP",
        name: "connect-s",
        operations: ["READ"],
      },
      {
        op: "grant",
        principal: "User:connect",
        resourceType: "GROUP",
        name: "g",
        operations: ["READ"],
      },
      {
        op: "grant",
        principal: "User:rest-proxy",
        resourceType: "TOPIC",
        name: "t",
        operations: ["WRITE", "DESCRIBE"],
      },
    ]);
  });

  it("refuses a grant the admin tool would create wider than planned", () => {
    const prefixed = {
      principal: "User:x",
      resourceType: "Topic",
      resourceName: "t",
      patternType: "Prefixed",
      operation: "Read",
      permission: "Allow",
      host: "*",
    } as unknown as AclGrant;
    expect(() => grantOperations([prefixed])).toThrow(
      "the admin tool creates Literal Allow ACLs on host * only",
    );
  });
});
