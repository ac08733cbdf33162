import { asArray, asRecord, asString, at, ifKnown, Props, stringMap } from "../read";
import { Property, strings } from "../settings";

// Kubernetes workloads (Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs,
// Pods) as policies read them.

export const K8S_TYPES = {
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  service: "kubernetes:core/v1:Service",
  podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  autoscalers: [
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
  ],
} as const;

/** Where each workload type keeps its pod template. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  [K8S_TYPES.deployment]: ["spec", "template"],
  [K8S_TYPES.statefulSet]: ["spec", "template"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template"],
  "kubernetes:batch/v1:Job": ["spec", "template"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template"],
  "kubernetes:core/v1:Pod": [],
};

export interface Container {
  readonly name: string;
  readonly init: boolean;
  readonly props: Props;
  /**
   * Env values by name; undefined for a variable whose value cannot be read here (set from a
   * reference, or unknown during preview), which checks then leave alone.
   */
  readonly env: Record<string, string | undefined>;
  /** The image, `""` when unset, undefined when unknown during preview (a fresh build's digest). */
  readonly image: string | undefined;
  /** For messages: "container `connect` of Deployment tracking-connect". */
  readonly label: string;
}

export interface Workload {
  /** The kind and name, for messages: `Deployment tracking-connect`. */
  readonly label: string;
  /** `Deployment`, `StatefulSet`, ...: what a `scaleTargetRef` names. */
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** `app.kubernetes.io/name` of the object, else of its pods. */
  readonly appName: string | undefined;
  readonly podLabels: Record<string, string>;
  /** `spec.replicas` as declared; undefined when unset. */
  readonly replicas: unknown;
  readonly podSpec: Props;
  readonly containers: Container[];
}

function containerOf(value: unknown, init: boolean, workload: string): Container {
  const container = asRecord(value) ?? {};
  const env: Record<string, string | undefined> = {};
  for (const variable of asArray(container.env)) {
    const v = asRecord(variable);
    const n = asString(v?.name);
    if (n !== undefined) env[n] = ifKnown(() => asString(v?.value));
  }
  const name = asString(container.name) ?? "(unnamed)";
  return {
    name,
    init,
    props: container,
    env,
    image: ifKnown(() => asString(container.image) ?? ""),
    label: `${init ? "init container" : "container"} \`${name}\` of ${workload}`,
  };
}

export function workloadOf(type: string, props: Props, resourceName: string): Workload | undefined {
  const path = POD_SPEC_PATHS[type];
  if (!path) return undefined;
  const template = path.length === 0 ? props : asRecord(at(props, path));
  const podSpec = asRecord(template?.spec) ?? {};
  const podLabels = stringMap(at(template, ["metadata", "labels"]));
  const name = asString(at(props, ["metadata", "name"])) ?? resourceName;
  const kind = type.slice(type.lastIndexOf(":") + 1);
  const label = `${kind} ${name}`;
  const containers = [
    ...asArray(podSpec.initContainers).map((c) => [c, true] as const),
    ...asArray(podSpec.containers).map((c) => [c, false] as const),
  ].map(([c, init]) => containerOf(c, init, label));
  return {
    label,
    kind,
    name,
    namespace: ifKnown(() => asString(at(props, ["metadata", "namespace"]))),
    appName:
      asString(at(props, ["metadata", "labels", "app.kubernetes.io/name"])) ??
      podLabels["app.kubernetes.io/name"],
    podLabels,
    replicas: at(props, ["spec", "replicas"]),
    podSpec,
    containers,
  };
}

/** Whether a workload is one a policy is configured for; an empty list means every workload. */
export function appliesTo(workload: Workload, appNames: readonly string[]): boolean {
  return appNames.length === 0 || appNames.includes(workload.appName ?? "");
}

/** The `appNames` setting of policies on some workloads only. */
export function appNamesSetting(
  value: string[],
  description = "`app.kubernetes.io/name` of the workloads to check; empty checks every workload.",
): Property<string[]> {
  return strings(value, description);
}
