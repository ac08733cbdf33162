import { resourcePolicy, shown } from "../policy";
import { parseInteger } from "../read";
import { integer, settings, strings } from "../settings";
import { httpSinkOf } from "./connector";

// http-sink-retries. Values the connector leaves unset are judged by the default the connector
// class documents, which the messages name.

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
  minRetries: integer(
    3,
    0,
    "Fewest retries (`max.retries`, `camel.error.handler.max.redeliveries`).",
  ),
  maxRetries: integer(50, 0, "Most retries before the error handling takes over."),
  minBackoffMs: integer(500, 0, "Shortest wait between retries, in ms."),
  requiredStatusCodes: strings(
    ["429", "500-599"],
    "Status codes and ranges that `retry.on.status.codes` must include (Confluent).",
    { pattern: "^\\d{3}(-\\d{3})?$" },
  ),
});

/** What each connector class does when a retry key is unset. */
const RETRY_KEYS = {
  confluent: { retries: ["max.retries", "10"], backoff: ["retry.backoff.ms", "3000"] },
  camel: {
    retries: ["camel.error.handler.max.redeliveries", "0"],
    backoff: ["camel.error.handler.redelivery.delay", "1000"],
  },
} as const;

export const httpSinkRetries = resourcePolicy({
  name: "http-sink-retries",
  description:
    "Checks that HTTP sink connectors retry failed requests a bounded number of times, with a backoff, and on 429 and 5xx responses.",
  settings: retriesSettings,
  recognise: httpSinkOf,
  validate: (sink, c, reportViolation) => {
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
});
