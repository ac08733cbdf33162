import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  clientProperties,
  JAAS_SECRET_KEY,
  jaasConfig,
  KAFKA_CA_FILE,
  KAFKA_CA_PATH,
  KAFKA_TLS_MOUNT_PATH,
  KafkaClientPrincipal,
  kafkaCredentialsSecretName,
  KafkaSecurity,
  kafkaTlsConfigMapName,
} from "./kafkaSecurity";
import { stackSecret } from "./stackSecret";

/** The Kafka security a workload's clients use: the cluster's settings and who they log in as. */
export interface KafkaClientArgs {
  readonly security: KafkaSecurity;
  /** The workload's principal; required when SASL is on. */
  readonly principal?: KafkaClientPrincipal;
}

/** What a pod needs to reach a secured cluster, and the objects that carry it. */
export interface PodKafkaSecurity {
  /** `<component>-kafka-credentials`, key `sasl.jaas.config`; only with SASL. */
  readonly credentials?: k8s.core.v1.Secret;
  /** `<component>-kafka-tls`, key `ca.pem`; only with TLS and a CA. */
  readonly trust?: k8s.core.v1.ConfigMap;
  readonly volumes: k8s.types.input.core.v1.Volume[];
  readonly mounts: k8s.types.input.core.v1.VolumeMount[];
  /**
   * The environment of one client's settings, named by `envName` (the image's rule): plain
   * values, and the JAAS line as a `secretKeyRef`, never as a value.
   */
  env(envName: (property: string) => string): k8s.types.input.core.v1.EnvVar[];
}

/**
 * The Secret and ConfigMap of a workload's Kafka security and the env and volumes that use them.
 * The password only ever reaches the pod through the Secret; the CA, public, through a ConfigMap
 * mounted as a PEM file. Throws when SASL is on and no principal is given.
 */
export function podKafkaSecurity(
  name: string,
  metadata: { readonly namespace: pulumi.Input<string>; readonly labels: Record<string, string> },
  args: KafkaClientArgs,
  parent: pulumi.Resource,
): PodKafkaSecurity {
  const { security, principal } = args;
  // Validates (principal present with SASL) before any object is declared.
  clientProperties(security, principal, KAFKA_CA_PATH);
  const secretName = kafkaCredentialsSecretName(name);
  const credentials =
    security.mechanism !== "none" && principal
      ? stackSecret(
          secretName,
          metadata,
          { [JAAS_SECRET_KEY]: jaasConfig(security.mechanism, principal) },
          parent,
        )
      : undefined;
  const volumes: k8s.types.input.core.v1.Volume[] = [];
  const mounts: k8s.types.input.core.v1.VolumeMount[] = [];
  let trust: k8s.core.v1.ConfigMap | undefined;
  if (security.tls && security.caCertificate) {
    const mapName = kafkaTlsConfigMapName(name);
    trust = new k8s.core.v1.ConfigMap(
      mapName,
      {
        metadata: { ...metadata, name: mapName },
        data: { [KAFKA_CA_FILE]: security.caCertificate },
      },
      { parent },
    );
    volumes.push({ name: "kafka-tls", configMap: { name: mapName } });
    mounts.push({ name: "kafka-tls", mountPath: KAFKA_TLS_MOUNT_PATH, readOnly: true });
  }
  return {
    credentials,
    trust,
    volumes,
    mounts,
    env(envName) {
      const props = clientProperties(security, principal, KAFKA_CA_PATH);
      return [
        ...Object.entries(props.plain).map(([property, value]) => ({
          name: envName(property),
          value,
        })),
        ...Object.keys(props.secret).map((property) => ({
          name: envName(property),
          valueFrom: { secretKeyRef: { name: secretName, key: JAAS_SECRET_KEY } },
        })),
      ];
    },
  };
}
