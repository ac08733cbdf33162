import type * as pulumi from "@pulumi/pulumi";
import { comparableEndpoint } from "./endpoint";
import { hashSecrets } from "./secrets";
import type { ConnectorInputs, ConnectorOutputs } from "./types";

/* diff: what changed between the stored outputs and the new inputs, and what that means. */

/** JSON with object keys sorted at every level, so that comparisons ignore key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

/**
 * True when the config the worker holds must change: a plain key, or a secret (by its hash).
 * Update sends `PUT .../config` only then, because a PUT restarts the connector's tasks.
 */
export function configChanged(
  olds: Pick<ConnectorOutputs, "config" | "secretHashes" | "hashKey">,
  news: Pick<ConnectorInputs, "name" | "config" | "secretConfig">,
): boolean {
  return (
    stableJson(olds.config) !== stableJson(news.config) ||
    stableJson(olds.secretHashes ?? {}) !==
      stableJson(hashSecrets(news.name, news.secretConfig ?? {}, olds.hashKey))
  );
}

/**
 * True when a value the worker reads through a config provider reference changed (a rotation):
 * the config may be the same, but the connector and its tasks must restart to read it again.
 */
export function externalSecretsChanged(
  olds: Pick<ConnectorOutputs, "externalSecretHashes" | "hashKey">,
  news: Pick<ConnectorInputs, "name" | "externalSecrets">,
): boolean {
  return (
    stableJson(olds.externalSecretHashes ?? {}) !==
    stableJson(hashSecrets(news.name, news.externalSecrets ?? {}, olds.hashKey))
  );
}

/**
 * Only the name is the connector's identity: a new name replaces it (create first, then delete:
 * two names can coexist). A new endpoint is an update, never a replace: the create of a replace
 * would adopt the very connector the delete of the old one then removes (see endpoint.ts).
 */
export function diffConnector(
  olds: ConnectorOutputs,
  news: ConnectorInputs,
): pulumi.dynamic.DiffResult {
  const replaces = olds.name !== news.name ? ["name"] : [];
  const changed =
    replaces.length > 0 ||
    configChanged(olds, news) ||
    externalSecretsChanged(olds, news) ||
    olds.state !== news.state ||
    stableJson(olds.restartPolicy) !== stableJson(news.restartPolicy) ||
    olds.waitTimeoutSeconds !== news.waitTimeoutSeconds ||
    olds.providerVersion !== news.providerVersion ||
    stableJson(olds.connectSecrets ?? {}) !== stableJson(news.connectSecrets ?? {}) ||
    stableJson(comparableEndpoint(olds.connect)) !== stableJson(comparableEndpoint(news.connect));
  // offsetsFrom matters only when a connector is created: never a change by itself.
  return { changes: changed, replaces, deleteBeforeReplace: false };
}
