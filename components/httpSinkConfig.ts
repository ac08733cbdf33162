import * as pulumi from "@pulumi/pulumi";
import { SinkKafkaClients, sinkKafkaKeys } from "./sinkKafkaClients";
import { SinkBody, sinkBodyKeys, usesSinkBody } from "./sinkBody";
import { rateLimitKeys, SinkRequestRate } from "./sinkRateLimit";

/*
 * HTTP sink settings, and their mapping to the config keys of each connector class (our own and
 * Confluent's read Confluent's keys; Camel's kamelet has its own): pure, no resource.
 */

/**
 * The connector classes a sink can use. `tracking` is the project's own HTTP sink
 * (`connectors/http-sink`, Apache-2.0), the default: it reads Confluent's keys with their meanings,
 * so it takes the same mapping as `confluent`, and the local platform runs the same build.
 * `local` is an alias of `tracking`, kept so that stack files written for the local platform's
 * former stand-in keep working.
 */
export const CONNECTOR_CLASSES = {
  tracking: "tracking.connect.http.HttpSinkConnector",
  confluent: "io.confluent.connect.http.HttpSinkConnector",
  camel: "org.apache.camel.kafkaconnector.httpsink.CamelHttpsinkSinkConnector",
  local: "tracking.connect.http.HttpSinkConnector",
} as const;

/** The class a destination uses when it names none. */
export const DEFAULT_CONNECTOR_CLASS = "tracking" satisfies keyof typeof CONNECTOR_CLASSES;

export type ConnectorClassName = keyof typeof CONNECTOR_CLASSES;

const STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

export type HttpSinkAuth =
  | { readonly type: "none" }
  | { readonly type: "basic"; readonly username: string; readonly password: pulumi.Input<string> }
  | {
      readonly type: "oauth2";
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: pulumi.Input<string>;
      /** Defaults to no scope. */
      readonly scope?: string;
      /** How the client credentials reach the token endpoint. Defaults to `header`. */
      readonly clientAuthMode?: "header" | "url";
    };

/** Every delivery setting of an HTTP sink, independent of the connector class. */
export interface HttpSinkSettings {
  /** Connector class. Defaults to `tracking` (the project's own HTTP sink). */
  readonly connectorClass?: ConnectorClassName;
  /** The connector's name on the Connect worker (its identity). */
  readonly connectorName: string;
  /** Full names of the topics to forward. */
  readonly topics: readonly string[];
  /** Destination URL. */
  readonly url: string;
  /** HTTP method. Defaults to `POST`. */
  readonly method?: "POST" | "PUT" | "PATCH";
  /** Defaults to 3. */
  readonly tasksMax?: number;
  readonly batching?: {
    /** Events per request. Defaults to 500. */
    readonly maxSize?: number;
    /** Text before a batch. Defaults to `[`. */
    readonly prefix?: string;
    /** Text after a batch. Defaults to `]`. */
    readonly suffix?: string;
    /** Text between events. Defaults to `,`. */
    readonly separator?: string;
    /** Send a batch as a JSON array (confluent; overrides prefix, suffix and separator). Defaults to false. */
    readonly jsonArray?: boolean;
    /** Camel only: how long a batch may wait to fill, in ms. Defaults to 1000. */
    readonly timeoutMs?: number;
  };
  readonly retries?: {
    /** Defaults to 10. */
    readonly maxRetries?: number;
    /** Defaults to 3000. */
    readonly backoffMs?: number;
    /** Defaults to `exponential-with-jitter`. */
    readonly backoffPolicy?: "constant" | "exponential-with-jitter";
    /** Defaults to `408,429,500-`. */
    readonly retryOnStatusCodes?: string;
  };
  readonly timeouts?: {
    /** Defaults to 30000. */
    readonly connectMs?: number;
    /** Defaults to 30000. */
    readonly requestMs?: number;
  };
  /** What the connector does when a request fails for good. Defaults to `fail`. */
  readonly behaviorOnError?: "fail" | "log" | "ignore";
  /** What it does with a null value. Defaults to `ignore`. */
  readonly behaviorOnNullValues?: "ignore" | "delete" | "fail";
  /** Defaults to `{ type: "none" }`. */
  readonly auth?: HttpSinkAuth;
  /** Plain request headers. Defaults to `Content-Type: application/json`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Secret request headers (API keys, tokens). Defaults to none. */
  readonly secretHeaders?: Readonly<Record<string, pulumi.Input<string>>>;
  readonly errors?: {
    /** `errors.tolerance`. Defaults to `all`. */
    readonly tolerance?: "none" | "all";
    /** Dead-letter topic; required when tolerance is `all`. */
    readonly deadLetterTopic?: string;
    /** Defaults to true. */
    readonly contextHeaders?: boolean;
    /** Defaults to 300000. */
    readonly retryTimeoutMs?: number;
    /** Defaults to 60000. */
    readonly retryDelayMaxMs?: number;
  };
  /** Confluent only: topics that record each request's result. Defaults to none. */
  readonly reporter?: { readonly resultTopic: string; readonly errorTopic: string };
  /** Bootstrap servers for Confluent's licence and reporter topics. */
  readonly kafkaBootstrapServers: readonly string[];
  /** Replication of the licence, reporter and dead-letter topics the connector writes. Defaults to 3. */
  readonly replicationFactor?: number;
  /** Extra `consumer.override.*` settings, without the prefix. Defaults to none. */
  readonly consumerOverrides?: Readonly<Record<string, string>>;
  /** `consumer.override.max.poll.records`. Defaults to 500. */
  readonly maxPollRecords?: number;
  /** The destination's request limits (class `tracking` only). Defaults to none. */
  readonly requestRate?: SinkRequestRate;
  /** TLS and SASL of the sink's own Kafka clients. Defaults to the worker's settings alone. */
  readonly kafka?: SinkKafkaClients;
  /** Envelope, byte limit and id member for analytics APIs (class `tracking` only). */
  readonly body?: SinkBody;
}

