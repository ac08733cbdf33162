import { z } from "zod";
import { RATE_LIMITED_CLASSES } from "../components/sinkRateLimit";
import {
  bool,
  cpu,
  desiredState,
  hostPort,
  httpUrl,
  secretsDirectory,
  imageRef,
  int,
  json,
  memory,
  nonEmpty,
  oneOf,
  secretRef,
  slug,
  topicName,
} from "./fields";
import { checkKubernetes, ingressHost } from "./kubernetes";
import { checkOffsetJobs, redriveShape, replayShape } from "./offsetJobs";
import { PRESET_NAMES, checkPreset, withPresetDefaults } from "./presets";
import { checkObservability, observabilityShape } from "./observability";
import { caCertificate, checkSecurity, kafkaPrincipalSchema, kubernetesName } from "./security";

/**
 * Typed stack configuration.
 *
 * Every setting is a flat key of the `tracking-pipeline` namespace, declared with its type,
 * default and description in `Pulumi.yaml`; `destinations` is the one structured key (Pulumi's
 * project config has no object type). Values arrive from the engine as strings, so non-string
 * settings are parsed as JSON first and then checked by the schema below; the schema's defaults
 * are the same as Pulumi.yaml's (a unit test keeps the two in step).
 */

/** A positive rate a second, fractions allowed (`0.5` is one request every two seconds). */
const rate = z
  .number({ error: "must be a number of requests or events a second above 0" })
  .positive({ error: "must be a number of requests or events a second above 0" })
  .max(1_000_000, { error: "must be at most 1000000 a second" });

export const authSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("none") }).strict(),
    z
      .object({
        type: z.literal("basic"),
        username: nonEmpty,
        /** Config key holding the password. */
        passwordSecret: secretRef,
      })
      .strict(),
    z
      .object({
        type: z.literal("oauth2"),
        tokenUrl: httpUrl,
        clientId: nonEmpty,
        /** Config key holding the client secret. */
        clientSecretSecret: secretRef,
        scope: z.string().optional(),
        clientAuthMode: oneOf(["header", "url"]).default("header"),
      })
      .strict(),
  ],
  { error: 'must have `type` "none", "basic" or "oauth2"' },
);

