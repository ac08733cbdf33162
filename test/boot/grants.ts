import type { AclGrant } from "../../components/kafkaAccess";
import type { AdminOperation } from "../../platform/secure/admin";

type GrantOperation = Extract<AdminOperation, { op: "grant" }>;

const ADMIN_OPERATIONS = {
  Read: "READ",
  Write: "WRITE",
  Describe: "DESCRIBE",
  DescribeConfigs: "DESCRIBE_CONFIGS",
} as const;

/**
 * The admin tool's `grant` steps that create exactly the ACLs of a plan: one step per principal
 * and resource, holding that resource's operations. Only what the tool can express (Literal,
 * Allow, host `*`, topics and groups) is accepted; anything else throws rather than widen a grant.
 */
export function grantOperations(grants: readonly AclGrant[]): GrantOperation[] {
  const steps = new Map<
    string,
    { step: GrantOperation; operations: GrantOperation["operations"][number][] }
  >();
  for (const g of grants) {
    if (g.patternType !== "Literal" || g.permission !== "Allow" || g.host !== "*") {
      throw new Error(
        `grant ${JSON.stringify(g)}: the admin tool creates Literal Allow ACLs on host * only`,
      );
    }
    const resourceType = g.resourceType === "Topic" ? "TOPIC" : "GROUP";
    const key = [g.principal, resourceType, g.resourceName].join("\u0000");
    let entry = steps.get(key);
    if (!entry) {
      const operations: GrantOperation["operations"][number][] = [];
      entry = {
        step: {
          op: "grant",
          principal: g.principal,
          resourceType,
          name: g.resourceName,
          operations,
        },
        operations,
      };
      steps.set(key, entry);
    }
    entry.operations.push(ADMIN_OPERATIONS[g.operation]);
  }
  return [...steps.values()].map((e) => e.step);
}
