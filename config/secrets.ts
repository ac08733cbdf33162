import type { DestinationConfig, StackConfig } from "./schema";

/** A config key that must hold a secret, and the setting that asks for it (for messages). */
export interface SecretReference {
  readonly key: string;
  readonly from: string;
}

/** Every config key of secrets a destination refers to, with where it is referred from. */
export function secretReferences(destinations: readonly DestinationConfig[]): SecretReference[] {
  const refs: SecretReference[] = [];
  destinations.forEach((d, i) => {
    if (d.auth.type === "basic") {
      refs.push({ key: d.auth.passwordSecret, from: `destinations[${i}].auth.passwordSecret` });
    }
    if (d.auth.type === "oauth2") {
      refs.push({
        key: d.auth.clientSecretSecret,
        from: `destinations[${i}].auth.clientSecretSecret`,
      });
    }
    for (const [header, key] of Object.entries(d.secretHeaders)) {
      refs.push({ key, from: `destinations[${i}].secretHeaders["${header}"]` });
    }
    if (d.apiKeySecret !== undefined) {
      refs.push({ key: d.apiKeySecret, from: `destinations[${i}].apiKeySecret` });
    }
    if (d.kafkaPrincipal) {
      refs.push({
        key: d.kafkaPrincipal.passwordSecret,
        from: `destinations[${i}].kafkaPrincipal.passwordSecret`,
      });
    }
  });
  return refs;
}

/**
 * Every secret the settings need: with SASL on, the admin's, the REST proxy's and the Connect
 * workers' passwords; the Connect REST API's when basic auth is on; and the destinations'.
 */
export function requiredSecrets(
  s: Pick<StackConfig, "kafkaSaslMechanism" | "connectBasicAuthUsername" | "destinations">,
): SecretReference[] {
  return [
    ...(s.kafkaSaslMechanism !== "none"
      ? [
          { key: "kafkaSaslPassword", from: "kafkaSaslMechanism" },
          { key: "kafkaRestProxyPassword", from: "kafkaRestProxyUsername" },
          { key: "kafkaConnectPassword", from: "kafkaConnectUsername" },
        ]
      : []),
    ...(s.connectBasicAuthUsername !== ""
      ? [{ key: "connectBasicAuthPassword", from: "connectBasicAuthUsername" }]
      : []),
    ...secretReferences(s.destinations),
  ];
}

/** The problem line of a secret that is needed but not set; names the key, never a value. */
export function missingSecretProblem(ref: SecretReference): string {
  return (
    `${ref.from}: needs the secret config key "${ref.key}", which is not set; ` +
    `set it with \`pulumi config set --secret ${ref.key} <value>\``
  );
}

/**
 * The config keys that raw (unvalidated) destinations name as secrets, so that they are not taken
 * for misspelt settings even when the destinations themselves are still invalid.
 */
export function referencedSecretKeys(rawDestinations: unknown): string[] {
  let list: unknown = rawDestinations;
  if (typeof list === "string") {
    try {
      list = JSON.parse(list) as unknown;
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  const keys: unknown[] = [];
  for (const d of list as unknown[]) {
    if (!d || typeof d !== "object") continue;
    const { auth, secretHeaders, kafkaPrincipal, apiKeySecret } = d as {
      auth?: unknown;
      secretHeaders?: unknown;
      kafkaPrincipal?: unknown;
      apiKeySecret?: unknown;
    };
    keys.push(apiKeySecret);
    if (auth && typeof auth === "object") {
      const a = auth as { passwordSecret?: unknown; clientSecretSecret?: unknown };
      keys.push(a.passwordSecret, a.clientSecretSecret);
    }
    if (kafkaPrincipal && typeof kafkaPrincipal === "object") {
      keys.push((kafkaPrincipal as { passwordSecret?: unknown }).passwordSecret);
    }
    if (secretHeaders && typeof secretHeaders === "object")
      keys.push(...Object.values(secretHeaders));
  }
  return keys.filter((k): k is string => typeof k === "string");
}