/** The connector config map: plain keys, and secret keys that stay Pulumi secrets. */
export interface HttpSinkConfig {
  readonly config: Record<string, string>;
  readonly secretConfig: Record<string, pulumi.Input<string>>;
}

export function sorted<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(map)
      .sort()
      .map((k) => [k, map[k]]),
  );
}

/** The fixed consumer client id of a sink, the entity of its egress quota. */
export function sinkClientId(connectorName: string): string {
  return `${connectorName}-consumer`;
}

function frameworkKeys(s: HttpSinkSettings): Record<string, string> {
  const errors = s.errors ?? {};
  const tolerance = errors.tolerance ?? "all";
  const keys: Record<string, string> = {
    "tasks.max": String(s.tasksMax ?? 3),
    topics: s.topics.join(","),
    "key.converter": STRING_CONVERTER,
    "value.converter": STRING_CONVERTER,
    "errors.tolerance": tolerance,
    "errors.retry.timeout": String(errors.retryTimeoutMs ?? 300_000),
    "errors.retry.delay.max.ms": String(errors.retryDelayMaxMs ?? 60_000),
    "errors.log.enable": "true",
    // Event payloads may carry personal data: never copy them into worker logs.
    "errors.log.include.messages": "false",
    "consumer.override.client.id": sinkClientId(s.connectorName),
    "consumer.override.max.poll.records": String(s.maxPollRecords ?? 500),
  };
  if (errors.deadLetterTopic) {
    keys["errors.deadletterqueue.topic.name"] = errors.deadLetterTopic;
    keys["errors.deadletterqueue.topic.replication.factor"] = String(s.replicationFactor ?? 3);
    keys["errors.deadletterqueue.context.headers.enable"] = String(errors.contextHeaders ?? true);
  }
  for (const [key, value] of Object.entries(s.consumerOverrides ?? {})) {
    keys[`consumer.override.${key}`] = value;
  }
  return keys;
}

/** Confluent's spelling of each auth type. */
const CONFLUENT_AUTH_TYPES: Record<HttpSinkAuth["type"], string> = {
  none: "NONE",
  basic: "BASIC",
  oauth2: "OAUTH2",
};

