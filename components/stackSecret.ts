import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * Makes the kubernetes plugin's server-side apply take a field back from another field manager
 * instead of failing on the conflict.
 */
export const FORCE_APPLY_ANNOTATION = "pulumi.com/patchForce";

/**
 * A Secret whose whole content the stack owns (passwords, JAAS lines, connector secrets). A hand
 * edit (`kubectl patch`, `kubectl edit`) makes kubectl the manager of the keys it touched; without
 * forcing, the next `pulumi up` stops on that field conflict and the edited value stays live.
 * Forced, `refresh` shows the edit as drift and `up` puts the stack's value back.
 */
export function stackSecret(
  name: string,
  metadata: {
    readonly namespace: pulumi.Input<string>;
    readonly labels: Record<string, string>;
  },
  /** Undefined for a Secret without data (an empty `stringData` would show a change each preview). */
  stringData: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
  parent: pulumi.Resource,
): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    name,
    {
      metadata: { ...metadata, name, annotations: { [FORCE_APPLY_ANNOTATION]: "true" } },
      type: "Opaque",
      ...(stringData !== undefined ? { stringData } : {}),
    },
    { parent },
  );
}
