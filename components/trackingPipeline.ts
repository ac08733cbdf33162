import * as kafka from "@pulumi/kafka";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  alertThresholdsOf,
  isKubeconfigText,
  kubeconfigPath,
  missingSecretProblem,
  monitorLabelsOf,
  requiredSecrets,
} from "../config";
import type { StackConfig } from "../config";
import type { ConnectEndpoint } from "../providers/connect";
import { ConnectCluster, connectInternalTopics } from "./connectCluster";
import { HttpSinkConnector } from "./httpSinkConnector";
import { declareOffsetJobs, OffsetJob } from "./offsetJobs";
import { KafkaAccess } from "./kafkaAccess";
import { checkedPassword } from "./kafkaLogin";
import { standardLabels } from "./labels";
import {
  ingressTlsOf,
  isSecured,
  kafkaAccessArgsOf,
  kafkaSecurityOf,
  restProxyPrincipalOf,
  kafkaLoginsOf,
  workerPrincipalOf,
} from "./pipelineKafka";
import { PipelineMonitoring } from "./pipelineMonitoring";
import { RestProxy } from "./restProxy";
import { podSecretFiles, connectorNameOf, sinkSettingsOf } from "./sinkSettings";
import { connectorSecretsLocation } from "./connectorSecrets";
import { TopicSet, topicNaming } from "./topicSet";
import { skipAwaitTransformation } from "./workload";

export interface TrackingPipelineArgs {
  /** Environment prefix of topic, connector and group names, for example `prod`. */
  readonly environment: string;
  /** The validated stack configuration (see `config.ts`). */
  readonly settings: StackConfig;
  /**
   * Secret values by config key: the ones destinations name (`passwordSecret`,
   * `clientSecretSecret`, `secretHeaders`, `kafkaPrincipal.passwordSecret`), `kafkaSaslPassword`,
   * `kafkaRestProxyPassword`, `kafkaConnectPassword` and `connectBasicAuthPassword`.
   */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * A whole tracking pipeline from stack configuration: Kafka topics, the REST Proxy and a Connect
 * cluster on Kubernetes (optional), and one HTTP Sink connector per analytics destination.
 */
export class TrackingPipeline extends pulumi.ComponentResource {
  public readonly topics: TopicSet;
  public readonly restProxy?: RestProxy;
  public readonly connectCluster?: ConnectCluster;
  public readonly sinks: Record<string, HttpSinkConnector>;
  /** The replays and redrives the destinations declare (components/offsetJobs.ts). */
  public readonly offsetJobs: OffsetJob[];
  /** SCRAM users and ACLs, with SASL on and `kafkaManageUsers` or `kafkaManageAcls`. */
  public readonly access?: KafkaAccess;
  /** Where events are POSTed: the in-cluster URL, or `restProxyUrl` when Kubernetes is off. */
  public readonly restProxyEndpoint: pulumi.Output<string | undefined>;
  public readonly connectEndpoint: pulumi.Output<string>;
  public readonly topicNames: pulumi.Output<string[]>;
  public readonly connectorNames: pulumi.Output<string[]>;
  /** Per destination: the connector's name, its state and its tasks' states on the worker. */
  public readonly connectors: pulumi.Output<Record<string, ConnectorStatusOutput>>;

