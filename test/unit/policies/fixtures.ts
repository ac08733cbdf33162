import type * as kafka from "@pulumi/kafka";
import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import { FakeResource } from "./harness";

// A small stack that passes every policy with its default (prod) config. Each test changes one
// thing in a copy (`edit`) and expects exactly one violation. Types are the SDKs' args, so that
// an edit that could not be declared does not compile.

export interface ConnectorProps {
  name: string;
  config: Record<string, string | undefined>;
  secretConfig: Record<string, string>;
  state: string;
}

type DeploymentProps = Unwrap<k8s.apps.v1.DeploymentArgs>;
type Container = Unwrap<k8s.types.input.core.v1.Container>;

const CONNECTOR = "pulumi-nodejs:dynamic/tracking:Connector";

const framework = {
  "tasks.max": "3",
  topics: "prod.tracking",
  "errors.tolerance": "all",
  "errors.log.enable": "true",
  "errors.log.include.messages": "false",
  "consumer.override.client.id": "prod-analytics-http-sink-consumer",
  "consumer.override.max.poll.records": "500",
};

export const confluentSink: FakeResource<ConnectorProps> = {
  type: CONNECTOR,
  name: "tracking-analytics-connector",
  props: {
    name: "prod-analytics-http-sink",
    state: "RUNNING",
    config: {
      ...framework,
      "connector.class": "io.confluent.connect.http.HttpSinkConnector",
      "errors.deadletterqueue.topic.name": "prod.analytics.dlq",
      "http.api.url": "https://collect.analytics.example.com/v2/events",
      "batch.max.size": "500",
      "max.retries": "10",
      "retry.backoff.ms": "3000",
      "retry.on.status.codes": "408,429,500-",
      "behavior.on.error": "fail",
      "auth.type": "OAUTH2",
      "oauth2.token.url": "https://auth.analytics.example.com/oauth2/token",
      "oauth2.client.id": "tracking-pipeline",
      "header.separator": "|",
      headers: "Content-Type:application/json",
      // By reference (connector-secrets-by-reference): the pods' mounted Secret holds the value.
      "oauth2.client.secret":
        "${dir:/etc/tracking/connector-secrets:prod-analytics-http-sink.oauth2.client.secret}",
    },
    secretConfig: {},
  },
};

export const camelSink: FakeResource<ConnectorProps> = {
  type: CONNECTOR,
  name: "tracking-receiver-connector",
  props: {
    name: "prod-receiver-http-sink",
    state: "RUNNING",
    config: {
      ...framework,
      "consumer.override.client.id": "prod-receiver-http-sink-consumer",
      "connector.class": "org.apache.camel.kafkaconnector.httpsink.CamelHttpsinkSinkConnector",
      "errors.deadletterqueue.topic.name": "prod.receiver.dlq",
      "camel.kamelet.http-sink.url": "https://receiver.example.com/collect",
      "camel.error.handler.max.redeliveries": "10",
      "camel.error.handler.redelivery.delay": "1000",
      "camel.aggregation.size": "100",
      transforms: "header0,header1",
      "transforms.header0.type": "org.apache.kafka.connect.transforms.InsertHeader",
      "transforms.header0.header": "CamelHeader.Content-Type",
      "transforms.header0.value.literal": "application/json",
      "transforms.header1.value.literal":
        "${dir:/etc/tracking/connector-secrets:prod-receiver-http-sink.transforms.header1.value.literal}",
      "transforms.header1.type": "org.apache.kafka.connect.transforms.InsertHeader",
      "transforms.header1.header": "CamelHeader.Authorization",
    },
    secretConfig: {},
  },
};

function topic(
  resourceName: string,
  name: string,
  config: Record<string, string>,
): FakeResource<Unwrap<kafka.TopicArgs>> {
  return {
    type: "kafka:index/topic:Topic",
    name: resourceName,
    props: { name, partitions: 6, replicationFactor: 3, config },
  };
}

const deleting = { "cleanup.policy": "delete", "min.insync.replicas": "2" };
const compacted = { "cleanup.policy": "compact", "min.insync.replicas": "2" };

export const trackingTopic = topic("tracking-topics-prod.tracking", "prod.tracking", {
  ...deleting,
  "retention.ms": "604800000",
});
export const analyticsDlq = topic("tracking-topics-prod.analytics.dlq", "prod.analytics.dlq", {
  ...deleting,
  "retention.ms": "1209600000",
});
export const receiverDlq = topic("tracking-topics-prod.receiver.dlq", "prod.receiver.dlq", {
  ...deleting,
  "retention.ms": "1209600000",
});
export const connectConfigs = topic("tracking-connect-configs", "prod.connect-configs", compacted);
export const connectOffsets = topic("tracking-connect-offsets", "prod.connect-offsets", compacted);
export const connectStatus = topic("tracking-connect-status", "prod.connect-status", compacted);

