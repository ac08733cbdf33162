import * as docker from "@pulumi/docker";
import * as kafka from "@pulumi/kafka";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  buildConnectImage,
  ConnectImageBuildArgs,
  ConnectImageFacts,
  connectImageFacts,
  ConnectImagePlan,
  connectImagePlan,
  imageSettingsOf,
  readHttpSinkModule,
} from "./connectImage";
import { connectorSecretsMount, SECRETS_VERSION_ANNOTATION } from "./connectorSecretsMount";
import { connectRestAuth } from "./connectRestAuth";
import { KafkaClientArgs, podKafkaSecurity } from "./kafkaPodSecurity";
import { confluentEnvName } from "./kafkaSecurity";
import { selectorLabels, standardLabels } from "./labels";
import { METRICS_PORT, metricsAgent } from "./metricsAgent";
import { protectData } from "./topicSet";
import { drainOneAtATime, workloadSpec } from "./workload";

export const DEFAULT_CONNECT_IMAGE = "confluentinc/cp-kafka-connect:7.9.1";
const REST_PORT = 8083;
const STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

export interface ConnectClusterArgs {
  /** Namespace of every object. */
  readonly namespace: pulumi.Input<string>;
  /** Environment prefix of the internal topic names. */
  readonly environment: string;
  /** Kafka bootstrap servers, `host:port`. */
  readonly bootstrapServers: readonly string[];
  /**
   * TLS and SASL of the workers' clients: the worker's own, and the `producer.`, `consumer.` and
   * `admin.` sets of its tasks, dead-letter queues and topic creation. Defaults to plaintext.
   */
  readonly kafka?: KafkaClientArgs;
  /** Connect group id. Defaults to `<environment>-tracking-connect`. */
  readonly groupId?: string;
  /** Defaults to 2. */
  readonly replicas?: number;
  /**
   * Image to run when no image is built, else the base image of the build. Defaults to
   * `confluentinc/cp-kafka-connect:7.9.1`.
   */
  readonly image?: string;
  /**
   * Build an image with our HTTP sink connector (compiled from connectors/http-sink) on `image`,
   * and Confluent's when asked, and push it (components/connectImage.ts). Defaults to no build.
   */
  readonly build?: ConnectImageBuildArgs;
  /** Replication factor of the three internal topics. Defaults to 3. */
  readonly internalTopicReplicationFactor?: number;
  /**
   * Protect the internal topics from deletion: losing `connect-offsets` replays or skips events.
   * Defaults to true.
   */
  readonly protect?: boolean;
  /** CIDRs allowed to call the REST API, besides the workers themselves. Defaults to none. */
  readonly allowedCidrs?: readonly string[];
  /** Basic auth on the REST API; the password stays a Pulumi secret. Defaults to none. */
  readonly basicAuth?: { readonly username: string; readonly password: pulumi.Input<string> };
  /** JVM heap, for example `1g`. Defaults to `1g`. */
  readonly heap?: string;
  /** Defaults to `500m`. */
  readonly cpuRequest?: string;
  /** Defaults to `1536Mi`. */
  readonly memoryRequest?: string;
  /** Defaults to `2Gi`. */
  readonly memoryLimit?: string;
  /**
   * The connectors' secret files (`<connector>.<key>` to value), kept in the Secret
   * `<name>-connector-secrets` mounted at /etc/tracking/connector-secrets, where the workers'
   * DirectoryConfigProvider resolves the connectors' `${dir:...}` references. Defaults to none
   * (the Secret and the provider are there all the same, for destinations added later).
   */
  readonly connectorSecrets?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Prometheus metrics on port `metrics` (9404) of every worker: the JMX exporter agent of the
   * built image (so it needs `build`) with the rules of observability/jmx-exporter/connect.yml,
   * reachable from any pod (the NetworkPolicy opens that port). Defaults to false.
   */
  readonly metrics?: boolean;
  /**
   * `image` was built from components/connect-image/Dockerfile outside the stack (a team's CI),
   * so it holds the metrics agent: `metrics` works without `build`. Defaults to false.
   */
  readonly imageHasMetricsAgent?: boolean;
}

/** Names of the three compacted internal topics of a Connect group. */
export function connectInternalTopics(environment: string) {
  return {
    config: `${environment}.connect-configs`,
    offset: `${environment}.connect-offsets`,
    status: `${environment}.connect-status`,
  };
}

/**
 * A Kafka Connect cluster in distributed mode on Kubernetes, with its internal topics declared
 * as compacted topics, a REST Service reachable only from allowed sources, and optional basic auth.
 */
