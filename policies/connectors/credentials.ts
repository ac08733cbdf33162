import { list, resourcePolicy, shown } from "../policy";
import { pattern, settings, strings, text } from "../settings";
import { httpSinkOf } from "./connector";

// Credentials of HTTP sinks: kept out of the plain config, and sent only over https.

interface CredentialsConfig {
  secretKeyPattern: string;
  nonSecretKeys: string[];
  sensitiveHeaderPattern: string;
}

const credentialsSettings = settings<CredentialsConfig>({
  secretKeyPattern: text(
    "password|secret|token|credential|api[._-]?key|private[._-]?key|sasl\\.jaas\\.config",
    "Config keys that hold credentials (case-insensitive regular expression).",
  ),
  nonSecretKeys: strings(
    ["oauth2.token.url", "oauth2.token.property", "batch.envelope.secret.field"],
    "Keys that match `secretKeyPattern` but hold no credential.",
  ),
  sensitiveHeaderPattern: text(
    "^(proxy-)?authorization$|^cookie$|api[-_]?key|token|secret|password|credential",
    "HTTP header and URL query parameter names that carry credentials (case-insensitive regular expression).",
  ),
});

/** Values that Connect resolves from a config provider (KIP-297) are references, not secrets. */
const CONFIG_PROVIDER_REFERENCE = /^\$\{[A-Za-z0-9_.-]+:.*\}$/;

/** An absolute URL; undefined for anything else. */
function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function plaintext(value: string): string {
  return `a plaintext value (${value.length} characters)`;
}

export const httpSinkNoPlaintextCredentials = resourcePolicy({
  name: "http-sink-no-plaintext-credentials",
  description:
    "Checks that HTTP sink connectors keep passwords, client secrets, API keys and tokens in `secretConfig`, never in the plain `config`.",
  settings: credentialsSettings,
  recognise: httpSinkOf,
  validate: (sink, c, reportViolation) => {
    const secretKey = pattern(c.secretKeyPattern, "secretKeyPattern");
    const sensitiveHeader = pattern(c.sensitiveHeaderPattern, "sensitiveHeaderPattern");
    const cfg = sink.config;
    const rule = `credentials must be in \`secretConfig\`, which stays encrypted in state and masked in previews.`;
    const where = `in the plain \`config\` of connector ${sink.name}`;

    for (const [key, value] of Object.entries(cfg)) {
      if (value === "" || CONFIG_PROVIDER_REFERENCE.test(value)) continue;
      if (secretKey.test(key) && !c.nonSecretKeys.includes(key)) {
        reportViolation(`\`${key}\` holds ${plaintext(value)} ${where}; ${rule}`);
      }
    }

    // Confluent: every header in one key, `Name:Value` joined by `header.separator`.
    const headers = cfg["headers"];
    if (headers && !CONFIG_PROVIDER_REFERENCE.test(headers)) {
      for (const header of headers.split(cfg["header.separator"] ?? "|")) {
        const colon = header.indexOf(":");
        const name = (colon < 0 ? header : header.slice(0, colon)).trim();
        if (sensitiveHeader.test(name)) {
          reportViolation(
            `\`headers\` sends \`${name}\` with ${plaintext(header.slice(colon + 1).trim())} ${where}; ${rule}`,
          );
        }
      }
    }

    // Camel: InsertHeader transforms set `CamelHeader.<Name>`, which becomes HTTP header <Name>.
    for (const [key, header] of Object.entries(cfg)) {
      const match = /^transforms\.([^.]+)\.header$/.exec(key);
      if (!match) continue;
      const literalKey = `transforms.${match[1]}.value.literal`;
      const literal = cfg[literalKey];
      if (
        literal &&
        !CONFIG_PROVIDER_REFERENCE.test(literal) &&
        sensitiveHeader.test(header.replace(/^CamelHeader\./, ""))
      ) {
        reportViolation(
          `\`${literalKey}\` sets header \`${header}\` to ${plaintext(literal)} ${where}; ${rule}`,
        );
      }
    }

    for (const [key, value] of Object.entries(cfg)) {
      if (!key.endsWith(".url")) continue;
      const url = parseUrl(value);
      if (!url) continue;
      if (url.password) {
        reportViolation(`\`${key}\` carries a password in its user info ${where}; ${rule}`);
      }
      for (const name of new Set(url.searchParams.keys())) {
        if (sensitiveHeader.test(name)) {
          reportViolation(`\`${key}\` carries the query parameter \`${name}\` ${where}; ${rule}`);
        }
      }
    }
  },
});

interface HttpsConfig {
  allowHttpHosts: string[];
}

const httpsSettings = settings<HttpsConfig>({
  allowHttpHosts: strings(
    [],
    "Host names that may be reached over plain http (for example 127.0.0.1 in local).",
  ),
});

const URL_KEYS = ["http.api.url", "camel.kamelet.http-sink.url", "oauth2.token.url"];

export const httpSinkHttpsOnly = resourcePolicy({
  name: "http-sink-https-only",
  description:
    "Checks that HTTP sink connectors send events and fetch tokens over https, except to hosts the policy config allows.",
  settings: httpsSettings,
  recognise: httpSinkOf,
  validate: (sink, c, reportViolation) => {
    for (const key of URL_KEYS) {
      const value = sink.config[key];
      if (value === undefined) continue;
      const url = parseUrl(value);
      if (url?.protocol !== "https:" && url?.protocol !== "http:") {
        reportViolation(
          `\`${key}\` is ${shown(value)} on connector ${sink.name}; it must be an absolute https:// URL.`,
        );
        continue;
      }
      const allowed =
        url.protocol === "https:" ||
        (url.protocol === "http:" && c.allowHttpHosts.includes(url.hostname));
      if (!allowed) {
        // Origin and path only: user info and query may hold credentials.
        reportViolation(
          `\`${key}\` is "${url.protocol}//${url.host}${url.pathname}" on connector ${sink.name}; ` +
            `it must use https:// (plain http only to ${list(c.allowHttpHosts)}), or events and credentials cross the network unencrypted.`,
        );
      }
    }
  },
});
