import { HOST } from "../component";
import { PlatformSettings } from "../settings";
import { ScramUser, SecureCredentials } from "./credentials";
import { TlsFiles } from "./tls";

/** What the secured platform's clients speak, as written into `endpoints.json`. */
export const SECURITY_PROTOCOL = "SASL_SSL" as const;
export const SASL_MECHANISM = "SCRAM-SHA-512" as const;

type Props = Record<string, string | number>;

/** `sasl.jaas.config` of a SCRAM user. The passwords are url-safe, so nothing needs escaping. */
export function scramJaas(user: ScramUser): string {
  return (
    "org.apache.kafka.common.security.scram.ScramLoginModule required " +
    `username="${user.username}" password="${user.password}";`
  );
}

/**
 * The four settings every Java client needs against the secured broker, each key with `prefix`
 * (`producer.`, `consumer.override.`, Confluent's `client.` ...). The CA is a PEM truststore file.
 */
export function clientSecurity(user: ScramUser, caFile: string, prefix = ""): Props {
  return {
    [`${prefix}security.protocol`]: SECURITY_PROTOCOL,
    [`${prefix}sasl.mechanism`]: SASL_MECHANISM,
    [`${prefix}sasl.jaas.config`]: scramJaas(user),
    [`${prefix}ssl.truststore.type`]: "PEM",
    [`${prefix}ssl.truststore.location`]: caFile,
  };
}

/**
 * The broker's listeners and security. Clients and the inter-broker link use SASL_SSL with
 * SCRAM-SHA-512 as `admin`. The controller listener (loopback) is SASL_PLAINTEXT with PLAIN as
 * `admin` too: SCRAM credentials live in the metadata log the controller serves, so the
 * controller cannot authenticate with them; PLAIN's user list is in this (0600) file. Then no
 * anonymous principal needs to be a super user.
 */
export function brokerSecurity(
  settings: PlatformSettings,
  creds: SecureCredentials,
  tls: TlsFiles,
): Props {
  const { kafka, controller } = settings.ports;
  const admin = creds.admin;
  return {
    listeners: `SASL_SSL://${HOST}:${kafka},CONTROLLER://${HOST}:${controller}`,
    "advertised.listeners": `SASL_SSL://${HOST}:${kafka}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "SASL_SSL",
    "listener.security.protocol.map": "CONTROLLER:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
    "sasl.enabled.mechanisms": SASL_MECHANISM,
    "sasl.mechanism.inter.broker.protocol": SASL_MECHANISM,
    "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": scramJaas(admin),
    "sasl.mechanism.controller.protocol": "PLAIN",
    "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
    "listener.name.controller.plain.sasl.jaas.config":
      "org.apache.kafka.common.security.plain.PlainLoginModule required " +
      `username="${admin.username}" password="${admin.password}" ` +
      `user_${admin.username}="${admin.password}";`,
    "ssl.keystore.type": "PEM",
    "ssl.keystore.location": tls.brokerKeystore,
    "ssl.truststore.type": "PEM",
    "ssl.truststore.location": tls.caCert,
    "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    "super.users": `User:${admin.username}`,
    "allow.everyone.if.no.acl.found": "false",
  };
}

/** `--add-scram` arguments of the storage format: every user of the credentials file. */
export function addScramArgs(creds: SecureCredentials): string[] {
  return Object.values(creds).flatMap((u: ScramUser) => [
    "--add-scram",
    `${SASL_MECHANISM}=[name=${u.username},password=${u.password}]`,
  ]);
}

/** The worker as `connect`: its own clients and those of its tasks (producer., consumer., admin.). */
export function workerSecurity(creds: SecureCredentials, caFile: string): Props {
  return {
    ...clientSecurity(creds.connect, caFile),
    ...clientSecurity(creds.connect, caFile, "producer."),
    ...clientSecurity(creds.connect, caFile, "consumer."),
    ...clientSecurity(creds.connect, caFile, "admin."),
  };
}

/** The REST proxy stand-in as `rest-proxy`, with the `client.*` keys cp-kafka-rest reads. */
export function restProxySecurity(creds: SecureCredentials, caFile: string): Props {
  return {
    ...clientSecurity(creds.restProxy, caFile, "client."),
    // Kafka's default, spelled out as a cp-kafka-rest deployment would: the broker's name is checked.
    "client.ssl.endpoint.identification.algorithm": "https",
  };
}
