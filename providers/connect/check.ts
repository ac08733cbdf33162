import type * as pulumi from "@pulumi/pulumi";
import { connectClient, ConnectEndpoint } from "./client";
import { isConnectApiError } from "./errors";
import { warn } from "./log";
import { RESTART_POLICY_TYPES, RestartPolicy } from "./restart";
import { redact, secretValues } from "./secrets";
import {
  ConnectorInputs,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  DESIRED_STATES,
  endpointOf,
  fullConfig,
  UNKNOWN,
} from "./types";

/*
 * check: local rules that need no worker, then the worker's own validation, each failure naming
 * the property; and on a rename, the old name as `offsetsFrom`.
 */

const NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,248}$/;

/** "a, b or c", for messages that list what is allowed. */
function oneOf(values: readonly string[], quote = ""): string {
  const quoted = values.map((v) => `${quote}${v}${quote}`);
  return quoted.length < 2
    ? quoted.join("")
    : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** True when the value, or anything in it, is not known until apply. */
export function hasUnknowns(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value && typeof value === "object") return Object.values(value).some(hasUnknowns);
  return false;
}

/** Local checks that need no worker: name rules, required keys, every value a string. */
export function checkLocally(news: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const name = news.name;
  if (typeof name === "string" && name !== UNKNOWN && !NAME_RULE.test(name)) {
    failures.push({
      property: "name",
      reason: `\`name\` "${name}" must be 1 to 249 letters, digits, dots, underscores or dashes, starting with a letter or digit`,
    });
  }
  const connect = news.connect as Partial<ConnectEndpoint> | undefined;
  if (!connect || typeof connect.url !== "string" || connect.url === "") {
    failures.push({
      property: "connect",
      reason: "`connect.url` is required: the Connect REST API's URL",
    });
  }
  const config = (news.config ?? {}) as Record<string, unknown>;
  const secretConfig = (news.secretConfig ?? {}) as Record<string, unknown>;
  for (const [source, map] of [
    ["config", config],
    ["secretConfig", secretConfig],
  ] as const) {
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== "string") {
        failures.push({
          property: source,
          reason: `\`${source}["${key}"]\` must be a string (found ${typeof value}); Connect rejects other types`,
        });
      }
    }
  }
  for (const key of Object.keys(secretConfig)) {
    if (key in config) {
      failures.push({
        property: "secretConfig",
        reason: `\`${key}\` is in both \`config\` and \`secretConfig\`; keep it in \`secretConfig\` only`,
      });
    }
  }
  if (!("connector.class" in config)) {
    failures.push({ property: "config", reason: '`config["connector.class"]` is required' });
  }
  if (!("topics" in config) && !("topics.regex" in config)) {
    failures.push({
      property: "config",
      reason: '`config["topics"]` (or `topics.regex`) is required for a sink connector',
    });
  }
  if ("name" in config && config.name !== name) {
    failures.push({
      property: "config",
      reason: `\`config["name"]\` is "${String(config.name)}" but \`name\` is "${String(name)}"; remove it from config`,
    });
  }
  const state = news.state;
  if (
    state !== undefined &&
    state !== UNKNOWN &&
    !(DESIRED_STATES as readonly unknown[]).includes(state)
  ) {
    failures.push({
      property: "state",
      reason: `\`state\` must be ${oneOf(DESIRED_STATES)} (found ${String(state)})`,
    });
  }
  const policy = news.restartPolicy as Partial<RestartPolicy> | undefined;
  if (policy !== undefined && !hasUnknowns(policy)) {
    if (!(RESTART_POLICY_TYPES as readonly unknown[]).includes(policy.type)) {
      failures.push({
        property: "restartPolicy",
        reason: `\`restartPolicy.type\` must be ${oneOf(RESTART_POLICY_TYPES, '"')} (found ${String(policy.type)})`,
      });
    }
    const max = policy.maxRestarts;
    if (typeof max !== "number" || !Number.isInteger(max) || max < 0) {
      failures.push({
        property: "restartPolicy",
        reason: `\`restartPolicy.maxRestarts\` must be a whole number of 0 or more (found ${String(max)})`,
      });
    }
  }
  const wait = news.waitTimeoutSeconds;
  if (wait !== undefined && wait !== UNKNOWN && (typeof wait !== "number" || !(wait > 0))) {
    failures.push({
      property: "waitTimeoutSeconds",
      reason: `\`waitTimeoutSeconds\` must be a number above 0 (found ${String(wait)}); remove it to use ${DEFAULT_WAIT_TIMEOUT_SECONDS}`,
    });
  }
  const from = news.offsetsFrom;
  if (typeof from === "string" && from !== "" && from !== UNKNOWN && !NAME_RULE.test(from)) {
    failures.push({
      property: "offsetsFrom",
      reason: `\`offsetsFrom\` "${from}" is not a connector name; give the old connector's name or ""`,
    });
  }
  return failures;
}

