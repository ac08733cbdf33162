import { PolicyResource } from "@pulumi/policy";
import { stackPolicyFor } from "../policy";
import { asArray, asRecord, asString, at } from "../read";
import { settings } from "../settings";
import { metadataName, selectingPods } from "./selection";
import { appliesTo, appNamesSetting, K8S_TYPES, workloadOf } from "./workload";

// connect-rest-network-policy: who can reach the Kafka Connect REST API.

interface NetworkPolicyConfig {
  appNames: string[];
}

const networkPolicySettings = settings<NetworkPolicyConfig>({
  appNames: appNamesSetting(
    ["kafka-connect"],
    "`app.kubernetes.io/name` of the Connect workloads.",
  ),
});

/** Whether a NetworkPolicy governs ingress: it does when `policyTypes` is unset. */
function governsIngress(policy: PolicyResource): boolean {
  const types = asArray(at(policy.props, ["spec", "policyTypes"]));
  return types.length === 0 || types.includes("Ingress");
}

/** Why an ingress rule admits every source, if it does. */
function admitsEverything(rule: unknown): string | undefined {
  const from = asArray(asRecord(rule)?.from);
  if (from.length === 0) return "an ingress rule without `from`";
  for (const peer of from) {
    const cidr = asString(at(peer, ["ipBlock", "cidr"]));
    if (cidr === "0.0.0.0/0" || cidr === "::/0") return `\`ipBlock\` ${cidr}`;
    const namespaces = asRecord(at(peer, ["namespaceSelector"]));
    if (namespaces && Object.keys(namespaces).length === 0 && !at(peer, ["podSelector"])) {
      return "an empty `namespaceSelector` (every pod of every namespace)";
    }
  }
  return undefined;
}

/** The REST API's ports of a Connect workload: its containers' ports named `rest`, else 8083. */
function restPortsOf(workload: unknown): (number | string)[] {
  const containers = asArray(at(workload, ["spec", "template", "spec", "containers"]));
  const named = containers.flatMap((c) =>
    asArray(asRecord(c)?.ports)
      .map((p) => asRecord(p))
      .filter((p) => p?.name === "rest")
      .map((p) => p?.containerPort),
  );
  const ports = named.filter((p): p is number => typeof p === "number");
  return [...(ports.length > 0 ? ports : [8083]), "rest"];
}

/**
 * Whether an ingress rule reaches the REST API: a rule without `ports` admits every port; one
 * with ports (the metrics port only, say) admits just those.
 */
function reachesRest(rule: unknown, restPorts: readonly (number | string)[]): boolean {
  const ports = asArray(asRecord(rule)?.ports);
  if (ports.length === 0) return true;
  return ports.some((p) => {
    const port = asRecord(p)?.port;
    return port === undefined || restPorts.includes(port as number | string);
  });
}

export const connectRestNetworkPolicy = stackPolicyFor({
  name: "connect-rest-network-policy",
  description:
    "Checks that a NetworkPolicy restricts who can reach the Kafka Connect REST API, which creates connectors and returns their config.",
  settings: networkPolicySettings,
  recognise: workloadOf,
  applies: (workload, c) => appliesTo(workload, c.appNames),
  validate: ({ found: workload, resource, resources }, reportViolation) => {
    const governing = selectingPods(resources, workload, {
      type: K8S_TYPES.networkPolicy,
      selector: ["spec", "podSelector"],
      where: governsIngress,
    });
    if (governing.length === 0) {
      reportViolation(
        `No NetworkPolicy restricts ingress to the pods of ${workload.label}; declare one that admits only the workers and the deployer, ` +
          `or anything in the cluster can create connectors and read their config through the Connect REST API.`,
        resource.urn,
      );
    }
    const restPorts = restPortsOf(resource.props);
    for (const policy of governing) {
      for (const rule of asArray(at(policy.props, ["spec", "ingress"]))) {
        // A rule open to all for another port (the metrics port) leaves the REST API closed.
        if (!reachesRest(rule, restPorts)) continue;
        const open = admitsEverything(rule);
        if (open) {
          reportViolation(
            `NetworkPolicy ${metadataName(policy)} admits every source to the pods of ${workload.label} (${open}); ` +
              `it must admit only the workers and the deployer, or anything can reach the Connect REST API.`,
            policy.urn,
          );
        }
      }
    }
  },
});
