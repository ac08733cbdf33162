import { ResourceValidationPolicy } from "@pulumi/policy";
import { connectorOf, httpSinkOf, list, parseInteger, pattern, settings, shown } from "./util";

// Policies on one connector at a time. Values the connector leaves unset are judged by the
// default the connector class documents, which the messages name.

// ---------------------------------------------------------------------------------------------
// http-sink-retries
// ---------------------------------------------------------------------------------------------

/** Inclusive code ranges; `500-` is 500 and above. */
type CodeRange = readonly [number, number];

/** Parses `retry.on.status.codes` ("408,429,500-" or "500-599"); undefined when malformed. */
export function parseStatusCodes(text: string): CodeRange[] | undefined {
  const ranges: CodeRange[] = [];
  for (const part of text.split(",")) {
    const match = /^\s*(\d{3})(?:(-)(\d{3})?)?\s*$/.exec(part);
    if (!match) return undefined;
    const from = Number(match[1]);
    const to = match[3] !== undefined ? Number(match[3]) : match[2] ? 999 : from;
    if (to < from) return undefined;
    ranges.push([from, to]);
  }
  return ranges;
}

/** The codes of `required` that `ranges` miss, written as codes and ranges ("502-504"). */
export function missingStatusCodes(ranges: CodeRange[], required: CodeRange[]): string[] {
  const missing: string[] = [];
  for (const [from, to] of required) {
    let start: number | undefined;
    for (let code = from; code <= Math.min(to, 599) + 1; code++) {
      const covered = code > Math.min(to, 599) || ranges.some(([a, b]) => code >= a && code <= b);
      if (!covered && start === undefined) start = code;
      if (covered && start !== undefined) {
        missing.push(start === code - 1 ? String(start) : `${start}-${code - 1}`);
        start = undefined;
      }
    }
  }
  return missing;
}

interface RetriesConfig {
  minRetries: number;
  maxRetries: number;
  minBackoffMs: number;
  requiredStatusCodes: string[];
}

const retriesSettings = settings<RetriesConfig>({
  minRetries: {
    type: "integer",
    minimum: 0,
    default: 3,
    description: "Fewest retries (`max.retries`, `camel.error.handler.max.redeliveries`).",
  },
  maxRetries: {
    type: "integer",
    minimum: 0,
    default: 50,
    description: "Most retries before the error handling takes over.",
  },
  minBackoffMs: {
    type: "integer",
    minimum: 0,
    default: 500,
    description: "Shortest wait between retries, in ms.",
  },
  requiredStatusCodes: {
    type: "array",
    items: { type: "string", pattern: "^\\d{3}(-\\d{3})?$" },
    default: ["429", "500-599"],
    description: "Status codes and ranges that `retry.on.status.codes` must include (Confluent).",
  },
});

/** What each connector class does when a retry key is unset. */
const RETRY_KEYS = {
  confluent: { retries: ["max.retries", "10"], backoff: ["retry.backoff.ms", "3000"] },
  camel: {
    retries: ["camel.error.handler.max.redeliveries", "0"],
    backoff: ["camel.error.handler.redelivery.delay", "1000"],
  },
} as const;

