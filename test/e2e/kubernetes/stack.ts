import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { PlatformEndpoints } from "../../../platform";
import { ROOT } from "../../../scripts/pulumiCli";

const PROJECT = "tracking-pipeline";

/** The settings of a kubernetes-enabled e2e stack, keys without the project prefix. */
export type StackSettings = Record<string, unknown>;

/**
 * A stack built like `dev` (its own namespace, both workloads, Ingress, autoscaler, PDBs and the
 * NetworkPolicy) whose Kubernetes objects go to the platform's API server, while Kafka is the
 * platform's broker and the connectors go to the platform's Connect worker: the pods the stack
 * declares are scheduled nowhere and can answer nothing. `kubernetesSkipAwait` is on for that
 * reason only.
 */
export function kubeStackSettings(
  environment: string,
  e: PlatformEndpoints,
  kubeconfig: string,
  receiverPath: string,
): StackSettings {
  return {
    environment,
    kafkaBootstrapServers: [e.kafkaBootstrap],
    kubernetesEnabled: true,
    kubernetesNamespace: environment,
    kubernetesKubeconfig: kubeconfig,
    kubernetesSkipAwait: true,
    // The connectors run on the platform's worker (the pods cannot answer): their secrets are
    // files in its folder; the pods' Secret is created and mounted all the same.
    connectUrl: e.connectUrl,
    connectSecretsDirectory: e.connectSecretsDirectory,
    topicPartitions: 3,
    topicReplicationFactor: 1,
    topicMinInsyncReplicas: 1,
    protectTopics: false,
    connectInternalTopicReplicationFactor: 1,
    restProxyReplicas: 2,
    restProxyMaxReplicas: 3,
    restProxyIngressHost: `events.${environment}.example.com`,
    restProxyCorsOrigins: [`https://${environment}.shop.example.com`],
    restProxyImage: "confluentinc/cp-kafka-rest:7.9.1",
    connectReplicas: 2,
    connectImage: "confluentinc/cp-kafka-connect:7.9.1",
    connectHeapMax: "768m",
    connectMemoryRequest: "1Gi",
    connectMemoryLimit: "1536Mi",
    connectAllowedCidrs: ["10.0.0.0/24"],
    connectBasicAuthUsername: "ops",
    destinations: [
      {
        name: "receiver",
        url: `${e.receiverUrl}${receiverPath}`,
        connectorClass: "tracking",
        topics: ["tracking"],
        tasksMax: 2,
        batching: { maxSize: 100 },
        retries: { maxRetries: 10, backoffMs: 500 },
      },
    ],
  };
}

/**
 * Writes `Pulumi.<stack>.yaml` with `settings`, sharing the local stack's encryption salt and
 * keeping the secrets `pulumi config set --secret` put there before (their ciphertext only).
 */
export function writeStackFile(stack: string, settings: StackSettings): string {
  const local = parse(readFileSync(join(ROOT, "Pulumi.local.yaml"), "utf8")) as {
    encryptionsalt: string;
  };
  const file = join(ROOT, `Pulumi.${stack}.yaml`);
  const before = existsSync(file)
    ? ((parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> }).config ?? {})
    : {};
  const secrets = Object.entries(before).filter(
    ([, v]) => typeof v === "object" && v !== null && "secure" in v,
  );
  writeFileSync(
    file,
    stringify({
      config: {
        ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [`${PROJECT}:${k}`, v])),
        ...Object.fromEntries(secrets),
      },
      encryptionsalt: local.encryptionsalt,
    }),
  );
  return file;
}
