import { PolicyResource } from "@pulumi/policy";
import { shown, stackPolicyFor } from "../policy";
import { asString, at, parseInteger } from "../read";
import { integer, settings } from "../settings";
import { metadataName, metadataNamespace, sameNamespace, selectingPods } from "./selection";
import { appliesTo, appNamesSetting, K8S_TYPES, Workload, workloadOf } from "./workload";

// k8s-high-availability: enough replicas (declared, or the floor of the autoscaler that sets them),
// and a PodDisruptionBudget that still lets nodes drain.

interface AvailabilityConfig {
  appNames: string[];
  minReplicas: number;
}

const availabilitySettings = settings<AvailabilityConfig>({
  appNames: appNamesSetting(["rest-proxy", "kafka-connect"]),
  minReplicas: integer(2, 1, "Fewest replicas of each workload."),
});

const REPLICATED_TYPES: readonly string[] = [K8S_TYPES.deployment, K8S_TYPES.statefulSet];

/** The HorizontalPodAutoscaler that scales a workload, if one does: its `minReplicas` then rules. */
function autoscalerOf(
  resources: readonly PolicyResource[],
  workload: Workload,
): PolicyResource | undefined {
  const autoscalers: readonly string[] = K8S_TYPES.autoscalers;
  return resources.find(
    (r) =>
      autoscalers.includes(r.type) &&
      sameNamespace(metadataNamespace(r), workload.namespace) &&
      asString(at(r.props, ["spec", "scaleTargetRef", "kind"])) === workload.kind &&
      asString(at(r.props, ["spec", "scaleTargetRef", "name"])) === workload.name,
  );
}

/** Why a PodDisruptionBudget allows no voluntary eviction at all, if it does not. */
function blocksEvictions(pdb: PolicyResource, replicas: number): string | undefined {
  const maxUnavailable = asString(at(pdb.props, ["spec", "maxUnavailable"]));
  const minAvailable = asString(at(pdb.props, ["spec", "minAvailable"]));
  if (maxUnavailable === "0" || maxUnavailable === "0%") {
    return `\`maxUnavailable\` ${maxUnavailable}`;
  }
  const min = parseInteger(minAvailable);
  if (minAvailable === "100%" || (min !== undefined && min >= replicas)) {
    return `\`minAvailable\` ${minAvailable} with ${replicas} replicas`;
  }
  return undefined;
}

export const k8sHighAvailability = stackPolicyFor({
  name: "k8s-high-availability",
  description:
    "Checks that the REST Proxy and Connect run enough replicas, with a PodDisruptionBudget that selects them and still lets nodes drain.",
  settings: availabilitySettings,
  recognise: workloadOf,
  applies: (workload, c, resource) =>
    REPLICATED_TYPES.includes(resource.type) && appliesTo(workload, c.appNames),
  validate: ({ found: workload, resource, resources, config: c }, reportViolation) => {
    const autoscaler = autoscalerOf(resources, workload);
    const declared = autoscaler ? at(autoscaler.props, ["spec", "minReplicas"]) : workload.replicas;
    const replicas = parseInteger(asString(declared) ?? "1");
    if (replicas === undefined || replicas < c.minReplicas) {
      const found = shown(declared, "Kubernetes default 1");
      reportViolation(
        (autoscaler
          ? `\`minReplicas\` is ${found} on HorizontalPodAutoscaler ${metadataName(autoscaler)}, which scales ${workload.label}; `
          : `\`spec.replicas\` is ${found} on ${workload.label}; `) +
          `it must be at least ${c.minReplicas}, or a node drain or one crash takes it offline.`,
        autoscaler?.urn ?? resource.urn,
      );
    }
    const budgets = selectingPods(resources, workload, {
      type: K8S_TYPES.podDisruptionBudget,
      selector: ["spec", "selector"],
    });
    if (budgets.length === 0) {
      reportViolation(
        `No PodDisruptionBudget selects the pods of ${workload.label}; declare one (for example \`maxUnavailable: 1\`), ` +
          `or a node drain can evict every replica at once.`,
        resource.urn,
      );
    }
    for (const pdb of budgets) {
      const blocked = blocksEvictions(pdb, replicas ?? 1);
      if (blocked) {
        reportViolation(
          `PodDisruptionBudget ${metadataName(pdb)} allows no voluntary eviction of the pods of ${workload.label} (${blocked}); ` +
            `it must allow at least one, or node drains and cluster upgrades hang.`,
          pdb.urn,
        );
      }
    }
  },
});
