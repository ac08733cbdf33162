import type { DestinationAuth, DestinationConfig, StackConfig } from "../config";
import * as pulumi from "@pulumi/pulumi";
import { presetOf } from "../config/presets";
import { CONNECTOR_SECRETS_MOUNT, externalise } from "./connectorSecrets";
import { httpSinkConfig } from "./httpSinkConfig";
import type { HttpSinkAuth, HttpSinkSettings } from "./httpSinkConfig";
import {
  isSecured,
  kafkaSecurityOf,
  ownPrincipalOf,
  SecretLookup,
  workerPrincipalOf,
} from "./pipelineKafka";
import { topicNaming } from "./topicSet";

/**
 * Stack configuration to connector settings, one destination at a time: the single place where
 * a destination becomes an HTTP sink (the pipeline and the benchmarks use it).
 */

/** The connector name a destination gets on the Connect worker. */
export function connectorNameOf(environment: string, destination: string): string {
  return `${environment}-${destination}-http-sink`;
}

/**
 * The HTTP sink settings the stack generates for one destination: the single place where stack
 * configuration becomes connector settings (benchmarks use it too, to measure what ships).
 */
export function sinkSettingsOf(
  env: string,
  s: Pick<StackConfig, "kafkaBootstrapServers" | "topicReplicationFactor"> &
    Partial<
      Pick<
        StackConfig,
        "kafkaTls" | "kafkaTlsCaCertificate" | "kafkaSaslMechanism" | "kafkaConnectUsername"
      >
    >,
  d: DestinationConfig,
  index: number,
  secret: SecretLookup,
): HttpSinkSettings {
  const own = ownPrincipalOf(s, d, index, secret);
  return {
    connectorName: connectorNameOf(env, d.name),
    connectorClass: d.connectorClass,
    topics: d.topics.map((t) => topicNaming.tracking(env, t)),
    url: d.url,
    method: d.method,
    tasksMax: d.tasksMax,
    batching: framingOf(d.batching),
    retries: d.retries,
    timeouts: d.timeouts,
    behaviorOnError: d.behaviorOnError,
    behaviorOnNullValues: d.behaviorOnNullValues,
    auth: sinkAuth(d.auth, secret, index),
    headers: { "Content-Type": "application/json", ...d.headers },
    secretHeaders: {
      ...Object.fromEntries(
        Object.entries(d.secretHeaders).map(([header, key]) => [
          header,
          secret(key, `destinations[${index}].secretHeaders["${header}"]`),
        ]),
      ),
      ...basicUsernameHeader(d, index, secret),
    },
    body: {
      envelope: d.batching.envelope,
      secret:
        d.batching.envelope?.secretField && d.apiKeySecret
          ? secret(d.apiKeySecret, `destinations[${index}].apiKeySecret`)
          : undefined,
      maxBytes: d.batching.maxBytes,
      idField: d.eventId.field,
      idTarget: d.eventId.target,
    },
    errors: {
      tolerance: d.errors.tolerance,
      deadLetterTopic: d.errors.deadLetterTopic ? topicNaming.deadLetter(env, d.name) : undefined,
      contextHeaders: d.errors.contextHeaders,
      retryTimeoutMs: d.errors.retryTimeoutMs,
      retryDelayMaxMs: d.errors.retryDelayMaxMs,
    },
    reporter:
      d.reporter.enabled && d.connectorClass !== "camel"
        ? {
            resultTopic: topicNaming.reporterResult(env, d.name),
            errorTopic: topicNaming.reporterError(env, d.name),
          }
        : undefined,
    kafkaBootstrapServers: s.kafkaBootstrapServers,
    replicationFactor: s.topicReplicationFactor,
    consumerOverrides: d.consumerOverrides,
    maxPollRecords: d.rateLimit.maxPollRecords,
    requestRate: {
      requestsPerSecond: d.rateLimit.requestsPerSecond,
      eventsPerSecond: d.rateLimit.eventsPerSecond,
    },
    ...(isSecured(s)
      ? {
          kafka: {
            security: kafkaSecurityOf(s),
            principal: own ?? workerPrincipalOf(s, secret),
            ownPrincipal: own !== undefined,
          },
        }
      : {}),
  };
}

/** A destination's batching without the body settings, which go in `body`. */
function framingOf(batching: DestinationConfig["batching"]): HttpSinkSettings["batching"] {
  const { maxSize, prefix, suffix, separator, jsonArray, timeoutMs } = batching;
  return { maxSize, prefix, suffix, separator, jsonArray, timeoutMs };
}

/**
 * A preset whose API takes its key as the basic-auth username with no password (Mixpanel's
 * project token): the `Authorization` header, made from the secret, as a secret header.
 */
function basicUsernameHeader(
  d: DestinationConfig,
  index: number,
  secret: SecretLookup,
): Record<string, pulumi.Input<string>> {
  if (!d.preset || !d.apiKeySecret || presetOf(d.preset).apiKey !== "basic-username") return {};
  const key = secret(d.apiKeySecret, `destinations[${index}].apiKeySecret`);
  return {
    Authorization: pulumi
      .output(key)
      .apply((k) => `Basic ${Buffer.from(`${k}:`).toString("base64")}`),
  };
}

function sinkAuth(auth: DestinationAuth, secret: SecretLookup, index: number): HttpSinkAuth {
  switch (auth.type) {
    case "none":
      return { type: "none" };
    case "basic":
      return {
        type: "basic",
        username: auth.username,
        password: secret(auth.passwordSecret, `destinations[${index}].auth.passwordSecret`),
      };
    case "oauth2":
      return {
        type: "oauth2",
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientSecret: secret(
          auth.clientSecretSecret,
          `destinations[${index}].auth.clientSecretSecret`,
        ),
        scope: auth.scope,
        clientAuthMode: auth.clientAuthMode,
      };
  }
}

/**
 * The secret files of every destination's connector, as the Connect pods' Secret holds them
 * (`<connector>.<key>`, see components/connectorSecrets.ts). A destination whose settings do not
 * map is left out: its HttpSinkConnector reports why, naming the setting.
 */
export function podSecretFiles(
  settings: readonly HttpSinkSettings[],
): Record<string, pulumi.Input<string>> {
  const files: Record<string, pulumi.Input<string>> = {};
  for (const sink of settings) {
    let secretConfig: Record<string, pulumi.Input<string>>;
    try {
      secretConfig = httpSinkConfig(sink).secretConfig;
    } catch {
      continue;
    }
    Object.assign(
      files,
      externalise(sink.connectorName, secretConfig, CONNECTOR_SECRETS_MOUNT).files,
    );
  }
  return files;
}
