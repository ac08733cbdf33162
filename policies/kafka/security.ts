import { list, resourcePolicy, shown } from "../policy";
import { asString, ifKnown, Props } from "../read";
import { flag, settings, strings } from "../settings";
import { KAFKA_TYPES } from "./resources";

// kafka-tls-and-sasl: how the stack's kafka provider (its admin principal) reaches the brokers.

/** The kafka provider's connection settings, as the plugin reads them. */
export interface KafkaProvider {
  readonly name: string;
  /** `tlsEnabled` as declared ("true"/"false": the SDK sends it as JSON text). */
  readonly tlsEnabled: string | undefined;
  readonly saslMechanism: string | undefined;
  readonly saslUsername: string | undefined;
  readonly hasPassword: boolean;
}

export function kafkaProviderOf(
  type: string,
  props: Props,
  resourceName: string,
): KafkaProvider | undefined {
  if (type !== KAFKA_TYPES.provider) return undefined;
  return {
    name: resourceName,
    tlsEnabled: asString(props.tlsEnabled),
    saslMechanism: asString(props.saslMechanism),
    saslUsername: asString(props.saslUsername),
    // A password not known until the update (another resource's output) counts as set.
    hasPassword: ifKnown(() => asString(props.saslPassword) ?? "") !== "",
  };
}

/**
 * Whether the plugin authenticates with SASL: its Terraform provider turns SASL on when a
 * username or a password is set, whatever `saslMechanism` says (the SDK defaults it to plain).
 */
export function usesSasl(provider: KafkaProvider): boolean {
  return (provider.saslUsername ?? "") !== "" || provider.hasPassword;
}

interface SecurityConfig {
  requireTls: boolean;
  requireSasl: boolean;
  saslMechanisms: string[];
}

const securitySettings = settings<SecurityConfig>({
  requireTls: flag(true, "Whether the kafka provider must connect with TLS (`tlsEnabled`)."),
  requireSasl: flag(
    true,
    "Whether the kafka provider must authenticate with SASL (`saslUsername` and `saslPassword`).",
  ),
  saslMechanisms: strings(
    ["scram-sha256", "scram-sha512"],
    "The `saslMechanism` values allowed when SASL is required (add plain for clusters that only offer PLAIN over TLS).",
  ),
});

export const kafkaTlsAndSasl = resourcePolicy({
  name: "kafka-tls-and-sasl",
  description:
    "Checks that the stack's kafka provider reaches the brokers over TLS and authenticates with SASL, with an allowed mechanism.",
  settings: securitySettings,
  recognise: kafkaProviderOf,
  validate: (provider, c, reportViolation) => {
    const where = `kafka provider ${provider.name}`;
    // The plugin's default is true (or the KAFKA_ENABLE_TLS variable); the SDK always sends it.
    if (c.requireTls && (provider.tlsEnabled ?? "true") !== "true") {
      reportViolation(
        `\`tlsEnabled\` is ${shown(provider.tlsEnabled)} on ${where}; it must be true (stack setting \`kafkaTls\`), ` +
          `or the admin credentials and every topic, user and ACL change cross the network unencrypted.`,
      );
    }
    if (!c.requireSasl) return;
    if (!usesSasl(provider)) {
      reportViolation(
        `\`saslUsername\` is unset on ${where}, so it connects without SASL; set \`kafkaSaslMechanism\`, \`kafkaSaslUsername\` and the secret \`kafkaSaslPassword\`, ` +
          `or the cluster lets unauthenticated clients manage topics and ACLs.`,
      );
      return;
    }
    if (!provider.hasPassword) {
      reportViolation(
        `\`saslPassword\` is unset on ${where} (user ${shown(provider.saslUsername)}); set the secret \`kafkaSaslPassword\`, or the provider cannot authenticate.`,
      );
    }
    const mechanism = provider.saslMechanism ?? "plain";
    if (!c.saslMechanisms.includes(mechanism)) {
      reportViolation(
        `\`saslMechanism\` is ${shown(provider.saslMechanism, "plugin default plain")} on ${where}; it must be one of ${list(c.saslMechanisms)} (stack setting \`kafkaSaslMechanism\`), ` +
          (mechanism === "plain"
            ? "or the password itself, not a salted proof of it, is sent to the brokers."
            : "the mechanisms this environment accepts."),
      );
    }
  },
});
