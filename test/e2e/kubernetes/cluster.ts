import { kubectl, kubectlOk } from "../../integration/kubernetesFixtures";

/**
 * Reading a namespace back from the platform's real API server with kubectl, and the
 * cross-checks of the objects against each other that the kubernetes e2e tests assert.
 */

export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    readonly values?: readonly string[];
  }[];
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly env?: readonly EnvVar[];
  readonly volumeMounts?: readonly {
    readonly name: string;
    readonly mountPath: string;
    readonly readOnly?: boolean;
  }[];
  readonly resources?: { readonly limits?: Record<string, string> };
  readonly ports?: readonly {
    readonly name?: string;
    readonly containerPort: number;
    readonly protocol?: string;
  }[];
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly volumes?: readonly {
    readonly name: string;
    readonly secret?: { readonly secretName: string };
    readonly configMap?: { readonly name: string };
  }[];
  readonly nodeName?: string;
}

/** The fields of the kinds the stack declares that the checks read. */
export interface KubeObject {
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly resourceVersion?: string;
    readonly ownerReferences?: readonly { readonly kind: string; readonly name: string }[];
  };
  readonly spec?: {
    readonly replicas?: number;
    readonly selector?: LabelSelector | Record<string, string>;
    readonly podSelector?: LabelSelector;
    readonly template?: {
      readonly metadata: {
        readonly labels: Record<string, string>;
        readonly annotations?: Record<string, string>;
      };
    } & {
      readonly spec: PodSpec;
    };
    readonly scaleTargetRef?: {
      readonly apiVersion: string;
      readonly kind: string;
      readonly name: string;
    };
    readonly rules?: readonly { readonly host?: string }[];
  } & Partial<PodSpec>;
  readonly data?: Record<string, string>;
  readonly status?: { readonly phase?: string };
}

/** The kinds a namespace of the stack holds: what it declares, and what controllers made of it. */
export const DECLARED_KINDS =
  "deployments,services,poddisruptionbudgets,horizontalpodautoscalers,networkpolicies,ingresses,secrets,configmaps";
export const CONTROLLED_KINDS = "replicasets,pods";

/** `kubectl get -o json` of `kinds` in `namespace` (all namespaces when undefined). */
export async function getObjects(
  kubeconfig: string,
  kinds: string,
  namespace?: string,
): Promise<KubeObject[]> {
  const where = namespace ? ["-n", namespace] : ["-A"];
  const out = await kubectlOk(kubeconfig, ["get", kinds, ...where, "-o", "json"]);
  return (JSON.parse(out) as { items: KubeObject[] }).items;
}

/** True when the namespace no longer exists on the API server. */
export async function namespaceGone(kubeconfig: string, namespace: string): Promise<boolean> {
  const r = await kubectl(kubeconfig, ["get", "namespace", namespace, "-o", "name"]);
  return !r.ok && r.stderr.includes("not found");
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `done` holds or `ms` have passed; returns the last value. */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 90_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(500);
  }
}

/** Does `selector` (a LabelSelector, or a Service's plain map) select `labels`? */
export function selects(
  selector: LabelSelector | Record<string, string> | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!selector) return false;
  const s: LabelSelector =
    "matchLabels" in selector || "matchExpressions" in selector
      ? (selector as LabelSelector)
      : { matchLabels: selector as Record<string, string> };
  const labelsOk = Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const exprOk = (s.matchExpressions ?? []).every((e) => {
    const has = e.key in labels;
    switch (e.operator) {
      case "In":
        return has && (e.values ?? []).includes(labels[e.key]);
      case "NotIn":
        return !has || !(e.values ?? []).includes(labels[e.key]);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
    }
  });
  // An empty selector selects everything: never what a Service, PDB or policy of ours means.
  const empty = Object.keys(s.matchLabels ?? {}).length === 0 && !s.matchExpressions?.length;
  return !empty && labelsOk && exprOk;
}

const ref = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
const byKind = (items: readonly KubeObject[], kind: string) => items.filter((i) => i.kind === kind);

/**
 * For each selecting object (Service, PDB, NetworkPolicy) the Deployment whose pods it must
 * select, by name; `pods` are the live pods. Returns one line per mismatch: a selector that misses
 * its Deployment's pod template or live pods, or that also selects another Deployment's.
 */
export function selectorProblems(
  items: readonly KubeObject[],
  pods: readonly KubeObject[],
  intended: Record<string, string>,
): string[] {
  const deployments = byKind(items, "Deployment");
  const problems: string[] = [];
  for (const [selecting, target] of Object.entries(intended)) {
    const [kind, name] = selecting.split("/");
    const object = items.find((i) => i.kind === kind && i.metadata.name === name);
    if (!object) {
      problems.push(`${selecting}: not on the API server`);
      continue;
    }
    const selector = kind === "NetworkPolicy" ? object.spec?.podSelector : object.spec?.selector;
    const selectedDeployments = deployments
      .filter((d) => selects(selector, d.spec?.template?.metadata.labels))
      .map((d) => d.metadata.name);
    if (JSON.stringify(selectedDeployments) !== JSON.stringify([target])) {
      problems.push(
        `${selecting} selects the pod templates of [${selectedDeployments.join(", ")}], not [${target}]`,
      );
    }
    const owned = podsOf(target, items, pods)
      .map((p) => p.metadata.name)
      .sort();
    const selectedPods = pods
      .filter((p) => selects(selector, p.metadata.labels))
      .map((p) => p.metadata.name)
      .sort();
    if (owned.length === 0 || JSON.stringify(selectedPods) !== JSON.stringify(owned)) {
      problems.push(
        `${selecting} selects pods [${selectedPods.join(", ")}], but ${target}'s are [${owned.join(", ")}]`,
      );
    }
  }
  return problems;
}

/** The live pods a Deployment owns, through its ReplicaSets. */
export function podsOf(
  deployment: string,
  items: readonly KubeObject[],
  pods: readonly KubeObject[],
): KubeObject[] {
  const sets = new Set(
    byKind(items, "ReplicaSet")
      .filter((rs) =>
        rs.metadata.ownerReferences?.some((o) => o.kind === "Deployment" && o.name === deployment),
      )
      .map((rs) => rs.metadata.name),
  );
  return pods.filter((p) =>
    p.metadata.ownerReferences?.some((o) => o.kind === "ReplicaSet" && sets.has(o.name)),
  );
}

/** Each object that holds `value` in its JSON, other than Secrets (base64 in `data`). */
export function holdersOf(items: readonly KubeObject[], value: string): string[] {
  return items
    .filter((i) => {
      const text = JSON.stringify(i);
      if (i.kind !== "Secret") return text.includes(value);
      const decoded = Object.values(i.data ?? {}).map((v) => Buffer.from(v, "base64").toString());
      return decoded.some((d) => d.includes(value)) || text.includes(value);
    })
    .map(ref);
}

/** The container of a Deployment's pod template, by Deployment name. */
export function containerOf(items: readonly KubeObject[], deployment: string): Container {
  const d = items.find((i) => i.kind === "Deployment" && i.metadata.name === deployment);
  if (!d?.spec?.template) throw new Error(`Deployment/${deployment} is not on the API server`);
  return d.spec.template.spec.containers[0];
}

export { ref as objectRef };
