import { resourcePolicy } from "../policy";
import { pattern, settings, strings, text } from "../settings";
import { connectorOf } from "./connector";

// Connector credentials held by reference only, so that Connect stores none of them.

interface ByReferenceConfig {
  secretKeyPattern: string;
  nonSecretKeys: string[];
}

const byReferenceSettings = settings<ByReferenceConfig>({
  secretKeyPattern: text(
    "password|secret|token|credential|api[._-]?key|private[._-]?key|sasl\\.jaas\\.config|^headers$|\\.headers$",
    "Plain config keys that must hold a reference when they hold anything (case-insensitive regular expression).",
  ),
  nonSecretKeys: strings(
    ["oauth2.token.url", "oauth2.token.property", "batch.envelope.secret.field"],
    "Keys that match `secretKeyPattern` but hold no credential.",
  ),
});

/** `${<provider>:<path>:<key>}`, resolved by the worker's config provider (KIP-297). */
const REFERENCE = /^\$\{[A-Za-z0-9_.-]+:[^}]*\}$/;

export const connectorSecretsByReference = resourcePolicy({
  name: "connector-secrets-by-reference",
  description:
    "Checks that no connector config value holds a credential inline: Connect keeps a connector's config in clear in its config topic and answers it on GET /connectors/<name>/config, so secrets must be `${dir:...}` references its config provider resolves.",
  settings: byReferenceSettings,
  recognise: connectorOf,
  validate: (connector, c, reportViolation) => {
    const fix =
      "set `connectSecretsDirectory` (a worker outside Kubernetes) or run Connect on Kubernetes, " +
      "where the workers read connector secrets from their mounted Secret";
    for (const key of Object.keys(connector.secretConfig).sort()) {
      if (connector.secretConfig[key] === "" || REFERENCE.test(connector.secretConfig[key]))
        continue;
      reportViolation(
        `\`${key}\` of connector ${connector.name} is sent to Connect as its value, which Connect stores in clear; ${fix}.`,
      );
    }
    const secretKey = pattern(c.secretKeyPattern, "secretKeyPattern");
    for (const [key, value] of Object.entries(connector.config)) {
      if (value === "" || REFERENCE.test(value) || c.nonSecretKeys.includes(key)) continue;
      if (!secretKey.test(key)) continue;
      if (
        /(^|\.)headers$/i.test(key) &&
        !/authorization|api[-_]?key|token|secret|cookie/i.test(value)
      ) {
        continue; // headers without a credential among them (Content-Type and the like)
      }
      reportViolation(
        `\`${key}\` of connector ${connector.name} holds a value inline (${value.length} characters), not a reference; ${fix}.`,
      );
    }
  },
});