function confluentConfig(
  s: HttpSinkSettings,
  connectorClass: string = CONNECTOR_CLASSES.confluent,
): HttpSinkConfig {
  const batching = s.batching ?? {};
  const retries = s.retries ?? {};
  const timeouts = s.timeouts ?? {};
  const auth = s.auth ?? { type: "none" };
  const config: Record<string, string> = {
    ...frameworkKeys(s),
    "connector.class": connectorClass,
    "http.api.url": s.url,
    "request.method": s.method ?? "POST",
    "batch.max.size": String(batching.maxSize ?? 500),
    "max.retries": String(retries.maxRetries ?? 10),
    "retry.backoff.ms": String(retries.backoffMs ?? 3000),
    "retry.backoff.policy":
      (retries.backoffPolicy ?? "exponential-with-jitter") === "constant"
        ? "CONSTANT_VALUE"
        : "EXPONENTIAL_WITH_JITTER",
    "retry.on.status.codes": retries.retryOnStatusCodes ?? "408,429,500-",
    "http.connect.timeout.ms": String(timeouts.connectMs ?? 30_000),
    "http.request.timeout.ms": String(timeouts.requestMs ?? 30_000),
    "behavior.on.error": s.behaviorOnError ?? "fail",
    "behavior.on.null.values": s.behaviorOnNullValues ?? "ignore",
    "auth.type": CONFLUENT_AUTH_TYPES[auth.type],
    "confluent.topic.bootstrap.servers": s.kafkaBootstrapServers.join(","),
    "confluent.topic.replication.factor": String(s.replicationFactor ?? 3),
  };
  if (batching.jsonArray) {
    config["request.body.format"] = "json";
    config["batch.json.as.array"] = "true";
  } else {
    config["request.body.format"] = "string";
    config["batch.prefix"] = batching.prefix ?? "[";
    config["batch.suffix"] = batching.suffix ?? "]";
    config["batch.separator"] = batching.separator ?? ",";
  }
  const secretConfig: Record<string, pulumi.Input<string>> = {};
  if (auth.type === "basic") {
    config["connection.user"] = auth.username;
    secretConfig["connection.password"] = auth.password;
  } else if (auth.type === "oauth2") {
    config["oauth2.token.url"] = auth.tokenUrl;
    config["oauth2.client.id"] = auth.clientId;
    config["oauth2.client.auth.mode"] = auth.clientAuthMode ?? "header";
    if (auth.scope) config["oauth2.client.scope"] = auth.scope;
    secretConfig["oauth2.client.secret"] = auth.clientSecret;
  }
  const headers = s.headers ?? { "Content-Type": "application/json" };
  const plainHeaders = Object.entries(headers).map(([k, v]) => `${k}:${v}`);
  const secretHeaders = Object.entries(s.secretHeaders ?? {});
  config["header.separator"] = "|";
  if (secretHeaders.length === 0) {
    config["headers"] = plainHeaders.join("|");
  } else {
    // Confluent takes all headers in one key: with one secret among them, the key is secret.
    secretConfig["headers"] = pulumi
      .all(secretHeaders.map(([k, v]) => pulumi.output(v).apply((value) => `${k}:${value}`)))
      .apply((secret) => [...plainHeaders, ...secret].join("|"));
  }
  if (s.reporter) {
    config["reporter.bootstrap.servers"] = s.kafkaBootstrapServers.join(",");
    config["reporter.result.topic.name"] = s.reporter.resultTopic;
    config["reporter.error.topic.name"] = s.reporter.errorTopic;
    config["reporter.result.topic.replication.factor"] = String(s.replicationFactor ?? 3);
    config["reporter.error.topic.replication.factor"] = String(s.replicationFactor ?? 3);
  }
  return { config: sorted(config), secretConfig: sorted(secretConfig) };
}

