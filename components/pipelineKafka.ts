import * as pulumi from "@pulumi/pulumi";
import type { DestinationConfig, StackConfig } from "../config";
import type { KafkaAccessArgs } from "./kafkaAccess";
import type { KafkaLogin } from "./kafkaLogin";
import type { KafkaClientPrincipal, KafkaSecurity } from "./kafkaSecurity";
import { sinkGroupId } from "./sinkKafkaClients";
import { redriveConnectorName } from "./offsetJobs";
import { topicNaming } from "./topicSet";

/**
 * How the stack settings become the Kafka security of each client and the principals of
 * {@link KafkaAccess}: one place, so that the login a pod is given and the grants its user gets
 * are computed from the same names.
 */

/** The licence topic of Confluent's connectors (`confluent.topic`, left at its default). */
export const CONFLUENT_LICENSE_TOPIC = "_confluent-command";

/** Looks up the secret a config key names; `from` is the setting that names it, for errors. */
export type SecretLookup = (key: string, from: string) => pulumi.Input<string>;

type SecuritySettings = Pick<
  StackConfig,
  "kafkaTls" | "kafkaTlsCaCertificate" | "kafkaSaslMechanism" | "kafkaConnectUsername"
>;

/** The cluster's TLS and SASL as every client sees it. */
export function kafkaSecurityOf(s: Partial<SecuritySettings>): KafkaSecurity {
  return {
    tls: s.kafkaTls ?? false,
    mechanism: s.kafkaSaslMechanism ?? "none",
    ...(s.kafkaTlsCaCertificate ? { caCertificate: s.kafkaTlsCaCertificate } : {}),
  };
}

/** Whether the clients need any security setting at all (plain stacks render as before). */
export function isSecured(s: Partial<SecuritySettings>): boolean {
  return (s.kafkaTls ?? false) || (s.kafkaSaslMechanism ?? "none") !== "none";
}

/** The Connect workers' principal, with SASL on. */
export function workerPrincipalOf(
  s: Partial<SecuritySettings>,
  secret: SecretLookup,
): KafkaClientPrincipal | undefined {
  if ((s.kafkaSaslMechanism ?? "none") === "none") return undefined;
  return {
    username: s.kafkaConnectUsername ?? "",
    password: secret("kafkaConnectPassword", "kafkaConnectUsername"),
  };
}

/** The REST proxy's principal, with SASL on. */
export function restProxyPrincipalOf(
  s: Pick<StackConfig, "kafkaSaslMechanism" | "kafkaRestProxyUsername">,
  secret: SecretLookup,
): KafkaClientPrincipal | undefined {
  if (s.kafkaSaslMechanism === "none") return undefined;
  return {
    username: s.kafkaRestProxyUsername,
    password: secret("kafkaRestProxyPassword", "kafkaRestProxyUsername"),
  };
}

/** TLS on the REST proxy's Ingress: an existing Secret, a cert-manager issuer, or none. */
export function ingressTlsOf(
  s: Pick<StackConfig, "restProxyIngressTlsSecret" | "restProxyIngressCertManagerIssuer">,
): { readonly secretName: string } | { readonly clusterIssuer: string } | undefined {
  if (s.restProxyIngressTlsSecret !== "") return { secretName: s.restProxyIngressTlsSecret };
  if (s.restProxyIngressCertManagerIssuer !== "") {
    return { clusterIssuer: s.restProxyIngressCertManagerIssuer };
  }
  return undefined;
}

/** A destination's own principal, with SASL on and `kafkaPrincipal` set. */
export function ownPrincipalOf(
  s: Partial<SecuritySettings>,
  d: DestinationConfig,
  index: number,
  secret: SecretLookup,
): KafkaClientPrincipal | undefined {
  if ((s.kafkaSaslMechanism ?? "none") === "none" || !d.kafkaPrincipal) return undefined;
  return {
    username: d.kafkaPrincipal.username,
    password: secret(
      d.kafkaPrincipal.passwordSecret,
      `destinations[${index}].kafkaPrincipal.passwordSecret`,
    ),
  };
}

/** The topics Confluent's own clients of a sink read and write (licence, reporter). */
export function confluentTopicsOf(env: string, d: DestinationConfig): string[] | undefined {
  if (d.connectorClass !== "confluent") return undefined;
  return [
    CONFLUENT_LICENSE_TOPIC,
    ...(d.reporter.enabled
      ? [topicNaming.reporterResult(env, d.name), topicNaming.reporterError(env, d.name)]
      : []),
  ];
}

/**
 * The arguments of {@link KafkaAccess} for the whole pipeline; SASL must be on.
 * `connect` is the declared Connect cluster's group and internal topics, when there is one.
 */
export function kafkaAccessArgsOf(
  env: string,
  s: StackConfig,
  secret: SecretLookup,
  connectorNameOf: (destination: string) => string,
  connect?: { readonly groupId: string; readonly internalTopics: readonly string[] },
): KafkaAccessArgs {
  const mechanism = s.kafkaSaslMechanism;
  if (mechanism === "none") throw new Error("Kafka access needs `kafkaSaslMechanism`");
  const workerPrincipal = workerPrincipalOf(s, secret)!;
  return {
    mechanism,
    manageUsers: s.kafkaManageUsers,
    manageAcls: s.kafkaManageAcls,
    adminUsername: s.kafkaSaslUsername,
    restProxy: {
      principal: restProxyPrincipalOf(s, secret)!,
      topics: s.topics.map((t) => topicNaming.tracking(env, t)),
    },
    ...(connect ? { connect: { principal: workerPrincipal, ...connect } } : {}),
    workerPrincipal,
    sinks: s.destinations.map((d, index) => ({
      name: d.name,
      principal: ownPrincipalOf(s, d, index, secret) ?? workerPrincipal,
      topics: d.topics.map((t) => topicNaming.tracking(env, t)),
      groupId: sinkGroupId(connectorNameOf(d.name)),
      ...(d.errors.deadLetterTopic ? { deadLetterTopic: topicNaming.deadLetter(env, d.name) } : {}),
      // A redrive reads the dead-letter topic as a consumer group of its own.
      ...(d.redrive
        ? { redriveGroupId: sinkGroupId(redriveConnectorName(connectorNameOf(d.name))) }
        : {}),
      ...(confluentTopicsOf(env, d) ? { confluentTopics: confluentTopicsOf(env, d) } : {}),
    })),
  };
}

/**
 * The logins to try before use, by the config key of their password: the admin's always (with
 * SASL), and, unless the stack manages the users (and so sets their passwords), the REST
 * proxy's, the workers' and each destination's own.
 */
export function kafkaLoginsOf(s: StackConfig): Map<string, KafkaLogin> {
  const logins = new Map<string, KafkaLogin>();
  if (s.kafkaSaslMechanism === "none") return logins;
  const add = (passwordKey: string, username: string, usernameSetting: string) => {
    if (!logins.has(passwordKey))
      logins.set(passwordKey, { username, usernameSetting, passwordKey });
  };
  add("kafkaSaslPassword", s.kafkaSaslUsername, "kafkaSaslUsername");
  if (s.kafkaManageUsers) return logins;
  add("kafkaRestProxyPassword", s.kafkaRestProxyUsername, "kafkaRestProxyUsername");
  add("kafkaConnectPassword", s.kafkaConnectUsername, "kafkaConnectUsername");
  s.destinations.forEach((d, i) => {
    if (d.kafkaPrincipal) {
      add(
        d.kafkaPrincipal.passwordSecret,
        d.kafkaPrincipal.username,
        `destinations[${i}].kafkaPrincipal.username`,
      );
    }
  });
  return logins;
}
