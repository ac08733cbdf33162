import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  appliesTo,
  asArray,
  asRecord,
  asString,
  at,
  connectorOf,
  declaredTopics,
  httpSinkOf,
  metadataName,
  metadataNamespace,
  parseInteger,
  recognised,
  sameNamespace,
  selects,
  settings,
  shown,
  stringMap,
  TYPES,
  Workload,
  workloadOf,
} from "./util";

// Policies that need to see several resources at once: a connector and its topics or quota, a
// workload and the objects that select it.

// ---------------------------------------------------------------------------------------------
// http-sink-egress-rate-limit
// ---------------------------------------------------------------------------------------------

interface EgressConfig {
  maxConsumerByteRate: number;
  maxTasksWithoutQuota: number;
  maxBatchSizeWithoutQuota: number;
  maxPollRecordsWithoutQuota: number;
}

const egressSettings = settings<EgressConfig>({
  maxConsumerByteRate: {
    type: "integer",
    minimum: 1,
    default: 52_428_800,
    description: "Highest `consumer_byte_rate` of a sink's quota, bytes per second.",
  },
  maxTasksWithoutQuota: {
    type: "integer",
    minimum: 1,
    default: 4,
    description: "Highest `tasks.max` of a sink without a quota.",
  },
  maxBatchSizeWithoutQuota: {
    type: "integer",
    minimum: 1,
    default: 500,
    description: "Highest `batch.max.size` / `camel.aggregation.size` of a sink without a quota.",
  },
  maxPollRecordsWithoutQuota: {
    type: "integer",
    minimum: 1,
    default: 500,
    description: "Highest `consumer.override.max.poll.records` of a sink without a quota.",
  },
});

interface Quota {
  readonly resource: PolicyResource;
  readonly entityType: string | undefined;
  readonly entityName: string | undefined;
  readonly consumerByteRate: string | undefined;
}

/**
 * The quota that bounds a client id's consumption, as Kafka resolves it: the client id's own
 * `consumer_byte_rate`, else the default client-id quota's.
 */
function consumerQuota(quotas: readonly Quota[], clientId: string | undefined): Quota | undefined {
  const withRate = quotas.filter(
    (q) => q.entityType === "client-id" && q.consumerByteRate !== undefined,
  );
  return (
    (clientId !== undefined ? withRate.find((q) => q.entityName === clientId) : undefined) ??
    withRate.find((q) => !q.entityName)
  );
}

export const httpSinkEgressRateLimit: StackValidationPolicy = {
  name: "http-sink-egress-rate-limit",
  description:
    "Checks that every HTTP sink's traffic to its provider is bounded, by a Kafka quota on its consumer client id or by small `tasks.max`, batch and poll sizes.",
  configSchema: egressSettings.schema,
  validateStack: (args, reportViolation) => {
    const c = egressSettings.read(args);
    const quotas: Quota[] = args.resources
      .filter((r) => r.type === TYPES.quota)
      .map((r) => ({
        resource: r,
        entityType: asString(r.props.entityType),
        entityName: asString(r.props.entityName),
        consumerByteRate: stringMap(r.props.config)["consumer_byte_rate"],
      }));

    for (const [sink, resource] of recognised(args.resources, httpSinkOf)) {
      const clientId = sink.config["consumer.override.client.id"];
      const quota = consumerQuota(quotas, clientId);
      if (quota) {
        const rate = parseInteger(quota.consumerByteRate);
        if (rate === undefined || rate < 1 || rate > c.maxConsumerByteRate) {
          reportViolation(
            `\`consumer_byte_rate\` is ${shown(quota.consumerByteRate)} on the quota of client id ${shown(quota.entityName ?? "(default)")} ` +
              `that bounds connector ${sink.name}; it must be between 1 and ${c.maxConsumerByteRate} bytes per second, ` +
              `or the sink can send faster than the analytics provider accepts.`,
            quota.resource.urn,
          );
        }
        continue;
      }

      const batchKey = sink.flavour === "camel" ? "camel.aggregation.size" : "batch.max.size";
      const bounds: [key: string, connectorDefault: string, max: number][] = [
        ["tasks.max", "1", c.maxTasksWithoutQuota],
        [batchKey, "1", c.maxBatchSizeWithoutQuota],
        ["consumer.override.max.poll.records", "500", c.maxPollRecordsWithoutQuota],
      ];
      const exceeded = bounds
        .filter(([key, connectorDefault, max]) => {
          const value = parseInteger(sink.config[key] ?? connectorDefault);
          return value === undefined || value > max;
        })
        .map(([key, , max]) => `\`${key}\` is ${shown(sink.config[key])} (at most ${max})`);
      if (exceeded.length === 0) continue;
      const consumer =
        clientId !== undefined
          ? `no Kafka quota bounds its consumer client id "${clientId}" (\`consumer.override.client.id\`)`
          : "it sets no `consumer.override.client.id`, so no Kafka quota bounds its consumer";
      reportViolation(
        `Connector ${sink.name}: ${consumer}, and without one ${exceeded.join(" and ")}; ` +
          `declare a kafka Quota (entityType client-id, \`consumer_byte_rate\`) for that client id or lower the settings, ` +
          `or the sink can send faster than the analytics provider's rate limit.`,
        resource.urn,
      );
    }
  },
};

