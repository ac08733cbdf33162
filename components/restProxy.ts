import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KafkaClientArgs, podKafkaSecurity, PodKafkaSecurity } from "./kafkaPodSecurity";
import { confluentEnvName } from "./kafkaSecurity";
import { selectorLabels, standardLabels } from "./labels";
import { MEMORY_RULE, memoryBytes } from "./memory";
import { MetricsAgent, metricsAgent } from "./metricsAgent";
import { restProxyIngress } from "./restProxyIngress";
import { bridgeConfig, strimziEnv } from "./strimziBridge";
import { drainOneAtATime, workloadSpec } from "./workload";

export const REST_PROXY_IMAGES = {
  confluent: "confluentinc/cp-kafka-rest:7.9.1",
  strimzi: "quay.io/strimzi/kafka-bridge:0.33.1",
} as const;

export type RestProxyImplementation = keyof typeof REST_PROXY_IMAGES;

export interface RestProxyArgs {
  /** Namespace of every object. */
  readonly namespace: pulumi.Input<string>;
  /** Kafka bootstrap servers, `host:port`. */
  readonly bootstrapServers: readonly string[];
  /**
   * TLS and SASL of the proxy's Kafka clients (Confluent's `client.*` settings, the bridge's
   * `kafka.*`). Defaults to plaintext.
   */
  readonly kafka?: KafkaClientArgs;
  /** `confluent` (cp-kafka-rest) or the Apache-licensed `strimzi` HTTP bridge. Defaults to `confluent`. */
  readonly implementation?: RestProxyImplementation;
  /** Container image. Defaults to the pinned image of the implementation. */
  readonly image?: string;
  /**
   * Replicas; with an autoscaler, its `minReplicas` (the Deployment then leaves the count to it).
   * Defaults to 2.
   */
  readonly replicas?: number;
  /** Upper bound of the HorizontalPodAutoscaler; no HPA when not above `replicas`. Defaults to 6. */
  readonly maxReplicas?: number;
  /** Browser origins allowed by CORS; CORS is off when empty. Defaults to none. */
  readonly corsOrigins?: readonly string[];
  /** Request rate limit of the whole proxy (`rate.limit.*`). */
  readonly rateLimit?: {
    /** Defaults to true. */
    readonly enabled?: boolean;
    /** Defaults to 50. */
    readonly permitsPerSecond?: number;
    /** Defaults to 0 (answer 429 at once). */
    readonly timeoutMs?: number;
  };
  /** v3 produce limits (`api.v3.produce.rate.limit.*`). */
  readonly produceRateLimit?: {
    /** Defaults to true. */
    readonly enabled?: boolean;
    /** Defaults to 10000. */
    readonly maxRequestsPerSecond?: number;
    /** Defaults to 10485760. */
    readonly maxBytesPerSecond?: number;
  };
  /** Public host name; no Ingress when unset. Defaults to none. */
  readonly ingressHost?: string;
  /**
   * Full names of the topics browsers may post to; the Ingress routes exactly
   * `/topics/<name>` for each and nothing else of the proxy. Required with `ingressHost`.
   */
  readonly ingressTopics?: readonly string[];
  /**
   * TLS on the Ingress: an existing `kubernetes.io/tls` Secret, or a cert-manager ClusterIssuer
   * that issues `<name>-tls`. Defaults to none (plain HTTP at the edge).
   */
  readonly ingressTls?: { readonly secretName: string } | { readonly clusterIssuer: string };
  /** Defaults to `nginx`. */
  readonly ingressClassName?: string;
  /** Defaults to `250m`. */
  readonly cpuRequest?: string;
  /** Defaults to `512Mi`. */
  readonly memoryRequest?: string;
  /** A Kubernetes memory quantity; the JVM heap is half of it. Defaults to `1Gi`. */
  readonly memoryLimit?: string;
  /**
   * Prometheus metrics on port `metrics` (9404): the JMX exporter agent, copied by an init
   * container from the built Connect image that holds it, with the rules of
   * observability/jmx-exporter/rest-proxy.yml. Defaults to none.
   */
  readonly metrics?: { readonly agentImage: pulumi.Input<string> };
}

const PORTS: Record<RestProxyImplementation, number> = { confluent: 8082, strimzi: 8080 };

const MIB = 2 ** 20;

/**
 * `-Xmx` at half the memory limit (whole MiB, at least 128m), leaving room for direct buffers and
 * metaspace. Throws when the limit is not a memory quantity: a guessed heap would hide the mistake.
 */