const destinationShape = z
  .object({
    name: slug,
    /** An analytics API whose URL, envelope, limits and id member fill the defaults below. */
    preset: oneOf(PRESET_NAMES).optional(),
    /** The preset's region (data residency), e.g. `us` or `eu`. */
    region: nonEmpty.optional(),
    /** Config key of the API key a preset puts where its API wants it (body or basic auth). */
    apiKeySecret: secretRef.optional(),
    url: httpUrl,
    method: oneOf(["POST", "PUT", "PATCH"]).default("POST"),
    topics: z.array(topicName).min(1, { error: "must list at least one topic" }),
    /** `tracking` is the project's own HTTP sink (connectors/http-sink); `local` an alias of it. */
    connectorClass: oneOf(["tracking", "confluent", "camel", "local"]).default("tracking"),
    tasksMax: int(1, 64).default(3),
    state: desiredState,
    batching: z
      .object({
        maxSize: int(1, 5000).default(500),
        prefix: z.string().default("["),
        suffix: z.string().default("]"),
        separator: z.string().default(","),
        jsonArray: bool.default(false),
        /** Most bytes of one request body (class `tracking`); 0 for no limit. */
        maxBytes: int(0, 1_000_000_000).default(0),
        /** An object body: the events in `eventsField`, the API key in `secretField`. */
        envelope: z
          .object({ eventsField: nonEmpty, secretField: nonEmpty.optional() })
          .strict()
          .optional(),
        /** Camel only: how long the aggregator waits for a batch to fill. */
        timeoutMs: int(1, 600_000).default(1000),
      })
      .strict()
      .prefault({}),
    retries: z
      .object({
        maxRetries: int(0, 100).default(10),
        backoffMs: int(0, 3_600_000).default(3000),
        backoffPolicy: oneOf(["constant", "exponential-with-jitter"]).default(
          "exponential-with-jitter",
        ),
        retryOnStatusCodes: z
          .string()
          .regex(/^\s*\d{3}(-(\d{3})?)?(\s*,\s*\d{3}(-(\d{3})?)?)*\s*$/, {
            error: 'must be status codes or ranges such as "429,500-" or "408,429,500-599"',
          })
          .default("408,429,500-"),
      })
      .strict()
      .prefault({}),
    timeouts: z
      .object({
        connectMs: int(1, 600_000).default(30_000),
        requestMs: int(1, 600_000).default(30_000),
      })
      .strict()
      .prefault({}),
    behaviorOnError: oneOf(["fail", "log", "ignore"]).default("fail"),
    behaviorOnNullValues: oneOf(["ignore", "delete", "fail"]).default("ignore"),
    auth: authSchema.prefault({ type: "none" }),
    headers: z.record(z.string(), z.string()).default({}),
    /** Header name to the config key of its secret value (API keys, tokens). */
    secretHeaders: z.record(z.string(), secretRef).default({}),
    errors: z
      .object({
        tolerance: oneOf(["none", "all"]).default("all"),
        deadLetterTopic: bool.default(true),
        contextHeaders: bool.default(true),
        retryTimeoutMs: int(0, 86_400_000).default(300_000),
        retryDelayMaxMs: int(0, 3_600_000).default(60_000),
      })
      .strict()
      .prefault({}),
    reporter: z
      .object({ enabled: bool.default(false) })
      .strict()
      .prefault({}),
    consumerOverrides: z.record(z.string(), z.string()).default({}),
    rateLimit: z
      .object({
        /** Kafka client quota on the connector's consumer, bytes per second. */
        consumerByteRate: int(1024, 2_000_000_000).optional(),
        maxPollRecords: int(1, 100_000).default(500),
        /** Most HTTP requests a second for the whole connector (class `tracking`). */
        requestsPerSecond: rate.optional(),
        /** Most events a second for the whole connector (class `tracking`). */
        eventsPerSecond: rate.optional(),
      })
      .strict()
      .prefault({}),
    /** The event's id copied where the destination deduplicates on it (class `tracking`). */
    eventId: z
      .object({ field: nonEmpty.default("id"), target: nonEmpty.optional() })
      .strict()
      .prefault({}),
    /** The sink's own Kafka principal; defaults to the Connect workers'. */
    kafkaPrincipal: kafkaPrincipalSchema.optional(),
    /** Send again what the topics received since `from`, once per `id` (config/offsetJobs.ts). */
    replay: replayShape.optional(),
    /** Send the dead-letter topic's records back once per `id` (config/offsetJobs.ts). */
    redrive: redriveShape.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    checkPreset(d, ctx);
    checkOffsetJobs(d, ctx);
    if (d.reporter.enabled && (d.connectorClass === "tracking" || d.connectorClass === "local")) {
      ctx.addIssue({
        code: "custom",
        path: ["reporter", "enabled"],
        input: true,
        message: `is true, but reporter topics are written by Confluent's connector only; connectorClass "${d.connectorClass}" sends refused requests to the dead-letter topic instead. Disable the reporter or set connectorClass "confluent"`,
      });
    }
    for (const key of ["requestsPerSecond", "eventsPerSecond"] as const) {
      if (d.rateLimit[key] !== undefined && !RATE_LIMITED_CLASSES.includes(d.connectorClass)) {
        ctx.addIssue({
          code: "custom",
          path: ["rateLimit", key],
          input: d.rateLimit[key],
          message: `is kept only by connectorClass "tracking" (our connector shares it exactly across its tasks); "${d.connectorClass}" has no request limit: remove it, or bound bytes with \`rateLimit.consumerByteRate\``,
        });
      }
    }
    if (d.connectorClass === "camel" && d.auth.type === "oauth2") {
      ctx.addIssue({
        code: "custom",
        path: ["auth", "type"],
        input: d.auth.type,
        message:
          'is "oauth2", which the camel connector class does not support; use "basic", "none" or connectorClass "confluent"',
      });
    }
    if (d.errors.tolerance === "all" && !d.errors.deadLetterTopic) {
      ctx.addIssue({
        code: "custom",
        path: ["errors", "deadLetterTopic"],
        input: false,
        message:
          'must be true when `errors.tolerance` is "all", or failed events would be silently dropped',
      });
    }
  });