// ---------------------------------------------------------------------------------------------
// connector-topics-declared, connector-dead-letter-topic-declared
// ---------------------------------------------------------------------------------------------

interface TopicsConfig {
  externalTopics: string[];
}

const topicsSettings = settings<TopicsConfig>({
  externalTopics: {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "Topics managed outside this stack that connectors may name.",
  },
});

export const connectorTopicsDeclared: StackValidationPolicy = {
  name: "connector-topics-declared",
  description:
    "Checks that every topic a sink connector reads (`topics`, `topics.regex`) is declared as a Kafka topic in the stack.",
  configSchema: topicsSettings.schema,
  validateStack: (args, reportViolation) => {
    const c = topicsSettings.read(args);
    const declared = declaredTopics(args.resources);
    const known = (topic: string) => declared.has(topic) || c.externalTopics.includes(topic);
    const consequence =
      "or the sink reads a topic whose durability this stack does not control, or none at all.";

    for (const [connector, resource] of recognised(args.resources, connectorOf)) {
      const topics = connector.config["topics"];
      if (topics !== undefined) {
        for (const topic of topics.split(",").map((t) => t.trim())) {
          if (topic !== "" && !known(topic)) {
            reportViolation(
              `\`topics\` of connector ${connector.name} names "${topic}", which no kafka Topic in this stack declares; ` +
                `declare it or fix the name, ${consequence}`,
              resource.urn,
            );
          }
        }
        continue;
      }
      const regex = connector.config["topics.regex"];
      if (regex !== undefined) {
        let re: RegExp | undefined;
        try {
          re = new RegExp(`^(?:${regex})$`);
        } catch {
          re = undefined;
        }
        if (!re || ![...declared.keys(), ...c.externalTopics].some((t) => re.test(t))) {
          reportViolation(
            `\`topics.regex\` is ${shown(regex)} on connector ${connector.name} and matches no kafka Topic in this stack; ` +
              `declare the topics or fix the pattern, ${consequence}`,
            resource.urn,
          );
        }
      }
    }
  },
};

