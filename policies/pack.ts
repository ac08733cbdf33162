import { EnforcementLevel, Policies } from "@pulumi/policy";
import { connectorPolicies } from "./connectors";
import { kafkaPolicies } from "./kafka";
import { kubernetesPolicies } from "./kubernetes";
import { stackPolicies } from "./stack";

export const PACK_NAME = "tracking-pipeline";

/**
 * Without a policy-pack config every policy blocks the update, with thresholds fit for prod:
 * forgetting `--policy-pack-config` must not let an unsafe change through.
 */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";

/** Every policy of the pack, in the order the README lists them. */
export const policies: Policies = [
  ...connectorPolicies,
  ...kafkaPolicies,
  ...kubernetesPolicies,
  ...stackPolicies,
];
