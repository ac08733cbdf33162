import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { knownKeysAt } from "./knownKeys";
import { spellingHint } from "./suggest";

/**
 * A stack configuration error whose message lists every bad key, its value and the rule. A
 * `RunError`, so that the Node runtime prints the message once, without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
  constructor(
    public readonly problems: readonly string[],
    project: string,
  ) {
    super(
      `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${project}:${p}`).join("\n") +
        `\nFix each key with \`pulumi config set [--path] <key> <value>\` or in Pulumi.<stack>.yaml.`,
    );
    this.name = "ConfigError";
  }
}

/** What an unknown key's message ends with when no known key is close to it. */
export const NO_CLOSE_KEY = "remove it or check the spelling against the README";

/** `destinations[0].batching.maxSize`, the spelling of `pulumi config set --path`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One problem line per unknown key: `<path>: unknown setting; did you mean `<key>`?`. */
export function unknownKeyProblem(
  path: readonly PropertyKey[],
  key: string,
  known: Iterable<string>,
): string {
  return `${formatPath([...path, key])}: unknown setting; ${spellingHint(key, known, NO_CLOSE_KEY)}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The problem lines of a failed parse of `schema`: key, rule and the value found. */
export function problemsOf(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, issue.path);
      return issue.keys.map((key) => unknownKeyProblem(issue.path, key, known));
    }
    let input = "input" in issue ? issue.input : undefined;
    // A discriminated union reports the whole object; show the offending field of it instead.
    const last = issue.path[issue.path.length - 1];
    if (input && typeof input === "object" && typeof last === "string" && last in input) {
      input = (input as Record<string, unknown>)[last];
    }
    return [`${formatPath(issue.path)}: ${issue.message} (found ${describe(input)})`];
  });
}