function quota(sink: string, bytesPerSecond: string): FakeResource<Unwrap<kafka.QuotaArgs>> {
  return {
    type: "kafka:index/quota:Quota",
    name: `tracking-${sink}-egress`,
    props: {
      entityType: "client-id",
      entityName: `prod-${sink}-http-sink-consumer`,
      config: { consumer_byte_rate: bytesPerSecond },
    },
  };
}

export const analyticsQuota = quota("analytics", "5242880");
export const receiverQuota = quota("receiver", "1048576");

/** The stack's kafka provider: the admin principal, over TLS with SCRAM. */
export const kafkaProvider: FakeResource<Record<string, string>> = {
  type: "pulumi:providers:kafka",
  name: "tracking-kafka",
  props: {
    // As the SDK sends them: non-string inputs as JSON text.
    bootstrapServers: '["kafka-0:9093"]',
    tlsEnabled: "true",
    skipTlsVerify: "false",
    saslMechanism: "scram-sha512",
    saslUsername: "admin",
    saslPassword: "admin-pw-0",
  },
};

function scramUser(username: string): FakeResource<Unwrap<kafka.UserScramCredentialArgs>> {
  return {
    type: "kafka:index/userScramCredential:UserScramCredential",
    name: `tracking-access-user-${username}`,
    props: {
      username,
      scramMechanism: "SCRAM-SHA-512",
      scramIterations: 8192,
      password: `${username}-pw`,
    },
  };
}

export const restProxyUser = scramUser("rest-proxy");
export const connectUser = scramUser("connect");

function acl(
  username: string,
  resourceType: string,
  resourceName: string,
  operation: string,
): FakeResource<Unwrap<kafka.AclArgs>> {
  return {
    type: "kafka:index/acl:Acl",
    name: `tracking-access-acl-${username}-${resourceType.toLowerCase()}-${resourceName}-${operation.toLowerCase()}`,
    props: {
      aclPrincipal: `User:${username}`,
      aclHost: "*",
      aclOperation: operation,
      aclPermissionType: "Allow",
      aclResourceType: resourceType,
      aclResourceName: resourceName,
      resourcePatternTypeFilter: "Literal",
    },
  };
}

export const restProxyWriteAcl = acl("rest-proxy", "Topic", "prod.tracking", "Write");
export const connectGroupAcl = acl("connect", "Group", "connect-prod-analytics-http-sink", "Read");
/** A few of the grants KafkaAccess declares; each policy test changes one. */
export const acls = [
  restProxyWriteAcl,
  acl("rest-proxy", "Topic", "prod.tracking", "Describe"),
  acl("connect", "Topic", "prod.tracking", "Read"),
  connectGroupAcl,
];

function labels(app: string, instance: string) {
  return {
    "app.kubernetes.io/name": app,
    "app.kubernetes.io/instance": instance,
    "app.kubernetes.io/part-of": "tracking-pipeline",
  };
}