export function heapFor(memoryLimit: string): string {
  const bytes = memoryBytes(memoryLimit);
  if (bytes === undefined) {
    throw new Error(`\`memoryLimit\` ${MEMORY_RULE} (got "${memoryLimit}")`);
  }
  return `${Math.max(128, Math.floor(bytes / 2 / MIB))}m`;
}

function confluentEnv(
  args: RestProxyArgs,
  port: number,
  heap: string,
  kafka: PodKafkaSecurity,
  agent: MetricsAgent | undefined,
): k8s.types.input.core.v1.EnvVar[] {
  const rate = args.rateLimit ?? {};
  const produce = args.produceRateLimit ?? {};
  const cors = args.corsOrigins ?? [];
  const env: Record<string, string> = {
    KAFKA_REST_BOOTSTRAP_SERVERS: args.bootstrapServers.join(","),
    KAFKA_REST_LISTENERS: `http://0.0.0.0:${port}`,
    // Every accepted event must be durable before the browser hears 200. (No idempotence key:
    // cp-kafka-rest forces idempotent producers off and logs that it ignores the setting.)
    KAFKA_REST_PRODUCER_ACKS: "all",
    KAFKA_REST_RATE_LIMIT_ENABLE: String(rate.enabled ?? true),
    KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC: String(rate.permitsPerSecond ?? 50),
    KAFKA_REST_RATE_LIMIT_TIMEOUT_MS: String(rate.timeoutMs ?? 0),
    KAFKA_REST_API_V3_PRODUCE_RATE_LIMIT_ENABLED: String(produce.enabled ?? true),
    KAFKA_REST_API_V3_PRODUCE_RATE_LIMIT_MAX_REQUESTS_PER_SEC: String(
      produce.maxRequestsPerSecond ?? 10_000,
    ),
    KAFKA_REST_API_V3_PRODUCE_RATE_LIMIT_MAX_BYTES_PER_SEC: String(
      produce.maxBytesPerSecond ?? 10_485_760,
    ),
    KAFKAREST_HEAP_OPTS: `-Xmx${heap}`,
    // kafka-rest-run-class passes KAFKAREST_OPTS to the JVM.
    ...(agent ? { KAFKAREST_OPTS: agent.javaOption } : {}),
  };
  if (cors.length > 0) {
    env.KAFKA_REST_ACCESS_CONTROL_ALLOW_ORIGIN = cors.join(",");
    env.KAFKA_REST_ACCESS_CONTROL_ALLOW_METHODS = "GET,POST,OPTIONS";
    env.KAFKA_REST_ACCESS_CONTROL_ALLOW_HEADERS = "origin,content-type,accept,authorization";
  }
  return [
    // The proxy advertises itself by pod IP, so that v2 consumer instances are reachable.
    { name: "KAFKA_REST_HOST_NAME", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
    ...Object.entries(env).map(([name, value]) => ({ name, value })),
    // `client.*` applies to every client the proxy opens: producers, consumers and admin.
    ...(args.kafka ? kafka.env((p) => confluentEnvName("KAFKA_REST_CLIENT_", p)) : []),
  ];
}

/**
 * The HTTP entry of the pipeline: browsers and services POST events here and they land in Kafka.
 * Confluent REST Proxy by default, or the Strimzi HTTP bridge, which speaks the same v2 produce API.
 */
export class RestProxy extends pulumi.ComponentResource {
  public readonly deployment: k8s.apps.v1.Deployment;
  public readonly service: k8s.core.v1.Service;
  public readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
  public readonly autoscaler?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  public readonly ingress?: k8s.networking.v1.Ingress;
  /** The proxy's JAAS line (`<name>-kafka-credentials`), with SASL on. */
  public readonly kafkaCredentials?: k8s.core.v1.Secret;
  /** The Kafka CA (`<name>-kafka-tls`), with TLS and a CA. */
  public readonly kafkaTrust?: k8s.core.v1.ConfigMap;
  /** The metrics agent's rules (`<name>-metrics-rules`), with `metrics`. */
  public readonly metricsRules?: k8s.core.v1.ConfigMap;
  /** The labels that select the workload's pods (a PodMonitor's selector). */
  public readonly podSelector: Record<string, string>;
  /** In-cluster URL of the proxy. */
  public readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: RestProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracking:k8s:RestProxy", name, {}, opts);

    const implementation = args.implementation ?? "confluent";
    const port = PORTS[implementation];
    const replicas = args.replicas ?? 2;
    const maxReplicas = args.maxReplicas ?? 6;
    const autoscaled = maxReplicas > replicas;
    let heap: string;
    try {
      heap = heapFor(args.memoryLimit ?? "1Gi");
    } catch (err) {
      throw new pulumi.ResourceError((err as Error).message, this, true);
    }
    const labels = standardLabels("rest-proxy", name, "ingest");
    const selector = selectorLabels(labels);
    this.podSelector = selector;
    const metadata = { name, namespace: args.namespace, labels };
    let kafka: PodKafkaSecurity;
    try {
      kafka = podKafkaSecurity(name, metadata, args.kafka ?? { security: NO_SECURITY }, this);
    } catch (err) {
      throw new pulumi.ResourceError(`\`kafka.principal\`: ${(err as Error).message}`, this, true);
    }
    if (args.ingressHost && (args.ingressTopics ?? []).length === 0) {
      throw new pulumi.ResourceError(
        "`ingressTopics` must list the tracking topics when `ingressHost` is set: the Ingress routes only `/topics/<name>` of each",
        this,
        true,
      );
    }
    const bridge =
      implementation === "strimzi" ? bridgeConfig(name, metadata, args, port, this) : undefined;
    this.kafkaCredentials = kafka.credentials;
    this.kafkaTrust = kafka.trust;
    const agent = args.metrics
      ? metricsAgent(
          name,
          metadata,
          { rules: "rest-proxy", agentImage: args.metrics.agentImage, inContainerImage: false },
          this,
        )
      : undefined;
    this.metricsRules = agent?.configMap;
    const probePaths =
      implementation === "confluent"
        ? { ready: "/", live: "/" }
        : { ready: "/ready", live: "/healthy" };

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata,
        spec: workloadSpec({
          // With an autoscaler the count is its own: a declared one would be reset by every `up`.
          // On the first create Kubernetes starts one pod and the HPA scales to `minReplicas`.
          replicas: autoscaled ? undefined : replicas,
          labels,
          selector,
          pod: {
            volumes: [
              ...kafka.volumes,
              ...(bridge ? [bridge.volume] : []),
              ...(agent?.volumes ?? []),
            ],
            ...(agent ? { initContainers: agent.initContainers } : {}),
          },
          container: {
            name: "rest-proxy",
            image: args.image ?? REST_PROXY_IMAGES[implementation],
            ...(implementation === "strimzi"
              ? { command: ["/opt/strimzi/bin/docker/kafka_bridge_run.sh"] }
              : {}),
            ports: [{ name: "http", containerPort: port }, ...(agent ? [agent.port] : [])],
            env:
              implementation === "confluent"
                ? confluentEnv(args, port, heap, kafka, agent)
                : strimziEnv(args, port, heap, kafka, agent?.javaOption),
            volumeMounts: [
              ...kafka.mounts,
              ...(bridge ? [bridge.mount] : []),
              ...(agent?.mounts ?? []),
            ],
            readinessProbe: {
              httpGet: { path: probePaths.ready, port: "http" },
              periodSeconds: 5,
              failureThreshold: 3,
            },
            livenessProbe: {
              httpGet: { path: probePaths.live, port: "http" },
              initialDelaySeconds: 30,
              periodSeconds: 10,
              failureThreshold: 6,
            },
            resources: {
              requests: { cpu: args.cpuRequest ?? "250m", memory: args.memoryRequest ?? "512Mi" },
              limits: { memory: args.memoryLimit ?? "1Gi" },
            },
          },
        }),
      },
      {
        parent: this,
        dependsOn: [
          ...(kafka.credentials ? [kafka.credentials] : []),
          ...(kafka.trust ? [kafka.trust] : []),
          ...(bridge ? [bridge.configMap] : []),
          ...(agent ? [agent.configMap] : []),
        ],
      },
    );

    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata,
        spec: {
          type: "ClusterIP",
          selector,
          ports: [{ name: "http", port, targetPort: "http" }],
        },
      },
      { parent: this },
    );

    this.podDisruptionBudget = drainOneAtATime(name, metadata, selector, this);

    if (autoscaled) {
      this.autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        {
          metadata,
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
            minReplicas: replicas,
            maxReplicas,
            metrics: [
              {
                type: "Resource",
                resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
              },
            ],
          },
        },
        { parent: this, dependsOn: [this.deployment] },
      );
    }

    if (args.ingressHost) {
      this.ingress = restProxyIngress(name, metadata, args, this);
    }

    this.endpoint = pulumi.interpolate`http://${name}.${args.namespace}.svc:${port}`;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}

const NO_SECURITY = { tls: false, mechanism: "none" } as const;