export const httpSinkRetries: ResourceValidationPolicy = {
  name: "http-sink-retries",
  description:
    "Checks that HTTP sink connectors retry failed requests a bounded number of times, with a backoff, and on 429 and 5xx responses.",
  configSchema: retriesSettings.schema,
  validateResource: (args, reportViolation) => {
    const sink = httpSinkOf(args.type, args.props, args.name);
    if (!sink) return;
    const c = retriesSettings.read(args);
    const keys = RETRY_KEYS[sink.flavour];

    const [retriesKey, retriesDefault] = keys.retries;
    const retriesText = sink.config[retriesKey];
    const retries = parseInteger(retriesText ?? retriesDefault);
    if (retries === undefined || retries < c.minRetries || retries > c.maxRetries) {
      reportViolation(
        `\`${retriesKey}\` is ${shown(retriesText, `connector default ${retriesDefault}`)} on connector ${sink.name}; ` +
          `it must be between ${c.minRetries} and ${c.maxRetries}: fewer lose events on a single 503 from the analytics provider, ` +
          `more hold the partition behind a request that will not succeed.`,
      );
    }

    const [backoffKey, backoffDefault] = keys.backoff;
    const backoffText = sink.config[backoffKey];
    const backoff = parseInteger(backoffText ?? backoffDefault);
    if (backoff === undefined || backoff < c.minBackoffMs) {
      reportViolation(
        `\`${backoffKey}\` is ${shown(backoffText, `connector default ${backoffDefault}`)} on connector ${sink.name}; ` +
          `it must be at least ${c.minBackoffMs} ms, or retries hammer a provider that is already failing or rate-limiting us.`,
      );
    }

    // Camel redelivers whatever failed: it has no list of status codes to check.
    if (sink.flavour === "confluent") {
      const codesText = sink.config["retry.on.status.codes"];
      const codes = parseStatusCodes(codesText ?? "400-");
      const required = c.requiredStatusCodes.map((code) => {
        const parsed = parseStatusCodes(code);
        if (!parsed) {
          throw new Error(`policy config \`requiredStatusCodes\` has a bad entry "${code}"`);
        }
        return parsed[0];
      });
      const missing = codes ? missingStatusCodes(codes, required) : [];
      if (!codes || missing.length > 0) {
        reportViolation(
          `\`retry.on.status.codes\` is ${shown(codesText, 'connector default "400-"')} on connector ${sink.name}; ` +
            `it must include ${c.requiredStatusCodes.join(" and ")}` +
            (codes
              ? ` but misses ${missing.join(", ")}`
              : ' (codes and ranges such as "408,429,500-")') +
            `, or a rate-limited or briefly failing provider loses events.`,
        );
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// http-sink-error-handling
// ---------------------------------------------------------------------------------------------

interface ErrorHandlingConfig {
  allowedBehaviorOnError: string[];
  requireErrorLog: boolean;
}

const errorHandlingSettings = settings<ErrorHandlingConfig>({
  allowedBehaviorOnError: {
    type: "array",
    items: { type: "string", enum: ["fail", "log", "ignore"] },
    default: ["fail", "log"],
    description: "Values `behavior.on.error` may take (Confluent).",
  },
  requireErrorLog: {
    type: "boolean",
    default: true,
    description: "Whether `errors.log.enable` must be true.",
  },
});

export const httpSinkErrorHandling: ResourceValidationPolicy = {
  name: "http-sink-error-handling",
  description:
    "Checks that HTTP sink connectors never drop failed events silently: tolerated errors go to a dead-letter topic, failed requests are not ignored, and errors are logged.",
  configSchema: errorHandlingSettings.schema,
  validateResource: (args, reportViolation) => {
    const sink = httpSinkOf(args.type, args.props, args.name);
    if (!sink) return;
    const c = errorHandlingSettings.read(args);
    const cfg = sink.config;

    if (cfg["errors.tolerance"] === "all" && !cfg["errors.deadletterqueue.topic.name"]) {
      reportViolation(
        `\`errors.tolerance\` is "all" on connector ${sink.name} but \`errors.deadletterqueue.topic.name\` is unset; ` +
          `set a dead-letter topic or the tolerance to "none", or events that fail are dropped silently.`,
      );
    }
    if (sink.flavour === "confluent") {
      const behavior = cfg["behavior.on.error"];
      if (!c.allowedBehaviorOnError.includes(behavior ?? "fail")) {
        reportViolation(
          `\`behavior.on.error\` is ${shown(behavior)} on connector ${sink.name}; it must be one of ${list(c.allowedBehaviorOnError)}, ` +
            `or requests the provider rejects for good are dropped without a trace.`,
        );
      }
    }
    if (c.requireErrorLog && cfg["errors.log.enable"] !== "true") {
      reportViolation(
        `\`errors.log.enable\` is ${shown(cfg["errors.log.enable"], "connector default false")} on connector ${sink.name}; ` +
          `it must be "true", or failed events leave no trace in the worker log.`,
      );
    }
  },
};

// ---------------------------------------------------------------------------------------------
// http-sink-no-payload-logging
// ---------------------------------------------------------------------------------------------

export const connectorNoPayloadLogging: ResourceValidationPolicy = {
  name: "connector-no-payload-logging",
  description:
    "Checks that connectors never copy record payloads into worker logs (`errors.log.include.messages`).",
  validateResource: (args, reportViolation) => {
    const connector = connectorOf(args.type, args.props, args.name);
    const value = connector?.config["errors.log.include.messages"];
    if (connector && value !== undefined && value !== "false") {
      reportViolation(
        `\`errors.log.include.messages\` is ${shown(value)} on connector ${connector.name}; it must be "false", ` +
          `because tracking events can carry personal data that must not reach worker logs.`,
      );
    }
  },
};

// ---------------------------------------------------------------------------------------------
// http-sink-tasks-max
// ---------------------------------------------------------------------------------------------

interface TasksConfig {
  minTasks: number;
  maxTasks: number;
}

const tasksSettings = settings<TasksConfig>({
  minTasks: { type: "integer", minimum: 1, default: 1, description: "Fewest tasks." },
  maxTasks: {
    type: "integer",
    minimum: 1,
    default: 16,
    description: "Most tasks, each one a consumer and a stream of requests to the provider.",
  },
});

export const httpSinkTasksMax: ResourceValidationPolicy = {
  name: "http-sink-tasks-max",
  description: "Checks that the `tasks.max` of HTTP sink connectors is within bounds.",
  configSchema: tasksSettings.schema,
  validateResource: (args, reportViolation) => {
    const sink = httpSinkOf(args.type, args.props, args.name);
    if (!sink) return;
    const c = tasksSettings.read(args);
    const text = sink.config["tasks.max"];
    const tasks = parseInteger(text ?? "1");
    if (tasks === undefined || tasks < c.minTasks || tasks > c.maxTasks) {
      reportViolation(
        `\`tasks.max\` is ${shown(text, "Connect default 1")} on connector ${sink.name}; ` +
          `it must be between ${c.minTasks} and ${c.maxTasks}, or the sink sends more parallel requests than the provider is sized for.`,
      );
    }
  },
};

// ---------------------------------------------------------------------------------------------
// http-sink-no-plaintext-credentials
// ---------------------------------------------------------------------------------------------

interface CredentialsConfig {
  secretKeyPattern: string;
  nonSecretKeys: string[];
  sensitiveHeaderPattern: string;
}

const credentialsSettings = settings<CredentialsConfig>({
  secretKeyPattern: {
    type: "string",
    default: "password|secret|token|credential|api[._-]?key|private[._-]?key|sasl\\.jaas\\.config",
    description: "Config keys that hold credentials (case-insensitive regular expression).",
  },
  nonSecretKeys: {
    type: "array",
    items: { type: "string" },
    default: ["oauth2.token.url", "oauth2.token.property"],
    description: "Keys that match `secretKeyPattern` but hold no credential.",
  },
  sensitiveHeaderPattern: {
    type: "string",
    default: "^(proxy-)?authorization$|^cookie$|api[-_]?key|token|secret|password|credential",
    description:
      "HTTP header and URL query parameter names that carry credentials (case-insensitive regular expression).",
  },
});

/** Values that Connect resolves from a config provider (KIP-297) are references, not secrets. */
const CONFIG_PROVIDER_REFERENCE = /^\$\{[A-Za-z0-9_.-]+:.*\}$/;

function plaintext(value: string): string {
  return `a plaintext value (${value.length} characters)`;
}

export const httpSinkNoPlaintextCredentials: ResourceValidationPolicy = {
  name: "http-sink-no-plaintext-credentials",
  description:
    "Checks that HTTP sink connectors keep passwords, client secrets, API keys and tokens in `secretConfig`, never in the plain `config`.",
  configSchema: credentialsSettings.schema,
  validateResource: (args, reportViolation) => {
    const sink = httpSinkOf(args.type, args.props, args.name);
    if (!sink) return;
    const c = credentialsSettings.read(args);
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
    if (headers) {
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
      if (literal && sensitiveHeader.test(header.replace(/^CamelHeader\./, ""))) {
        reportViolation(
          `\`${literalKey}\` sets header \`${header}\` to ${plaintext(literal)} ${where}; ${rule}`,
        );
      }
    }

    for (const [key, value] of Object.entries(cfg)) {
      if (!key.endsWith(".url")) continue;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        continue;
      }
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
};

// ---------------------------------------------------------------------------------------------
// http-sink-https-only
// ---------------------------------------------------------------------------------------------

interface HttpsConfig {
  allowHttpHosts: string[];
}

const httpsSettings = settings<HttpsConfig>({
  allowHttpHosts: {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "Host names that may be reached over plain http (for example 127.0.0.1 in local).",
  },
});

const URL_KEYS = ["http.api.url", "camel.kamelet.http-sink.url", "oauth2.token.url"];

export const httpSinkHttpsOnly: ResourceValidationPolicy = {
  name: "http-sink-https-only",
  description:
    "Checks that HTTP sink connectors send events and fetch tokens over https, except to hosts the policy config allows.",
  configSchema: httpsSettings.schema,
  validateResource: (args, reportViolation) => {
    const sink = httpSinkOf(args.type, args.props, args.name);
    if (!sink) return;
    const c = httpsSettings.read(args);
    for (const key of URL_KEYS) {
      const value = sink.config[key];
      if (value === undefined) continue;
      let url: URL | undefined;
      try {
        url = new URL(value);
      } catch {
        url = undefined;
      }
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
};

export const connectorPolicies = [
  httpSinkRetries,
  httpSinkErrorHandling,
  connectorNoPayloadLogging,
  httpSinkTasksMax,
  httpSinkNoPlaintextCredentials,
  httpSinkHttpsOnly,
];