function selector(app: string, instance: string) {
  return { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": instance };
}

const containerSecurity = {
  runAsNonRoot: true,
  runAsUser: 1000,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
};

function deployment(
  app: string,
  instance: string,
  container: Container,
): FakeResource<DeploymentProps> {
  return {
    type: "kubernetes:apps/v1:Deployment",
    name: `${instance}-deployment`,
    props: {
      metadata: { name: instance, namespace: "tracking", labels: labels(app, instance) },
      spec: {
        replicas: 3,
        selector: { matchLabels: selector(app, instance) },
        template: {
          metadata: { labels: labels(app, instance) },
          spec: {
            securityContext: { runAsNonRoot: true, fsGroup: 1000 },
            containers: [
              {
                readinessProbe: { httpGet: { path: "/", port: "http" } },
                livenessProbe: { tcpSocket: { port: "http" } },
                resources: {
                  requests: { cpu: "250m", memory: "512Mi" },
                  limits: { memory: "1Gi" },
                },
                securityContext: containerSecurity,
                ...container,
              },
            ],
          },
        },
      },
    },
  };
}

function env(values: Record<string, string>) {
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

export const restProxy = deployment("rest-proxy", "tracking-rest-proxy", {
  name: "rest-proxy",
  image: "confluentinc/cp-kafka-rest:7.9.1",
  env: [
    { name: "KAFKA_REST_HOST_NAME", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
    ...env({
      KAFKA_REST_BOOTSTRAP_SERVERS: "kafka-0:9093",
      KAFKA_REST_RATE_LIMIT_ENABLE: "true",
      KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC: "500",
    }),
  ],
});

export const bridge = deployment("rest-proxy", "tracking-rest-proxy", {
  name: "rest-proxy",
  image: "quay.io/strimzi/kafka-bridge:0.33.1",
  env: env({ KAFKA_BRIDGE_BOOTSTRAP_SERVERS: "kafka-0:9093" }),
});

export const connect = deployment("kafka-connect", "tracking-connect", {
  name: "connect",
  image: "confluentinc/cp-kafka-connect:7.9.1",
  env: env({
    CONNECT_BOOTSTRAP_SERVERS: "kafka-0:9093",
    CONNECT_CONFIG_STORAGE_TOPIC: "prod.connect-configs",
    CONNECT_OFFSET_STORAGE_TOPIC: "prod.connect-offsets",
    CONNECT_STATUS_STORAGE_TOPIC: "prod.connect-status",
  }),
});

export const restProxyService: FakeResource<Unwrap<k8s.core.v1.ServiceArgs>> = {
  type: "kubernetes:core/v1:Service",
  name: "tracking-rest-proxy-service",
  props: {
    metadata: { name: "tracking-rest-proxy", namespace: "tracking" },
    spec: {
      selector: selector("rest-proxy", "tracking-rest-proxy"),
      ports: [{ name: "http", port: 8082, targetPort: "http" }],
    },
  },
};

export const restProxyIngress: FakeResource<Unwrap<k8s.networking.v1.IngressArgs>> = {
  type: "kubernetes:networking.k8s.io/v1:Ingress",
  name: "tracking-rest-proxy-ingress",
  props: {
    metadata: {
      name: "tracking-rest-proxy",
      namespace: "tracking",
      annotations: { "nginx.ingress.kubernetes.io/limit-rps": "500" },
    },
    spec: {
      ingressClassName: "nginx",
      tls: [{ hosts: ["events.example.com"], secretName: "tracking-rest-proxy-tls" }],
      rules: [
        {
          host: "events.example.com",
          http: {
            paths: [
              {
                path: "/topics/prod.tracking",
                pathType: "Exact",
                backend: { service: { name: "tracking-rest-proxy", port: { name: "http" } } },
              },
            ],
          },
        },
      ],
    },
  },
};

function pdb(
  app: string,
  instance: string,
): FakeResource<Unwrap<k8s.policy.v1.PodDisruptionBudgetArgs>> {
  return {
    type: "kubernetes:policy/v1:PodDisruptionBudget",
    name: `${instance}-pdb`,
    props: {
      metadata: { name: instance, namespace: "tracking" },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector(app, instance) } },
    },
  };
}

export const restProxyPdb = pdb("rest-proxy", "tracking-rest-proxy");
export const connectPdb = pdb("kafka-connect", "tracking-connect");

export const connectNetworkPolicy: FakeResource<Unwrap<k8s.networking.v1.NetworkPolicyArgs>> = {
  type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  name: "tracking-connect-rest-access",
  props: {
    metadata: { name: "tracking-connect", namespace: "tracking" },
    spec: {
      podSelector: { matchLabels: selector("kafka-connect", "tracking-connect") },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: selector("kafka-connect", "tracking-connect") } },
            { ipBlock: { cidr: "10.20.0.0/16" } },
          ],
          ports: [{ protocol: "TCP", port: 8083 }],
        },
      ],
    },
  },
};

/** An autoscaler of the REST Proxy, for the tests of stacks that leave replicas to one. */
export const restProxyAutoscaler: FakeResource<
  Unwrap<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>
> = {
  type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  name: "tracking-rest-proxy-hpa",
  props: {
    metadata: { name: "tracking-rest-proxy", namespace: "tracking" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "tracking-rest-proxy" },
      minReplicas: 3,
      maxReplicas: 6,
    },
  },
};

/** The whole safe stack. */
export const safeStack: readonly FakeResource[] = [
  confluentSink,
  camelSink,
  trackingTopic,
  analyticsDlq,
  receiverDlq,
  connectConfigs,
  connectOffsets,
  connectStatus,
  analyticsQuota,
  receiverQuota,
  kafkaProvider,
  restProxyUser,
  connectUser,
  ...acls,
  restProxy,
  restProxyService,
  restProxyIngress,
  restProxyPdb,
  connect,
  connectPdb,
  connectNetworkPolicy,
];

/** The safe stack with one resource swapped for a changed copy, or left out. */
export function stackWith(
  original: FakeResource,
  replacement?: FakeResource,
): readonly FakeResource[] {
  if (!safeStack.includes(original)) throw new Error(`${original.name} is not in the safe stack`);
  return safeStack.flatMap((r) => (r !== original ? [r] : replacement ? [replacement] : []));
}

/** The first container of a workload fixture, for edits. */
export function firstContainer(d: DeploymentProps): Container {
  return d.spec!.template.spec!.containers[0];
}
