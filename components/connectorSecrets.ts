import type * as pulumi from "@pulumi/pulumi";
import { CONFIG_PROVIDER, secretReference } from "../providers/secretFile/reference";

/*
 * Connector secrets by reference. The worker resolves `${dir:<folder>:<file>}` with Kafka's
 * DirectoryConfigProvider when it starts a connector or task, so its config topic, its REST API
 * and our connector's inputs to it hold only the reference. DirectoryConfigProvider rather than
 * FileConfigProvider: a Kubernetes Secret volume is exactly one file per key, and a file holds
 * the value as it is (no properties escaping of `=`, `:` or backslashes in a password).
 */

/** Where the Connect pods mount the `<cluster>-connector-secrets` Secret. */
export const CONNECTOR_SECRETS_MOUNT = "/etc/tracking/connector-secrets";

export { CONFIG_PROVIDER, secretReference };

export const DIRECTORY_CONFIG_PROVIDER =
  "org.apache.kafka.common.config.provider.DirectoryConfigProvider";

/**
 * The worker properties that install the provider, reading only `allowedPath` (KIP-993,
 * Kafka 3.8+): a connector config cannot make the worker read any other file.
 */
export function configProviderProperties(allowedPath: string): Record<string, string> {
  return {
    "config.providers": CONFIG_PROVIDER,
    [`config.providers.${CONFIG_PROVIDER}.class`]: DIRECTORY_CONFIG_PROVIDER,
    [`config.providers.${CONFIG_PROVIDER}.param.allowed.paths`]: allowedPath,
  };
}

/**
 * The file that holds one secret key of one connector: `<connector>.<key>`. Connector names are
 * slugs and config keys dotted words, so the name is one path segment and a Secret data key.
 */
export function secretFileName(connector: string, key: string): string {
  const name = `${connector}.${key}`;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new Error(
      `connector secret "${key}" of "${connector}" cannot be a file name (${name}); connector ` +
        "names and config keys may hold only letters, digits, '.', '_' and '-'",
    );
  }
  return name;
}

/** A connector's secret config, moved out of it: references in, values aside by file name. */
export interface ExternalisedSecrets {
  /** Each secret key of the connector, its value replaced by a reference. */
  readonly references: Record<string, string>;
  /** The values, by file name: what the files (or the Secret's keys) must hold. */
  readonly files: Record<string, pulumi.Input<string>>;
}

/** Replaces every secret value of `connector` by a reference to its file in `directory`. */
export function externalise(
  connector: string,
  secretConfig: Readonly<Record<string, pulumi.Input<string>>>,
  directory: string,
): ExternalisedSecrets {
  const references: Record<string, string> = {};
  const files: Record<string, pulumi.Input<string>> = {};
  for (const [key, value] of Object.entries(secretConfig)) {
    const file = secretFileName(connector, key);
    references[key] = secretReference(directory, file);
    files[file] = value;
  }
  return { references, files };
}

/**
 * Where a stack's connectors read their secrets, from its settings: `connectSecretsDirectory`
 * when set (a worker outside Kubernetes; the stack writes the files there), else the pods' mount
 * when the stack runs its own Connect cluster, else nowhere (inline values, which the policy
 * `connector-secrets-by-reference` refuses in production).
 */
export function connectorSecretsLocation(s: {
  readonly connectSecretsDirectory: string;
  readonly kubernetesEnabled: boolean;
  readonly connectUrl: string;
}): { readonly directory: string; readonly writeFiles: boolean } | undefined {
  if (s.connectSecretsDirectory !== "") {
    return { directory: s.connectSecretsDirectory, writeFiles: true };
  }
  if (s.kubernetesEnabled && s.connectUrl === "") {
    return { directory: CONNECTOR_SECRETS_MOUNT, writeFiles: false };
  }
  return undefined;
}
