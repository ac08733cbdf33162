import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Restrictive container security shared by the stack's workloads. */
export const containerSecurity: k8s.types.input.core.v1.SecurityContext = {
  runAsNonRoot: true,
  runAsUser: 1000,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
  // The images write their generated config at start-up, so the root file system stays writable.
  readOnlyRootFilesystem: false,
};

/** Spreads replicas across nodes, preferring but not requiring distinct nodes. */
export function spreadAcrossNodes(
  selector: Record<string, string>,
): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  return [
    {
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: selector },
    },
  ];
}

/**
 * The Deployment spec every workload of the stack shares: rolling updates that never drop below
 * the running replicas, no service account token, non-root pods spread across nodes, and the
 * restrictive container security on the one container.
 */
export function workloadSpec(args: {
  /** Omitted from the spec when undefined, for workloads an autoscaler sizes. */
  readonly replicas?: number;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly container: k8s.types.input.core.v1.Container;
  readonly pod?: Omit<k8s.types.input.core.v1.PodSpec, "containers">;
  /** Pod template annotations: a change rolls the pods. */
  readonly podAnnotations?: Record<string, pulumi.Input<string>>;
}): k8s.types.input.apps.v1.DeploymentSpec {
  return {
    ...(args.replicas !== undefined ? { replicas: args.replicas } : {}),
    selector: { matchLabels: args.selector },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    template: {
      metadata: {
        labels: args.labels,
        ...(args.podAnnotations ? { annotations: args.podAnnotations } : {}),
      },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, fsGroup: 1000 },
        topologySpreadConstraints: spreadAcrossNodes(args.selector),
        ...args.pod,
        containers: [{ ...args.container, securityContext: containerSecurity }],
      },
    },
  };
}

/** A PodDisruptionBudget that lets nodes drain one pod at a time. */
export function drainOneAtATime(
  name: string,
  metadata: k8s.types.input.meta.v1.ObjectMeta,
  selector: Record<string, string>,
  parent: pulumi.Resource,
): k8s.policy.v1.PodDisruptionBudget {
  return new k8s.policy.v1.PodDisruptionBudget(
    `${name}-pdb`,
    { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
    { parent },
  );
}

/** The kubernetes provider's annotation that makes `up` return without waiting for readiness. */
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

/** The kinds whose readiness the provider awaits: Deployments (pods), Services, the Ingress. */
const AWAITED_TYPES = new Set([
  "kubernetes:apps/v1:Deployment",
  "kubernetes:core/v1:Service",
  "kubernetes:networking.k8s.io/v1:Ingress",
]);

/**
 * For `kubernetesSkipAwait` only: a transformation that annotates every Deployment, Service and
 * Ingress below the resource it is given to with `pulumi.com/skipAwait: "true"`. On a cluster that
 * runs no pods (the platform's API server has no kubelet) the provider would otherwise wait for
 * ready replicas and Service endpoints until its timeout and fail the `up`.
 *
 * Never for production: with it, `up` succeeds as soon as the API server stores the objects, so a
 * rollout that never becomes ready (a wrong image tag, a crash loop, a failing probe, a Service
 * selecting no pod) is reported as a success, later steps (the connectors) run against workers
 * that are not there, and `pulumi up` stops being the deployment gate a team relies on.
 */
export function skipAwaitTransformation(
  args: pulumi.ResourceTransformationArgs,
): pulumi.ResourceTransformationResult | undefined {
  if (!AWAITED_TYPES.has(args.type)) return undefined;
  const props = args.props as { metadata?: pulumi.Input<k8s.types.input.meta.v1.ObjectMeta> };
  const metadata = pulumi.output(props.metadata ?? {}).apply((m) => ({
    ...m,
    annotations: { ...(m.annotations ?? {}), [SKIP_AWAIT_ANNOTATION]: "true" },
  }));
  return { props: { ...args.props, metadata }, opts: args.opts };
}