  constructor(name: string, args: TrackingPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracking:index:TrackingPipeline", name, {}, opts);
    const s = args.settings;
    const env = args.environment;

    // Every missing secret at once, as one message without a stack trace: it is a config mistake.
    const missing = requiredSecrets(s).filter((ref) => args.secrets[ref.key] === undefined);
    if (missing.length > 0) {
      throw new pulumi.ResourceError(
        `Secrets the stack configuration needs are not set:\n` +
          missing.map((ref) => `  - ${missingSecretProblem(ref)}`).join("\n"),
        this,
        true,
      );
    }
    const security = kafkaSecurityOf(s);
    // Every password of a Kafka principal the stack does not set itself is tried once before use.
    const logins = kafkaLoginsOf(s);
    const kafkaEndpoint = { bootstrapServers: s.kafkaBootstrapServers, security };
    const checked = new Map<string, pulumi.Output<string>>();
    const secret = (key: string): pulumi.Input<string> => {
      const login = logins.get(key);
      if (!login) return pulumi.secret(args.secrets[key]!);
      if (!checked.has(key)) {
        checked.set(key, checkedPassword(kafkaEndpoint, login, args.secrets[key]!, this));
      }
      return checked.get(key)!;
    };
    const secured = isSecured(s);
    const workerPrincipal = workerPrincipalOf(s, secret);

    const kafkaProvider = new kafka.Provider(
      `${name}-kafka`,
      {
        bootstrapServers: s.kafkaBootstrapServers,
        tlsEnabled: s.kafkaTls,
        ...(s.kafkaTlsCaCertificate !== "" ? { caCert: s.kafkaTlsCaCertificate } : {}),
        ...(s.kafkaSaslMechanism !== "none"
          ? {
              saslMechanism: s.kafkaSaslMechanism,
              saslUsername: s.kafkaSaslUsername,
              saslPassword: secret("kafkaSaslPassword"),
            }
          : {}),
      },
      { parent: this },
    );

    this.topics = new TopicSet(
      `${name}-topics`,
      {
        environment: env,
        topics: s.topics,
        partitions: s.topicPartitions,
        replicationFactor: s.topicReplicationFactor,
        minInsyncReplicas: s.topicMinInsyncReplicas,
        retentionMs: s.topicRetentionMs,
        cleanupPolicy: s.topicCleanupPolicy,
        compressionType: s.topicCompressionType,
        maxMessageBytes: s.topicMaxMessageBytes,
        deadLetterRetentionMs: s.deadLetterRetentionMs,
        protect: s.protectTopics,
        deadLetterSinks: s.destinations.filter((d) => d.errors.deadLetterTopic).map((d) => d.name),
        reporterSinks: s.destinations
          .filter((d) => d.reporter.enabled && d.connectorClass !== "camel")
          .map((d) => d.name),
      },
      { parent: this, providers: { kafka: kafkaProvider } },
    );

    const connectAuth =
      s.connectBasicAuthUsername !== ""
        ? {
            username: s.connectBasicAuthUsername,
            password: secret("connectBasicAuthPassword"),
          }
        : undefined;

    const connectGroupId = s.connectGroupId || `${env}-tracking-connect`;
    if (security.mechanism !== "none" && (s.kafkaManageUsers || s.kafkaManageAcls)) {
      // Users and grants before any client that logs in with them.
      this.access = new KafkaAccess(
        `${name}-access`,
        kafkaAccessArgsOf(
          env,
          s,
          secret,
          (destination) => connectorNameOf(env, destination),
          s.kubernetesEnabled
            ? { groupId: connectGroupId, internalTopics: Object.values(connectInternalTopics(env)) }
            : undefined,
        ),
        { parent: this, providers: { kafka: kafkaProvider }, dependsOn: [this.topics] },
      );
    }
    const accessReady = this.access ? [this.access] : [];

    const sinkSettings = s.destinations.map((d, index) => sinkSettingsOf(env, s, d, index, secret));
    // Connector secrets by reference (components/connectorSecrets.ts): where the worker reads them.
    const secretsAt = connectorSecretsLocation(s);

    if (s.kubernetesEnabled) {
      if (s.kubernetesSkipAwait && env === "prod") {
        throw new pulumi.ResourceError(
          "tracking-pipeline:kubernetesSkipAwait must not be true in environment prod: `up` would " +
            "report a rollout whose pods never become ready as a success; remove the setting",
          this,
          true,
        );
      }
      const k8sProvider = new k8s.Provider(
        `${name}-k8s`,
        {
          ...(s.kubernetesRenderDirectory !== ""
            ? { renderYamlToDirectory: s.kubernetesRenderDirectory }
            : kubeconfigArgs(s.kubernetesKubeconfig)),
          // A rotated password updates its Secret in place. By default the plugin replaces a
          // Secret whose data changes, and the fixed name makes that a delete first, which takes
          // the Deployments that mount it with it: every worker at once instead of a rollout.
          enableSecretMutable: true,
        },
        { parent: this },
      );
      const namespace = new k8s.core.v1.Namespace(
        `${name}-namespace`,
        {
          metadata: {
            name: s.kubernetesNamespace,
            labels: standardLabels("tracking-pipeline", env, "namespace"),
          },
        },
        { parent: this, provider: k8sProvider },
      );
      const k8sOpts = {
        parent: this,
        providers: { kubernetes: k8sProvider, kafka: kafkaProvider },
        dependsOn: accessReady,
        // A test cluster without a kubelet only (see skipAwaitTransformation): never production.
        ...(s.kubernetesSkipAwait ? { transformations: [skipAwaitTransformation] } : {}),
      };

      this.connectCluster = new ConnectCluster(
        `${name}-connect`,
        {
          namespace: namespace.metadata.name,
          environment: env,
          bootstrapServers: s.kafkaBootstrapServers,
          ...(secured ? { kafka: { security, principal: workerPrincipal } } : {}),
          groupId: connectGroupId,
          replicas: s.connectReplicas,
          image: s.connectImage,
          build: s.connectImageBuild
            ? {
                registry: s.connectImageRegistry,
                httpSinkVersion: s.connectHttpSinkVersion,
                // Confluent's sink (from Confluent Hub) only when a destination runs it.
                confluentHttpSink: s.destinations.some((d) => d.connectorClass === "confluent"),
              }
            : undefined,
          internalTopicReplicationFactor: s.connectInternalTopicReplicationFactor,
          protect: s.protectTopics,
          allowedCidrs: s.connectAllowedCidrs,
          basicAuth: connectAuth,
          heap: s.connectHeapMax,
          cpuRequest: s.connectCpuRequest,
          memoryRequest: s.connectMemoryRequest,
          memoryLimit: s.connectMemoryLimit,
          connectorSecrets: podSecretFiles(sinkSettings),
          metrics: s.metricsEnabled,
          imageHasMetricsAgent: s.connectImageHasMetricsAgent,
        },
        k8sOpts,
      );

      this.restProxy = new RestProxy(
        `${name}-rest-proxy`,
        {
          namespace: namespace.metadata.name,
          bootstrapServers: s.kafkaBootstrapServers,
          ...(secured ? { kafka: { security, principal: restProxyPrincipalOf(s, secret) } } : {}),
          implementation: s.restProxyImplementation,
          image: s.restProxyImage || undefined,
          replicas: s.restProxyReplicas,
          maxReplicas: s.restProxyMaxReplicas,
          corsOrigins: s.restProxyCorsOrigins,
          rateLimit: {
            enabled: s.restProxyRateLimitEnabled,
            permitsPerSecond: s.restProxyRateLimitPermitsPerSecond,
            timeoutMs: s.restProxyRateLimitTimeoutMs,
          },
          produceRateLimit: {
            enabled: s.restProxyProduceRateLimitEnabled,
            maxRequestsPerSecond: s.restProxyProduceMaxRequestsPerSecond,
            maxBytesPerSecond: s.restProxyProduceMaxBytesPerSecond,
          },
          ingressHost: s.restProxyIngressHost || undefined,
          ingressTopics: s.topics.map((t) => topicNaming.tracking(env, t)),
          ingressTls: ingressTlsOf(s),
          ingressClassName: s.restProxyIngressClassName,
          cpuRequest: s.restProxyCpuRequest,
          memoryRequest: s.restProxyMemoryRequest,
          memoryLimit: s.restProxyMemoryLimit,
          // The agent comes from the built Connect image (components/metricsAgent.ts).
          ...(s.metricsEnabled ? { metrics: { agentImage: this.connectCluster.imageName } } : {}),
        },
        k8sOpts,
      );

      if (s.metricsPrometheusOperator || s.metricsGrafanaDashboard) {
        new PipelineMonitoring(
          `${name}-monitoring`,
          {
            namespace: namespace.metadata.name,
            namespaceName: s.kubernetesNamespace,
            environment: env,
            connectPods: this.connectCluster.podSelector,
            restProxyPods: this.restProxy.podSelector,
            destinations: s.destinations.map((d) => ({
              name: d.name,
              connector: connectorNameOf(env, d.name),
            })),
            prometheusOperator: s.metricsPrometheusOperator,
            monitorLabels: monitorLabelsOf(s.metricsMonitorLabels),
            thresholds: alertThresholdsOf(s),
            grafanaDashboard: s.metricsGrafanaDashboard,
          },
          k8sOpts,
        );
      }
    }

    const connectUrl: pulumi.Input<string> =
      s.connectUrl !== "" ? s.connectUrl : this.connectCluster!.endpoint;
    const connect: pulumi.Input<ConnectEndpoint> = pulumi
      .output(connectUrl)
      .apply((url) => ({ url, ...(connectAuth ? { username: connectAuth.username } : {}) }));
    const endpoint: pulumi.Input<ConnectEndpoint> = connectAuth
      ? pulumi.all([connect, connectAuth.password]).apply(([c, password]) => ({ ...c, password }))
      : connect;

    this.sinks = {};
    sinkSettings.forEach((settings, index) => {
      const d = s.destinations[index];
      this.sinks[d.name] = new HttpSinkConnector(
        `${name}-${d.name}`,
        {
          ...settings,
          ...(secretsAt ? { secrets: secretsAt } : {}),
          connect: endpoint,
          state: d.state,
          consumerByteRate: d.rateLimit.consumerByteRate,
        },
        {
          parent: this,
          providers: { kafka: kafkaProvider },
          dependsOn: [
            this.topics,
            ...accessReady,
            ...(this.connectCluster ? [this.connectCluster] : []),
          ],
        },
      );
    });

    // Replays and redrives, each after its destination's connector (components/offsetJobs.ts).
    const jobs = {
      environment: env,
      settings: s,
      connect: endpoint,
      kafkaPassword: s.kafkaSaslMechanism !== "none" ? secret("kafkaSaslPassword") : "",
      parent: this,
    };
    this.offsetJobs = s.destinations.flatMap((d, index) =>
      declareOffsetJobs(name, d, index, this.sinks[d.name], jobs),
    );

    this.restProxyEndpoint = this.restProxy
      ? this.restProxy.endpoint
      : pulumi.output<string | undefined>(s.restProxyUrl || undefined);
    this.connectEndpoint = pulumi.output(connectUrl);
    this.topicNames = pulumi.all(Object.values(this.topics.topicNames));
    this.connectorNames = pulumi.all(Object.values(this.sinks).map((sink) => sink.connectorName));
    const destinations = Object.keys(this.sinks);
    this.connectors = pulumi
      .all(
        Object.values(this.sinks).map((sink) =>
          pulumi.all([sink.connectorName, sink.connectorState, sink.taskStates]),
        ),
      )
      .apply((statuses) =>
        Object.fromEntries(
          statuses.map(([connector, state, tasks], i): [string, ConnectorStatusOutput] => [
            destinations[i],
            { name: connector, state, tasks },
          ]),
        ),
      );
    this.registerOutputs({
      restProxyEndpoint: this.restProxyEndpoint,
      connectEndpoint: this.connectEndpoint,
      topicNames: this.topicNames,
      connectorNames: this.connectorNames,
      connectors: this.connectors,
    });
  }
}

/** What `pulumi stack output connectors` answers per destination: is the pipeline running? */
export interface ConnectorStatusOutput {
  /** The connector's name on the Connect worker. */
  readonly name: string;
  /** `RUNNING`, `PAUSED`, `STOPPED`, `FAILED` or `UNASSIGNED`, as the worker reports it. */
  readonly state: string;
  /** The state of each of its tasks. */
  readonly tasks: string[];
}

export type { SecretLookup } from "./pipelineKafka";
export { connectorNameOf, sinkSettingsOf } from "./sinkSettings";

/**
 * The kubernetes provider's `kubeconfig` from `kubernetesKubeconfig`: a path as given (relative
 * to the project folder), YAML as a secret (it holds the cluster's credentials), nothing for "".
 */
function kubeconfigArgs(value: string): k8s.ProviderArgs {
  if (value === "") return {};
  return { kubeconfig: isKubeconfigText(value) ? pulumi.secret(value) : kubeconfigPath(value) };
}
