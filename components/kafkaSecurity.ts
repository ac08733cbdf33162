import * as pulumi from "@pulumi/pulumi";

/**
 * The security settings every Kafka client of the stack shares (the Connect workers and their
 * tasks' clients, each connector's overrides, Confluent's licence and reporter clients, the REST
 * proxy), computed in one place so that they cannot drift apart. Pure functions: no resources.
 */

export type SaslMechanism = "none" | "plain" | "scram-sha256" | "scram-sha512";

/** How the stack's clients reach the brokers. */
export interface KafkaSecurity {
  /** TLS to the brokers. */
  readonly tls: boolean;
  /** SASL mechanism; `none` turns SASL off. */
  readonly mechanism: SaslMechanism;
  /** PEM of the CA the brokers' certificates chain to. Defaults to the JVM's system trust. */
  readonly caCertificate?: string;
}

/** A user a client logs in as; the password stays a Pulumi secret. */
export interface KafkaClientPrincipal {
  readonly username: string;
  readonly password: pulumi.Input<string>;
}

/** Where pods find the CA: a ConfigMap (the CA is public) mounted as this folder. */
export const KAFKA_TLS_MOUNT_PATH = "/etc/kafka-tls";
/** The CA's key in that ConfigMap, and so its file name in the folder. */
export const KAFKA_CA_FILE = "ca.pem";
/** The CA's path inside a pod. */
export const KAFKA_CA_PATH = `${KAFKA_TLS_MOUNT_PATH}/${KAFKA_CA_FILE}`;
/** The key of the JAAS line in a component's `<component>-kafka-credentials` Secret. */
export const JAAS_SECRET_KEY = "sasl.jaas.config";

/** The name of a component's Secret holding its JAAS line. */
export function kafkaCredentialsSecretName(component: string): string {
  return `${component}-kafka-credentials`;
}

/** The name of a component's ConfigMap holding the CA. */
export function kafkaTlsConfigMapName(component: string): string {
  return `${component}-kafka-tls`;
}

/** Kafka's `security.protocol` for the TLS and SASL settings. */
export function securityProtocol(
  s: Pick<KafkaSecurity, "tls" | "mechanism">,
): "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL" {
  if (s.mechanism === "none") return s.tls ? "SSL" : "PLAINTEXT";
  return s.tls ? "SASL_SSL" : "SASL_PLAINTEXT";
}

const MECHANISMS = {
  plain: { name: "PLAIN", module: "org.apache.kafka.common.security.plain.PlainLoginModule" },
  "scram-sha256": {
    name: "SCRAM-SHA-256",
    module: "org.apache.kafka.common.security.scram.ScramLoginModule",
  },
  "scram-sha512": {
    name: "SCRAM-SHA-512",
    module: "org.apache.kafka.common.security.scram.ScramLoginModule",
  },
} as const;

/** Kafka's `sasl.mechanism` for a stack mechanism: `PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`. */
export function saslMechanismName(mechanism: Exclude<SaslMechanism, "none">): string {
  return MECHANISMS[mechanism].name;
}

/**
 * A JAAS option value in double quotes. Kafka parses `sasl.jaas.config` with Java's
 * StreamTokenizer, which reads backslash escapes inside quotes: a quote or a backslash in a
 * password must be escaped, or the line ends early or the password changes.
 */
export function jaasQuote(value: string): string {
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r");
  return `"${escaped}"`;
}

/** The `sasl.jaas.config` line of a principal, as a Pulumi secret. */
export function jaasConfig(
  mechanism: Exclude<SaslMechanism, "none">,
  principal: KafkaClientPrincipal,
): pulumi.Output<string> {
  const { module } = MECHANISMS[mechanism];
  return pulumi.secret(
    pulumi
      .output(principal.password)
      .apply(
        (password) =>
          `${module} required username=${jaasQuote(principal.username)} password=${jaasQuote(password)};`,
      ),
  );
}

/** Client settings split by sensitivity: `plain` may be shown, `secret` stays a Pulumi secret. */
export interface KafkaClientProperties {
  readonly plain: Record<string, string>;
  readonly secret: Record<string, pulumi.Output<string>>;
}

/**
 * Where a client finds the CA: a file path inside its container, or the PEM inline
 * (`ssl.truststore.certificates`), for clients whose host has no such file.
 */
export type Truststore = string | { readonly certificates: string };

/**
 * The four things every Java client needs: `security.protocol`; with SASL, `sasl.mechanism` and
 * `sasl.jaas.config` (secret); with a CA, a PEM truststore. Without a CA the JVM's system trust
 * applies and no truststore keys are set. Throws when SASL is on and no principal is given.
 */
export function clientProperties(
  security: KafkaSecurity,
  principal?: KafkaClientPrincipal,
  truststore?: Truststore,
): KafkaClientProperties {
  const plain: Record<string, string> = { "security.protocol": securityProtocol(security) };
  const secret: Record<string, pulumi.Output<string>> = {};
  if (security.mechanism !== "none") {
    if (!principal) {
      throw new Error(
        `a principal is required when the SASL mechanism is "${security.mechanism}"; set the client's user and password`,
      );
    }
    plain["sasl.mechanism"] = saslMechanismName(security.mechanism);
    secret["sasl.jaas.config"] = jaasConfig(security.mechanism, principal);
  }
  if (security.tls && security.caCertificate && truststore !== undefined) {
    plain["ssl.truststore.type"] = "PEM";
    if (typeof truststore === "string") plain["ssl.truststore.location"] = truststore;
    else plain["ssl.truststore.certificates"] = truststore.certificates;
  }
  return { plain, secret };
}

/** The same properties with every key prefixed (`consumer.override.`, `confluent.topic.`). */
export function prefixed(props: KafkaClientProperties, prefix: string): KafkaClientProperties {
  const add = <T>(map: Record<string, T>) =>
    Object.fromEntries(Object.entries(map).map(([k, v]) => [`${prefix}${k}`, v]));
  return { plain: add(props.plain), secret: add(props.secret) };
}

/**
 * The environment variable a Confluent image (cp-kafka-connect `CONNECT_`, cp-kafka-rest
 * `KAFKA_REST_`) turns into `property`, by the rule of the images' `ub` tool: upper case, `_` for
 * `.`, `__` for `_` and `___` for `-` (test/boot/podEnv.ts reads it back the same way).
 */
export function confluentEnvName(prefix: string, property: string): string {
  const body = property
    .split("")
    .map((ch) => (ch === "." ? "_" : ch === "_" ? "__" : ch === "-" ? "___" : ch.toUpperCase()))
    .join("");
  return `${prefix}${body}`;
}
