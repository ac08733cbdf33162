import { PolicyResource } from "@pulumi/policy";
import { asArray, asRecord, asString, at, ifKnown, stringMap } from "../read";
import { Workload } from "./workload";

// Which Kubernetes objects select a workload's pods: PodDisruptionBudgets, NetworkPolicies and
// Services, by namespace and label selector.

/**
 * Whether a Kubernetes label selector selects these labels. An empty selector selects everything
 * (as for PodDisruptionBudgets and NetworkPolicies); a missing one selects nothing.
 */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  const s = asRecord(selector);
  if (!s) return false;
  for (const [key, value] of Object.entries(stringMap(s.matchLabels))) {
    if (labels[key] !== value) return false;
  }
  for (const expression of asArray(s.matchExpressions)) {
    const e = asRecord(expression) ?? {};
    const key = asString(e.key) ?? "";
    const values = asArray(e.values).map(asString);
    const has = key in labels;
    switch (asString(e.operator)) {
      case "In":
        if (!has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Same namespace, or unknown on either side (an output not known during preview). */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

export function metadataName(r: PolicyResource): string {
  return asString(at(r.props, ["metadata", "name"])) ?? r.name;
}

export function metadataNamespace(r: PolicyResource): string | undefined {
  return ifKnown(() => asString(at(r.props, ["metadata", "namespace"])));
}

/**
 * The objects of one type in the workload's namespace whose label selector (at `selector` in
 * their props) selects its pods; `where` narrows the objects first (for example, to
 * NetworkPolicies that govern ingress). Either namespace unknown counts as the same.
 */
export function selectingPods(
  resources: readonly PolicyResource[],
  workload: Workload,
  kind: {
    readonly type: string;
    readonly selector: readonly string[];
    readonly where?: (r: PolicyResource) => boolean;
  },
): PolicyResource[] {
  return resources.filter(
    (r) =>
      r.type === kind.type &&
      (kind.where?.(r) ?? true) &&
      sameNamespace(metadataNamespace(r), workload.namespace) &&
      selects(at(r.props, kind.selector), workload.podLabels),
  );
}