export const connectorDeadLetterTopicDeclared: StackValidationPolicy = {
  name: "connector-dead-letter-topic-declared",
  description:
    "Checks that the dead-letter topic of every connector (`errors.deadletterqueue.topic.name`) is declared as a Kafka topic in the stack.",
  configSchema: topicsSettings.schema,
  validateStack: (args, reportViolation) => {
    const c = topicsSettings.read(args);
    const declared = declaredTopics(args.resources);
    for (const [connector, resource] of recognised(args.resources, connectorOf)) {
      const topic = connector.config["errors.deadletterqueue.topic.name"];
      if (topic && !declared.has(topic) && !c.externalTopics.includes(topic)) {
        reportViolation(
          `\`errors.deadletterqueue.topic.name\` is "${topic}" on connector ${connector.name}, but no kafka Topic in this stack declares it; ` +
            `declare it, or the worker creates it on the first failed event with broker defaults for retention and durability.`,
          resource.urn,
        );
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// connect-internal-topics-compacted
// ---------------------------------------------------------------------------------------------

interface InternalTopicsConfig {
  internalTopicSuffixes: string[];
}

const internalTopicsSettings = settings<InternalTopicsConfig>({
  internalTopicSuffixes: {
    type: "array",
    items: { type: "string" },
    default: ["connect-configs", "connect-offsets", "connect-status"],
    description: "Name endings that mark a topic as a Connect internal topic.",
  },
});

const INTERNAL_TOPIC_ENV = {
  CONNECT_CONFIG_STORAGE_TOPIC: "connector configs",
  CONNECT_OFFSET_STORAGE_TOPIC: "sink offsets",
  CONNECT_STATUS_STORAGE_TOPIC: "connector status",
} as const;

export const connectInternalTopicsCompacted: StackValidationPolicy = {
  name: "connect-internal-topics-compacted",
  description:
    "Checks that Kafka Connect's config, offset and status topics are declared in the stack with `cleanup.policy` compact.",
  configSchema: internalTopicsSettings.schema,
  validateStack: (args, reportViolation) => {
    const c = internalTopicsSettings.read(args);
    const declared = declaredTopics(args.resources);
    const rule =
      'it must be "compact", or Kafka deletes connector configs and offsets after `retention.ms` and sinks re-send or skip events.';
    const seen = new Set<string>();

    for (const [workload, resource] of recognised(args.resources, workloadOf)) {
      for (const container of workload.containers) {
        for (const [variable, holds] of Object.entries(INTERNAL_TOPIC_ENV)) {
          const topic = container.env[variable];
          if (topic === undefined || seen.has(topic)) continue; // unset, or not readable here
          seen.add(topic);
          const declaration = declared.get(topic);
          if (!declaration) {
            reportViolation(
              `Topic ${topic} (\`${variable}\` of ${workload.label}, which holds ${holds}) is not declared in this stack; ` +
                `declare it with \`cleanup.policy\` "compact", so that its durability is set here and not by the worker's auto-creation.`,
              resource.urn,
            );
          } else {
            checkCompacted(topic, declaration);
          }
        }
      }
    }
    for (const [topic, declaration] of declared) {
      if (!seen.has(topic) && c.internalTopicSuffixes.some((s) => topic.endsWith(s))) {
        seen.add(topic);
        checkCompacted(topic, declaration);
      }
    }

    function checkCompacted(topic: string, declaration: PolicyResource) {
      const cleanup = stringMap(declaration.props.config)["cleanup.policy"];
      if (cleanup !== "compact") {
        reportViolation(
          `\`cleanup.policy\` is ${shown(cleanup, "broker default delete")} on topic ${topic}, a Kafka Connect internal topic; ${rule}`,
          declaration.urn,
        );
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// rest-proxy-rate-limit
// ---------------------------------------------------------------------------------------------

interface RateLimitConfig {
  appNames: string[];
  maxPermitsPerSecond: number;
}

const rateLimitSettings = settings<RateLimitConfig>({
  appNames: {
    type: "array",
    items: { type: "string" },
    default: ["rest-proxy"],
    description: "`app.kubernetes.io/name` of the REST Proxy workloads.",
  },
  maxPermitsPerSecond: {
    type: "integer",
    minimum: 1,
    default: 1000,
    description:
      "Highest `KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC` (per pod) and `nginx.ingress.kubernetes.io/limit-rps` (per client).",
  },
});

const LIMIT_RPS = "nginx.ingress.kubernetes.io/limit-rps";
const LIMIT_ENABLE = "KAFKA_REST_RATE_LIMIT_ENABLE";
const LIMIT_PERMITS = "KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC";

/** The Ingresses that send traffic to a workload, through a Service that selects its pods. */
function ingressesRoutingTo(
  workload: Workload,
  resources: readonly PolicyResource[],
): PolicyResource[] {
  const services = resources.filter((r) => r.type === TYPES.service);
  const reaches = (ingress: PolicyResource, serviceName: string) => {
    const service = services.find(
      (s) =>
        metadataName(s) === serviceName &&
        sameNamespace(metadataNamespace(s), metadataNamespace(ingress)),
    );
    return service
      ? selects({ matchLabels: at(service.props, ["spec", "selector"]) }, workload.podLabels)
      : serviceName === workload.name;
  };
  return resources.filter((r) => {
    if (r.type !== TYPES.ingress || !sameNamespace(metadataNamespace(r), workload.namespace)) {
      return false;
    }
    const backends = [
      at(r.props, ["spec", "defaultBackend", "service", "name"]),
      ...asArray(at(r.props, ["spec", "rules"])).flatMap((rule) =>
        asArray(at(rule, ["http", "paths"])).map((p) => at(p, ["backend", "service", "name"])),
      ),
    ];
    return backends.some((name) => typeof name === "string" && reaches(r, name));
  });
}

export const restProxyRateLimit: StackValidationPolicy = {
  name: "rest-proxy-rate-limit",
  description:
    "Checks that the REST Proxy limits its request rate, with its own limiter or, for the Strimzi bridge, which has none, at the Ingress.",
  configSchema: rateLimitSettings.schema,
  validateStack: (args, reportViolation) => {
    const c = rateLimitSettings.read(args);
    const flood = "or one client can flood Kafka through the proxy.";

    for (const [workload, resource] of recognised(args.resources, workloadOf)) {
      if (!appliesTo(workload, c.appNames)) continue;
      const container = workload.containers.find((x) => !x.init);
      if (!container) continue;
      const where = `container \`${container.name}\` of ${workload.label}`;
      const confluent =
        Object.keys(container.env).some((k) => k.startsWith("KAFKA_REST_")) ||
        /kafka-rest/.test(container.image ?? "");

      // A variable that is set but not readable here (a reference, or unknown) is left alone.
      const env = container.env;
      const readable = (name: string) => !(name in env) || env[name] !== undefined;
      if (confluent && readable(LIMIT_ENABLE) && readable(LIMIT_PERMITS)) {
        const enabled = env[LIMIT_ENABLE];
        const permits = env[LIMIT_PERMITS];
        const perSecond = parseInteger(permits ?? "50");
        if (enabled !== "true") {
          reportViolation(
            `\`${LIMIT_ENABLE}\` is ${shown(enabled, "REST Proxy default false")} on ${where}; it must be "true", ${flood}`,
            resource.urn,
          );
        } else if (perSecond === undefined || perSecond < 1 || perSecond > c.maxPermitsPerSecond) {
          reportViolation(
            `\`${LIMIT_PERMITS}\` is ${shown(permits)} on ${where}; ` +
              `it must be between 1 and ${c.maxPermitsPerSecond} requests per second per pod, ${flood}`,
            resource.urn,
          );
        }
      }

      const ingresses = ingressesRoutingTo(workload, args.resources);
      for (const ingress of ingresses) {
        const rps = stringMap(at(ingress.props, ["metadata", "annotations"]))[LIMIT_RPS];
        const ingressLabel = `Ingress ${metadataName(ingress)}, which routes to ${workload.label}`;
        if (rps === undefined) {
          if (!confluent) {
            reportViolation(
              `\`${LIMIT_RPS}\` is unset on ${ingressLabel} (image ${shown(container.image)}, no rate limiter of its own); ` +
                `it must be between 1 and ${c.maxPermitsPerSecond}, ${flood}`,
              ingress.urn,
            );
          }
          continue;
        }
        const value = parseInteger(rps);
        if (value === undefined || value < 1 || value > c.maxPermitsPerSecond) {
          reportViolation(
            `\`${LIMIT_RPS}\` is ${shown(rps)} on ${ingressLabel}; it must be between 1 and ${c.maxPermitsPerSecond}, ${flood}`,
            ingress.urn,
          );
        }
      }
      if (!confluent && ingresses.length === 0) {
        reportViolation(
          `${workload.label} runs ${shown(container.image)}, which has no rate limiter of its own, and no Ingress with \`${LIMIT_RPS}\` routes to it; ` +
            `route it through one (at most ${c.maxPermitsPerSecond} requests per second per client), ${flood}`,
          resource.urn,
        );
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// k8s-high-availability
// ---------------------------------------------------------------------------------------------

interface AvailabilityConfig {
  appNames: string[];
  minReplicas: number;
}

const availabilitySettings = settings<AvailabilityConfig>({
  appNames: {
    type: "array",
    items: { type: "string" },
    default: ["rest-proxy", "kafka-connect"],
    description: "`app.kubernetes.io/name` of the workloads to check; empty checks every workload.",
  },
  minReplicas: {
    type: "integer",
    minimum: 1,
    default: 2,
    description: "Fewest replicas of each workload.",
  },
});

const REPLICATED_TYPES: readonly string[] = [TYPES.deployment, "kubernetes:apps/v1:StatefulSet"];

/** Why a PodDisruptionBudget allows no voluntary eviction at all, if it does not. */
function blocksEvictions(pdb: PolicyResource, replicas: number): string | undefined {
  const maxUnavailable = asString(at(pdb.props, ["spec", "maxUnavailable"]));
  const minAvailable = asString(at(pdb.props, ["spec", "minAvailable"]));
  if (maxUnavailable === "0" || maxUnavailable === "0%") {
    return `\`maxUnavailable\` ${maxUnavailable}`;
  }
  const min = parseInteger(minAvailable);
  if (minAvailable === "100%" || (min !== undefined && min >= replicas)) {
    return `\`minAvailable\` ${minAvailable} with ${replicas} replicas`;
  }
  return undefined;
}

export const k8sHighAvailability: StackValidationPolicy = {
  name: "k8s-high-availability",
  description:
    "Checks that the REST Proxy and Connect run enough replicas, with a PodDisruptionBudget that selects them and still lets nodes drain.",
  configSchema: availabilitySettings.schema,
  validateStack: (args, reportViolation) => {
    const c = availabilitySettings.read(args);
    const pdbs = args.resources.filter((r) => r.type === TYPES.podDisruptionBudget);

    for (const [workload, resource] of recognised(args.resources, workloadOf)) {
      if (!REPLICATED_TYPES.includes(resource.type) || !appliesTo(workload, c.appNames)) continue;
      const replicas = parseInteger(asString(workload.replicas) ?? "1");
      if (replicas === undefined || replicas < c.minReplicas) {
        reportViolation(
          `\`spec.replicas\` is ${shown(workload.replicas, "Kubernetes default 1")} on ${workload.label}; ` +
            `it must be at least ${c.minReplicas}, or a node drain or one crash takes it offline.`,
          resource.urn,
        );
      }
      const selecting = pdbs.filter(
        (p) =>
          sameNamespace(metadataNamespace(p), workload.namespace) &&
          selects(at(p.props, ["spec", "selector"]), workload.podLabels),
      );
      if (selecting.length === 0) {
        reportViolation(
          `No PodDisruptionBudget selects the pods of ${workload.label}; declare one (for example \`maxUnavailable: 1\`), ` +
            `or a node drain can evict every replica at once.`,
          resource.urn,
        );
      }
      for (const pdb of selecting) {
        const blocked = blocksEvictions(pdb, replicas ?? 1);
        if (blocked) {
          reportViolation(
            `PodDisruptionBudget ${metadataName(pdb)} allows no voluntary eviction of the pods of ${workload.label} (${blocked}); ` +
              `it must allow at least one, or node drains and cluster upgrades hang.`,
            pdb.urn,
          );
        }
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// connect-rest-network-policy
// ---------------------------------------------------------------------------------------------

interface NetworkPolicyConfig {
  appNames: string[];
}

const networkPolicySettings = settings<NetworkPolicyConfig>({
  appNames: {
    type: "array",
    items: { type: "string" },
    default: ["kafka-connect"],
    description: "`app.kubernetes.io/name` of the Connect workloads.",
  },
});

/** Why an ingress rule admits every source, if it does. */
function admitsEverything(rule: unknown): string | undefined {
  const from = asArray(asRecord(rule)?.from);
  if (from.length === 0) return "an ingress rule without `from`";
  for (const peer of from) {
    const cidr = asString(at(peer, ["ipBlock", "cidr"]));
    if (cidr === "0.0.0.0/0" || cidr === "::/0") return `\`ipBlock\` ${cidr}`;
    const namespaces = asRecord(at(peer, ["namespaceSelector"]));
    if (namespaces && Object.keys(namespaces).length === 0 && !at(peer, ["podSelector"])) {
      return "an empty `namespaceSelector` (every pod of every namespace)";
    }
  }
  return undefined;
}

export const connectRestNetworkPolicy: StackValidationPolicy = {
  name: "connect-rest-network-policy",
  description:
    "Checks that a NetworkPolicy restricts who can reach the Kafka Connect REST API, which creates connectors and returns their config.",
  configSchema: networkPolicySettings.schema,
  validateStack: (args, reportViolation) => {
    const c = networkPolicySettings.read(args);
    const policies = args.resources.filter((r) => r.type === TYPES.networkPolicy);

    for (const [workload, resource] of recognised(args.resources, workloadOf)) {
      if (!appliesTo(workload, c.appNames)) continue;
      const governing = policies.filter((p) => {
        const types = asArray(at(p.props, ["spec", "policyTypes"]));
        // Without policyTypes, a NetworkPolicy always governs ingress.
        return (
          (types.length === 0 || types.includes("Ingress")) &&
          sameNamespace(metadataNamespace(p), workload.namespace) &&
          selects(at(p.props, ["spec", "podSelector"]), workload.podLabels)
        );
      });
      if (governing.length === 0) {
        reportViolation(
          `No NetworkPolicy restricts ingress to the pods of ${workload.label}; declare one that admits only the workers and the deployer, ` +
            `or anything in the cluster can create connectors and read their config through the Connect REST API.`,
          resource.urn,
        );
      }
      for (const policy of governing) {
        for (const rule of asArray(at(policy.props, ["spec", "ingress"]))) {
          const open = admitsEverything(rule);
          if (open) {
            reportViolation(
              `NetworkPolicy ${metadataName(policy)} admits every source to the pods of ${workload.label} (${open}); ` +
                `it must admit only the workers and the deployer, or anything can reach the Connect REST API.`,
              policy.urn,
            );
          }
        }
      }
    }
  },
};

export const stackPolicies = [
  httpSinkEgressRateLimit,
  connectorTopicsDeclared,
  connectorDeadLetterTopicDeclared,
  connectInternalTopicsCompacted,
  restProxyRateLimit,
  k8sHighAvailability,
  connectRestNetworkPolicy,
];
