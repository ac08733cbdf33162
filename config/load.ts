import * as pulumi from "@pulumi/pulumi";
import { ConfigError, problemsOf, unknownKeyProblem } from "./errors";
import { configKeys, secretConfigKeys, stackConfigSchema, StackConfig } from "./schema";
import { missingSecretProblem, referencedSecretKeys, requiredSecrets } from "./secrets";

const schemaKeys: ReadonlySet<string> = new Set(configKeys);

/**
 * Validates raw config values (strings, as the engine hands them over) and returns the typed
 * configuration with every default applied. Throws a {@link ConfigError} naming each bad key.
 *
 * `raw` holds every key of the project's namespace: a key that is neither a setting, nor a known
 * secret, nor a secret a destination names is a misspelt setting and fails with the closest known
 * key. Only the settings' values are read; a secret's value never reaches a message.
 */
export function parseStackConfig(
  raw: Record<string, unknown>,
  project = "tracking-pipeline",
): StackConfig {
  const settings = Object.fromEntries(Object.entries(raw).filter(([k]) => schemaKeys.has(k)));
  const result = stackConfigSchema.safeParse(settings, { reportInput: true });
  const allowed = new Set<string>([
    ...configKeys,
    ...secretConfigKeys,
    ...referencedSecretKeys(raw.destinations),
  ]);
  const suggestions = [...configKeys, ...secretConfigKeys];
  const problems = [
    ...(result.success ? [] : problemsOf(stackConfigSchema, result.error.issues)),
    ...Object.keys(raw)
      .filter((key) => !allowed.has(key))
      .map((key) => unknownKeyProblem([], key, suggestions)),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems, project);
  return result.data;
}

/**
 * Reads every key of this project's namespace (so that a misspelt one is caught), validates the
 * settings and checks that each secret they need is set. Throws a {@link ConfigError}.
 */
export function loadStackConfig(config = new pulumi.Config()): StackConfig {
  const prefix = `${config.name}:`;
  const raw: Record<string, unknown> = {};
  for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length).replace(/^config:/, "");
    // Secrets are only counted as present here; their values are read with `getSecret`.
    raw[key] = schemaKeys.has(key) ? config.get(key) : undefined;
  }
  const settings = parseStackConfig(raw, config.name);
  const missing = requiredSecrets(settings).filter((ref) => !(ref.key in raw));
  if (missing.length > 0) throw new ConfigError(missing.map(missingSecretProblem), config.name);
  return settings;
}
