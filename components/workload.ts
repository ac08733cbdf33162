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
}): k8s.types.input.apps.v1.DeploymentSpec {
  return {
    ...(args.replicas !== undefined ? { replicas: args.replicas } : {}),
    selector: { matchLabels: args.selector },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    template: {
      metadata: { labels: args.labels },
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