export class ConnectCluster extends pulumi.ComponentResource {
  public readonly deployment: k8s.apps.v1.Deployment;
  public readonly service: k8s.core.v1.Service;
  public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
  public readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
  public readonly internalTopics: kafka.Topic[];
  public readonly authSecret?: k8s.core.v1.Secret;
  /** The workers' JAAS line (`<name>-kafka-credentials`), with SASL on. */
  public readonly kafkaCredentials?: k8s.core.v1.Secret;
  /** The connectors' secrets (`<name>-connector-secrets`), mounted into every worker. */
  public readonly connectorSecrets: k8s.core.v1.Secret;
  /** The Kafka CA (`<name>-kafka-tls`), with TLS and a CA. */
  public readonly kafkaTrust?: k8s.core.v1.ConfigMap;
  /** The metrics agent's rules (`<name>-metrics-rules`), with `metrics`. */
  public readonly metricsRules?: k8s.core.v1.ConfigMap;
  public readonly image?: docker.Image;
  /** The image the workers run. */
  public readonly imageName: pulumi.Output<string>;
  /**
   * Whether the image is built, its base, and the connector classes the build puts in (none
   * listed for a plain image): an output, read by the policy `connect-image-contains-connector`.
   */
  public readonly imageFacts: ConnectImageFacts;
  /** The labels that select the workload's pods (a PodMonitor's selector). */
  public readonly podSelector: Record<string, string>;
  /** In-cluster URL of the REST API. */
  public readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: ConnectClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const baseImage = args.image ?? DEFAULT_CONNECT_IMAGE;
    const imageFacts = connectImageFacts(baseImage, args.build);
    // The image facts are the component's inputs and outputs: policies read them (see below).
    super("tracking:k8s:ConnectCluster", name, imageFacts, opts);
    this.imageFacts = imageFacts;

    const labels = standardLabels("kafka-connect", name, "delivery");
    const selector = selectorLabels(labels);
    this.podSelector = selector;
    const metadata = { name, namespace: args.namespace, labels };
    const replicas = args.replicas ?? 2;
    const rf = args.internalTopicReplicationFactor ?? 3;
    const topics = connectInternalTopics(args.environment);

    // Declared rather than left to the worker's auto-creation, so that their durability is ours.
    const compacted = (key: string, topicName: string, partitions: number) =>
      new kafka.Topic(
        `${name}-${key}`,
        {
          name: topicName,
          partitions,
          replicationFactor: rf,
          // One replica fewer than written, so that one broker down never stops Connect's writes.
          config: {
            "cleanup.policy": "compact",
            "min.insync.replicas": String(Math.max(1, Math.min(2, rf - 1))),
          },
        },
        { parent: this, ...protectData(args.protect) },
      );
    this.internalTopics = [
      compacted("configs", topics.config, 1),
      compacted("offsets", topics.offset, 25),
      compacted("status", topics.status, 5),
    ];

    const plan = args.build ? this.imagePlan(args.build, baseImage) : undefined;
    if (plan) {
      this.image = buildConnectImage(name, plan, this);
      this.imageName = this.image.repoDigest.apply((d) => d ?? "");
    } else {
      this.imageName = pulumi.output(baseImage);
    }

    const env: k8s.types.input.core.v1.EnvVar[] = [
      {
        name: "CONNECT_REST_ADVERTISED_HOST_NAME",
        valueFrom: { fieldRef: { fieldPath: "status.podIP" } },
      },
      ...Object.entries({
        CONNECT_BOOTSTRAP_SERVERS: args.bootstrapServers.join(","),
        CONNECT_GROUP_ID: args.groupId ?? `${args.environment}-tracking-connect`,
        CONNECT_CONFIG_STORAGE_TOPIC: topics.config,
        CONNECT_OFFSET_STORAGE_TOPIC: topics.offset,
        CONNECT_STATUS_STORAGE_TOPIC: topics.status,
        CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: String(rf),
        CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR: String(rf),
        CONNECT_STATUS_STORAGE_REPLICATION_FACTOR: String(rf),
        CONNECT_KEY_CONVERTER: STRING_CONVERTER,
        CONNECT_VALUE_CONVERTER: STRING_CONVERTER,
        CONNECT_REST_PORT: String(REST_PORT),
        CONNECT_LISTENERS: `http://0.0.0.0:${REST_PORT}`,
        CONNECT_PLUGIN_PATH: "/usr/share/java,/usr/share/confluent-hub-components",
        // Sinks set their own consumer client id (the quota entity) and poll size.
        CONNECT_CONNECTOR_CLIENT_CONFIG_OVERRIDE_POLICY: "All",
        CONNECT_OFFSET_FLUSH_INTERVAL_MS: "10000",
        KAFKA_HEAP_OPTS: `-Xms${args.heap ?? "1g"} -Xmx${args.heap ?? "1g"}`,
      }).map(([n, value]) => ({ name: n, value })),
    ];

    const kafkaSecurity = this.kafkaClients(name, metadata, args.kafka);
    this.kafkaCredentials = kafkaSecurity.credentials;
    this.kafkaTrust = kafkaSecurity.trust;
    // One principal for the worker and for the clients it builds for tasks: the sinks that have
    // a principal of their own override it per connector (`consumer.override.` ...).
    for (const set of args.kafka ? ["", "PRODUCER_", "CONSUMER_", "ADMIN_"] : []) {
      env.push(...kafkaSecurity.env((p) => confluentEnvName(`CONNECT_${set}`, p)));
    }

