import type * as pulumi from "@pulumi/pulumi";
import { SECRETS_DIRECTORY_SETTING, UNKNOWN } from "./types";

/*
 * check: the path rules, each failure naming the argument and the fix. The content is checked
 * only for being a non-empty string: no message ever quotes it.
 */

/** One path segment of safe characters, as Kubernetes Secret keys are; never `.` or `..`. */
const FILE_NAME_RULE = /^[A-Za-z0-9._-]{1,255}$/;

/** The failures of `directory`, as the worker's `${dir:<folder>:<file>}` reference needs it. */
export function directoryFailures(directory: unknown): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("path") as typeof import("path");
  if (directory === UNKNOWN) return [];
  if (typeof directory !== "string" || directory === "") {
    return [
      `\`directory\` is required: the absolute path of the Connect worker's secrets folder (the stack setting \`${SECRETS_DIRECTORY_SETTING}\`)`,
    ];
  }
  const shown = JSON.stringify(directory);
  if (!path.isAbsolute(directory)) {
    return [
      `\`directory\` ${shown} is relative; give the absolute path the Connect worker reads (set \`${SECRETS_DIRECTORY_SETTING}\` to it)`,
    ];
  }
  const failures: string[] = [];
  const normal = path.normalize(directory).replace(/(.)\/+$/, "$1");
  if (normal !== directory) {
    // Two spellings of one folder would make a replace delete the file it has just written.
    failures.push(
      `\`directory\` ${shown} is not in normal form; write it as ${JSON.stringify(normal)}`,
    );
  }
  if (/[:}]/.test(directory)) {
    failures.push(
      `\`directory\` ${shown} contains \`:\` or \`}\`, which end the worker's \`\${dir:<folder>:<file>}\` reference; move the folder to a path without them`,
    );
  }
  return failures;
}

/** The failures of `fileName`: one path segment the reference can name. */
export function fileNameFailures(fileName: unknown): string[] {
  if (fileName === UNKNOWN) return [];
  if (typeof fileName !== "string" || fileName === "") {
    return ["`fileName` is required: the name of the secret's file in `directory`"];
  }
  const shown = JSON.stringify(fileName);
  if (fileName === "." || fileName === "..") {
    return [`\`fileName\` ${shown} names a folder, not a file; give a name such as "amp-api-key"`];
  }
  if (fileName.includes("/") || fileName.includes("\\")) {
    return [
      `\`fileName\` ${shown} contains a path separator; give one name (the file goes in \`directory\`), for example ${JSON.stringify(fileName.split(/[\\/]/).filter(Boolean).join("-"))}`,
    ];
  }
  if (!FILE_NAME_RULE.test(fileName)) {
    return [
      `\`fileName\` ${shown} must be 1 to 255 letters, digits, dots, underscores or dashes; replace the other characters`,
    ];
  }
  return [];
}

/** The failures of `content`, which never quote it. */
export function contentFailures(content: unknown): string[] {
  if (content === UNKNOWN) return [];
  if (typeof content !== "string") {
    return [`\`content\` must be a string (found ${typeof content})`];
  }
  if (content === "") {
    return [
      "`content` is empty; give the secret value (an empty file would hand the connector an empty credential)",
    ];
  }
  return [];
}

/** The provider's check: local rules only; the folder itself is looked at by create. */
export async function checkSecretFile(
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  const failures: pulumi.dynamic.CheckFailure[] = [
    ...directoryFailures(news.directory).map((reason) => ({ property: "directory", reason })),
    ...fileNameFailures(news.fileName).map((reason) => ({ property: "fileName", reason })),
    ...contentFailures(news.content).map((reason) => ({ property: "content", reason })),
  ];
  return { inputs: news, failures };
}