function camelConfig(s: HttpSinkSettings): HttpSinkConfig {
  const batching = s.batching ?? {};
  const retries = s.retries ?? {};
  const auth = s.auth ?? { type: "none" };
  if (auth.type === "oauth2") {
    throw new Error(
      '`auth.type` "oauth2" is not supported by the camel connector class; use "basic" or "none", or connectorClass "confluent"',
    );
  }
  const config: Record<string, string> = {
    ...frameworkKeys(s),
    "connector.class": CONNECTOR_CLASSES.camel,
    "camel.kamelet.http-sink.url": s.url,
    "camel.kamelet.http-sink.method": s.method ?? "POST",
    // Camel redelivers a failed exchange itself before Connect's error handling sees it.
    "camel.error.handler": "default",
    "camel.error.handler.max.redeliveries": String(retries.maxRetries ?? 10),
    "camel.error.handler.redelivery.delay": String(retries.backoffMs ?? 3000),
  };
  const maxSize = batching.maxSize ?? 500;
  if (maxSize > 1) {
    config["camel.beans.aggregate"] =
      "#class:org.apache.camel.kafkaconnector.aggregator.StringAggregator";
    config["camel.aggregation.size"] = String(maxSize);
    config["camel.aggregation.timeout"] = String(batching.timeoutMs ?? 1000);
  }
  // Camel turns Kafka headers named CamelHeader.X into HTTP header X; InsertHeader adds them.
  const secretConfig: Record<string, pulumi.Input<string>> = {};
  const headers: [string, pulumi.Input<string>, boolean][] = [
    ...Object.entries(s.headers ?? { "Content-Type": "application/json" }).map(
      ([k, v]): [string, string, boolean] => [k, v, false],
    ),
    ...Object.entries(s.secretHeaders ?? {}).map(
      ([k, v]): [string, pulumi.Input<string>, boolean] => [k, v, true],
    ),
  ];
  if (auth.type === "basic") {
    const value = pulumi
      .output(auth.password)
      .apply((p) => `Basic ${Buffer.from(`${auth.username}:${p}`).toString("base64")}`);
    headers.push(["Authorization", value, true]);
  }
  const names = headers.map((_, i) => `header${i}`);
  if (names.length > 0) config["transforms"] = names.join(",");
  headers.forEach(([header, value, secret], i) => {
    config[`transforms.${names[i]}.type`] = "org.apache.kafka.connect.transforms.InsertHeader";
    config[`transforms.${names[i]}.header`] = `CamelHeader.${header}`;
    if (secret) secretConfig[`transforms.${names[i]}.value.literal`] = value;
    else config[`transforms.${names[i]}.value.literal`] = value as string;
  });
  return { config: sorted(config), secretConfig: sorted(secretConfig) };
}

/**
 * Maps HTTP sink settings to the keys of the chosen connector class: every value a string,
 * keys sorted, credentials in `secretConfig`.
 */
export function httpSinkConfig(settings: HttpSinkSettings): HttpSinkConfig {
  const cls = settings.connectorClass ?? DEFAULT_CONNECTOR_CLASS;
  if ((settings.errors?.tolerance ?? "all") === "all" && !settings.errors?.deadLetterTopic) {
    throw new Error(
      '`errors.deadLetterTopic` is required when `errors.tolerance` is "all", or failed events would be dropped silently; declare one or set the tolerance to "none"',
    );
  }
  if (cls !== "camel" && cls !== "confluent" && settings.reporter) {
    throw new Error(
      `\`reporter\` topics are written by Confluent's connector only; connectorClass "${cls}" sends refused requests to the dead-letter topic instead. Disable the reporter or use connectorClass "confluent"`,
    );
  }
  const ours = CONNECTOR_CLASSES[cls] === CONNECTOR_CLASSES.tracking;
  if (!ours && usesSinkBody(settings.body)) {
    throw new Error(
      `\`batching.envelope\`, \`batching.maxBytes\` and \`eventId.target\` are kept only by connectorClass "tracking"; "${cls}" has no such setting: remove them, or set connectorClass "tracking"`,
    );
  }
  const mapped =
    cls === "camel" ? camelConfig(settings) : confluentConfig(settings, CONNECTOR_CLASSES[cls]);
  const body = sinkBodyKeys(ours ? settings.body : undefined);
  if (settings.body?.envelope) {
    // The envelope replaces the framing (the sink refuses both).
    for (const key of ["batch.prefix", "batch.suffix", "batch.separator"])
      delete mapped.config[key];
  }
  const kafka = sinkKafkaKeys(
    settings.kafka,
    cls,
    settings.errors?.deadLetterTopic,
    !!settings.reporter,
  );
  return {
    config: sorted({
      ...mapped.config,
      ...rateLimitKeys(cls, settings.requestRate),
      ...kafka.plain,
      ...body.plain,
    }),
    secretConfig: sorted({ ...mapped.secretConfig, ...kafka.secret, ...body.secret }),
  };
}