    const secrets = connectorSecretsMount(name, metadata, args.connectorSecrets ?? {}, this);
    this.connectorSecrets = secrets.secret;
    env.push(...secrets.env);
    const volumes: k8s.types.input.core.v1.Volume[] = [...kafkaSecurity.volumes, secrets.volume];
    const mounts: k8s.types.input.core.v1.VolumeMount[] = [...kafkaSecurity.mounts, secrets.mount];
    // The workers' JVM options (KAFKA_OPTS), set once below.
    const javaOptions: string[] = [];
    if (args.metrics && !plan && !args.imageHasMetricsAgent) {
      throw new pulumi.ResourceError(
        "`metrics` needs `build`: the JMX exporter agent ships in the image the stack builds. " +
          "Set `connectImageBuild: true` (and `connectImageRegistry`), " +
          "`connectImageHasMetricsAgent: true` for an image built from our Dockerfile elsewhere, " +
          "or `metricsEnabled: false`.",
        this,
        true,
      );
    }
    const agent = args.metrics
      ? metricsAgent(
          name,
          metadata,
          { rules: "connect", agentImage: this.imageName, inContainerImage: true },
          this,
        )
      : undefined;
    this.metricsRules = agent?.configMap;
    if (agent) {
      volumes.push(...agent.volumes);
      mounts.push(...agent.mounts);
      javaOptions.push(agent.javaOption);
    }
    let readinessProbe: k8s.types.input.core.v1.Probe = {
      httpGet: { path: "/", port: "rest" },
      periodSeconds: 10,
      failureThreshold: 3,
    };
    if (args.basicAuth) {
      const auth = connectRestAuth(name, metadata, args.basicAuth, REST_PORT, this);
      this.authSecret = auth.secret;
      volumes.push(auth.volume);
      mounts.push(auth.mount);
      env.push(...auth.env);
      javaOptions.push(auth.javaOption);
      readinessProbe = auth.readinessProbe;
    }

    if (javaOptions.length > 0) env.push({ name: "KAFKA_OPTS", value: javaOptions.join(" ") });

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata,
        spec: workloadSpec({
          replicas,
          labels,
          selector,
          pod: { terminationGracePeriodSeconds: 60, volumes },
          podAnnotations: { [SECRETS_VERSION_ANNOTATION]: secrets.version },
          container: {
            name: "connect",
            image: this.imageName,
            ports: [{ name: "rest", containerPort: REST_PORT }, ...(agent ? [agent.port] : [])],
            env,
            volumeMounts: mounts,
            readinessProbe,
            livenessProbe: {
              tcpSocket: { port: "rest" },
              initialDelaySeconds: 60,
              periodSeconds: 15,
              failureThreshold: 4,
            },
            resources: {
              requests: {
                cpu: args.cpuRequest ?? "500m",
                memory: args.memoryRequest ?? "1536Mi",
              },
              limits: { memory: args.memoryLimit ?? "2Gi" },
            },
          },
        }),
      },
      {
        parent: this,
        dependsOn: [
          ...this.internalTopics,
          ...(this.kafkaCredentials ? [this.kafkaCredentials] : []),
          ...(this.kafkaTrust ? [this.kafkaTrust] : []),
          this.connectorSecrets,
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
          ports: [{ name: "rest", port: REST_PORT, targetPort: "rest" }],
        },
      },
      { parent: this },
    );

    // Workers forward requests to the leader over REST, so they must reach each other.
    this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
      `${name}-rest-access`,
      {
        metadata,
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                { podSelector: { matchLabels: selector } },
                ...(args.allowedCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
              ],
              ports: [{ protocol: "TCP", port: REST_PORT }],
            },
            // Prometheus runs in another namespace on most clusters: the metrics (no secrets in
            // them) are open to every source, the REST API stays closed.
            ...(agent ? [{ ports: [{ protocol: "TCP", port: METRICS_PORT }] }] : []),
          ],
        },
      },
      { parent: this },
    );

    this.podDisruptionBudget = drainOneAtATime(name, metadata, selector, this);

    this.endpoint = pulumi.interpolate`http://${name}.${args.namespace}.svc:${REST_PORT}`;
    // Stack policies see a component's outputs only: the image facts are there for them.
    this.registerOutputs({
      endpoint: this.endpoint,
      imageName: this.imageName,
      ...this.imageFacts,
    });
  }

  private imagePlan(build: ConnectImageBuildArgs, baseImage: string): ConnectImagePlan {
    try {
      return connectImagePlan(imageSettingsOf(build, baseImage), readHttpSinkModule());
    } catch (err) {
      throw new pulumi.ResourceError((err as Error).message, this, true);
    }
  }

  private kafkaClients(
    name: string,
    metadata: { namespace: pulumi.Input<string>; labels: Record<string, string> },
    kafka: KafkaClientArgs | undefined,
  ) {
    try {
      return podKafkaSecurity(name, metadata, kafka ?? { security: NO_SECURITY }, this);
    } catch (err) {
      throw new pulumi.ResourceError(`\`kafka.principal\`: ${(err as Error).message}`, this, true);
    }
  }
}

const NO_SECURITY = { tls: false, mechanism: "none" } as const;