/** A destination, its preset's defaults filled first (platform/research/destination-presets.md). */
export const destinationSchema = z.preprocess(withPresetDefaults, destinationShape);

export const stackConfigSchema = z
  .object({
    environment: z.union([z.literal(""), slug]).default(""),
    kafkaBootstrapServers: json(
      z
        .array(hostPort, { error: 'must list at least one "host:port"' })
        .min(1, { error: 'must list at least one "host:port"' }),
    ),
    kafkaTls: json(bool).default(false),
    kafkaSaslMechanism: oneOf(["none", "plain", "scram-sha256", "scram-sha512"]).default("none"),
    kafkaSaslUsername: z.string().default(""),
    kafkaTlsCaCertificate: caCertificate.default(""),
    kafkaRestProxyUsername: z.string().default(""),
    kafkaConnectUsername: z.string().default(""),
    kafkaManageUsers: json(bool).default(false),
    kafkaManageAcls: json(bool).default(false),

    topics: json(z.array(slug).min(1, { error: "must list at least one topic" })).default([
      "tracking",
    ]),
    topicPartitions: json(int(1, 1000)).default(6),
    topicReplicationFactor: json(int(1, 7)).default(3),
    topicMinInsyncReplicas: json(int(1, 7)).default(2),
    topicRetentionMs: json(int(60_000, 31_536_000_000)).default(604_800_000),
    topicCleanupPolicy: oneOf(["delete", "compact", "compact,delete"]).default("delete"),
    topicCompressionType: oneOf([
      "producer",
      "zstd",
      "lz4",
      "snappy",
      "gzip",
      "uncompressed",
    ]).default("producer"),
    topicMaxMessageBytes: json(int(1024, 104_857_600)).default(1_048_588),
    deadLetterRetentionMs: json(int(60_000, 31_536_000_000)).default(1_209_600_000),
    protectTopics: json(bool).default(true),

    kubernetesEnabled: json(bool).default(true),
    kubernetesNamespace: slug.default("tracking"),
    kubernetesRenderDirectory: z.string().default(""),
    kubernetesKubeconfig: z.string().default(""),
    kubernetesSkipAwait: json(bool).default(false),

    restProxyUrl: z.union([z.literal(""), httpUrl]).default(""),
    restProxyImplementation: oneOf(["confluent", "strimzi"]).default("confluent"),
    restProxyImage: z.union([z.literal(""), imageRef]).default(""),
    restProxyReplicas: json(int(1, 50)).default(2),
    restProxyMaxReplicas: json(int(1, 100)).default(6),
    restProxyCorsOrigins: json(z.array(nonEmpty)).default([]),
    restProxyRateLimitEnabled: json(bool).default(true),
    restProxyRateLimitPermitsPerSecond: json(int(1, 1_000_000)).default(50),
    restProxyRateLimitTimeoutMs: json(int(0, 60_000)).default(0),
    restProxyProduceRateLimitEnabled: json(bool).default(true),
    restProxyProduceMaxRequestsPerSecond: json(int(1, 1_000_000)).default(10_000),
    restProxyProduceMaxBytesPerSecond: json(int(1024, 2_000_000_000)).default(10_485_760),
    restProxyIngressHost: z.union([z.literal(""), ingressHost]).default(""),
    restProxyIngressClassName: kubernetesName.default("nginx"),
    restProxyIngressTlsSecret: z.union([z.literal(""), kubernetesName]).default(""),
    restProxyIngressCertManagerIssuer: z.union([z.literal(""), kubernetesName]).default(""),
    restProxyCpuRequest: cpu.default("250m"),
    restProxyMemoryRequest: memory.default("512Mi"),
    restProxyMemoryLimit: memory.default("1Gi"),

    connectUrl: z.union([z.literal(""), httpUrl]).default(""),
    connectReplicas: json(int(1, 50)).default(2),
    connectGroupId: z.string().default(""),
    connectImage: imageRef.default("confluentinc/cp-kafka-connect:7.9.1"),
    connectImageBuild: json(bool).default(false),
    connectImageRegistry: z.string().default(""),
    connectHttpSinkVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, { error: 'must be a version such as "1.7.6"' })
      .default("1.7.6"),
    connectAllowedCidrs: json(z.array(z.cidrv4({ error: "must list IPv4 CIDRs" }))).default([]),
    connectBasicAuthUsername: z.string().default(""),
    connectSecretsDirectory: secretsDirectory.default(""),
    connectHeapMax: z
      .string()
      .regex(/^\d+[mMgG]$/, { error: 'must be a JVM heap size such as "768m" or "2g"' })
      .default("1g"),
    connectCpuRequest: cpu.default("500m"),
    connectMemoryRequest: memory.default("1536Mi"),
    connectMemoryLimit: memory.default("2Gi"),
    connectInternalTopicReplicationFactor: json(int(1, 7)).default(3),

    ...observabilityShape,

    destinations: json(z.array(destinationSchema)).default([]),
  })
  .superRefine((c, ctx) => {
    checkSecurity(c, ctx);
    checkKubernetes(c, ctx);
    checkObservability(c, ctx);
    if (c.topicMinInsyncReplicas > c.topicReplicationFactor) {
      ctx.addIssue({
        code: "custom",
        path: ["topicMinInsyncReplicas"],
        input: c.topicMinInsyncReplicas,
        message: `must not exceed \`topicReplicationFactor\` (${c.topicReplicationFactor}), or producers with acks=all are refused`,
      });
    }
    if (!c.kubernetesEnabled && c.connectUrl === "") {
      ctx.addIssue({
        code: "custom",
        path: ["connectUrl"],
        input: c.connectUrl,
        message:
          "must be set when `kubernetesEnabled` is false: the connectors need an existing Connect REST API",
      });
    }
    if (c.connectSecretsDirectory !== "" && c.kubernetesEnabled && c.connectUrl === "") {
      ctx.addIssue({
        code: "custom",
        path: ["connectSecretsDirectory"],
        input: c.connectSecretsDirectory,
        message:
          "is a folder of a Connect worker outside Kubernetes, but the connectors run on the stack's own Connect pods, which read their secrets from the mounted Secret; remove it, or set `connectUrl` to that worker",
      });
    }
    if (c.connectImageBuild && c.connectImageRegistry === "") {
      ctx.addIssue({
        code: "custom",
        path: ["connectImageRegistry"],
        input: c.connectImageRegistry,
        message: "must be set when `connectImageBuild` is true: the built image is pushed there",
      });
    }
    if (c.kafkaSaslMechanism !== "none" && c.kafkaSaslUsername === "") {
      ctx.addIssue({
        code: "custom",
        path: ["kafkaSaslUsername"],
        input: c.kafkaSaslUsername,
        message: `must be set when \`kafkaSaslMechanism\` is "${c.kafkaSaslMechanism}"`,
      });
    }
    const seen = new Set<string>();
    c.destinations.forEach((d, i) => {
      if (seen.has(d.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["destinations", i, "name"],
          input: d.name,
          message: "must be unique across destinations",
        });
      }
      seen.add(d.name);
      d.topics.forEach((t, j) => {
        if (!c.topics.includes(t)) {
          ctx.addIssue({
            code: "custom",
            path: ["destinations", i, "topics", j],
            input: t,
            message: `must be one of the stack's \`topics\` (${c.topics.join(", ")})`,
          });
        }
      });
    });
  });

export type StackConfig = z.output<typeof stackConfigSchema>;
export type DestinationConfig = z.output<typeof destinationSchema>;
export type DestinationShape = z.output<typeof destinationShape>;
export type DestinationAuth = z.output<typeof authSchema>;

/** The configuration keys this program reads, in the order the README documents them. */
export const configKeys = Object.keys(stackConfigSchema.shape) as (keyof StackConfig)[];

/** Config keys that hold secrets and are read with `requireSecret`, never as plain values. */
export const secretConfigKeys = [
  "kafkaSaslPassword",
  "kafkaRestProxyPassword",
  "kafkaConnectPassword",
  "connectBasicAuthPassword",
] as const;
