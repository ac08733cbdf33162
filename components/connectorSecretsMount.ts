import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CONNECTOR_SECRETS_MOUNT, configProviderProperties } from "./connectorSecrets";
import { confluentEnvName } from "./kafkaSecurity";
import { stackSecret } from "./stackSecret";

/** The pod template annotation that rolls the workers when a connector secret changes. */
export const SECRETS_VERSION_ANNOTATION = "tracking-pipeline/connector-secrets-version";

/** What the Connect Deployment needs to give its workers the connectors' secrets. */
export interface ConnectorSecretsMount {
  readonly secret: k8s.core.v1.Secret;
  readonly volume: k8s.types.input.core.v1.Volume;
  readonly mount: k8s.types.input.core.v1.VolumeMount;
  /** The worker's config provider, as cp-kafka-connect's `CONNECT_*` variables. */
  readonly env: k8s.types.input.core.v1.EnvVar[];
  /**
   * The Secret's resourceVersion, for the pod template: a new value rolls the workers, whose new
   * pods mount the new data at once (a kubelet refreshes a mounted Secret only after its sync
   * period, too late for the connector restart that follows the update).
   */
  readonly version: pulumi.Output<string>;
}

/**
 * The Secret `<cluster>-connector-secrets`, one key per connector secret file
 * (`<connector>.<key>`), mounted read-only (0440: the pods run as a user of their fsGroup) at {@link CONNECTOR_SECRETS_MOUNT}, and the
 * worker properties that resolve `${dir:/etc/tracking/connector-secrets:<file>}` from it. The
 * values exist only in that Secret (and encrypted in state): never in an env var, a ConfigMap or
 * the connectors' configs.
 */
export function connectorSecretsMount(
  name: string,
  metadata: { readonly namespace: pulumi.Input<string>; readonly labels: Record<string, string> },
  files: pulumi.Input<Record<string, pulumi.Input<string>>>,
  parent: pulumi.Resource,
): ConnectorSecretsMount {
  const secretName = `${name}-connector-secrets`;
  // No stringData at all when there are no files: an empty one is a change on every preview (the
  // API server keeps no `data` for it, so the plugin finds it missing each time).
  const none =
    !pulumi.Output.isInstance(files) &&
    !(files instanceof Promise) &&
    Object.keys(files).length === 0;
  const secret = stackSecret(secretName, metadata, none ? undefined : pulumi.secret(files), parent);
  const volumeName = "connector-secrets";
  return {
    secret,
    volume: { name: volumeName, secret: { secretName, defaultMode: 0o440 } },
    mount: { name: volumeName, mountPath: CONNECTOR_SECRETS_MOUNT, readOnly: true },
    env: Object.entries(configProviderProperties(CONNECTOR_SECRETS_MOUNT)).map(([key, value]) => ({
      name: confluentEnvName("CONNECT_", key),
      value,
    })),
    version: secret.metadata.resourceVersion,
  };
}