/** Turns the worker's validation answer into check failures that name the key. */
export function validationFailures(
  inputs: Pick<ConnectorInputs, "config" | "secretConfig">,
  result: {
    readonly configs: readonly {
      readonly value: { readonly name: string; readonly errors: readonly string[] };
    }[];
  },
): pulumi.dynamic.CheckFailure[] {
  const secrets = Object.values(inputs.secretConfig ?? {});
  const out: pulumi.dynamic.CheckFailure[] = [];
  for (const item of result.configs) {
    const key = item.value.name;
    // `name` is the resource's own property; the provider always sends it.
    if (key === "name") continue;
    const source = key in (inputs.secretConfig ?? {}) ? "secretConfig" : "config";
    for (const error of item.value.errors) {
      out.push({
        property: source,
        reason: `\`${source}["${key}"]\`: ${redact(error, secrets)} (the Connect worker's validation)`,
      });
    }
  }
  return out;
}

/** Plugin class names from the worker's "Failed to find any class" message. */
function installedClasses(message: string): string[] {
  return [...message.matchAll(/name='([^']+)'/g)].map((m) => m[1]);
}

/** The inputs to use: on a rename, the new connector continues from the old one's offsets. */
export function withRenameOffsets<
  T extends { readonly name?: unknown; readonly offsetsFrom?: unknown },
>(olds: { readonly name?: unknown } | undefined, news: T): T {
  if (
    news.offsetsFrom === undefined &&
    typeof olds?.name === "string" &&
    typeof news.name === "string" &&
    olds.name !== UNKNOWN &&
    news.name !== UNKNOWN &&
    olds.name !== news.name
  ) {
    return { ...news, offsetsFrom: olds.name };
  }
  return news;
}

/** The provider's check: local rules, then the worker's validation when it answers. */
export async function checkConnector(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  const failures = checkLocally(news);
  const inputs = withRenameOffsets(olds, news);
  if (failures.length > 0 || hasUnknowns(news)) return { inputs, failures };
  const typed = news as unknown as ConnectorInputs;
  const connectorClass = typed.config["connector.class"];
  // Ask the worker itself, when it is reachable, so that preview shows bad keys by name.
  try {
    const client = connectClient({
      ...endpointOf(typed),
      requestTimeoutMs: 10_000,
      retryDeadlineMs: 5_000,
    });
    const result = await client.validate(connectorClass, fullConfig(typed));
    failures.push(...validationFailures(typed, result));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (isConnectApiError(err) && /Failed to find any class/i.test(message)) {
      const known = installedClasses(message);
      failures.push({
        property: "config",
        reason:
          `\`config["connector.class"]\` "${connectorClass}" is not installed on the Connect worker` +
          (known.length > 0 ? ` (installed: ${known.join(", ")})` : "") +
          "; install its plugin or pick an installed class",
      });
    } else {
      // An unreachable worker (for example one this same update creates) is not a failure.
      await warn(
        `connector "${typed.name}": not validated by the Connect worker, which did not answer: ` +
          redact(message, secretValues(typed)),
      );
    }
  }
  return { inputs, failures };
}
