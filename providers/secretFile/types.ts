/*
 * The shapes of the SecretFile provider (user args live with the resource in secretFile.ts): what
 * it receives, every input resolved, and what it stores, which never holds the content.
 */

/** The stack setting that names the worker's secrets folder; messages point at it. */
export const SECRETS_DIRECTORY_SETTING = "connectSecretsDirectory";

/** The mode every secret file is written with, and the only one refresh accepts. */
export const FILE_MODE = 0o600;

/** {@link FILE_MODE} as the `mode` output spells it. */
export const FILE_MODE_TEXT = "0600";

/** The engine's placeholder for a value that is not known until apply (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What the provider receives: every input resolved. */
export interface SecretFileInputs {
  /** Absolute, normalised folder, as the Connect worker sees it. */
  readonly directory: string;
  /** One path segment: the key of the `${dir:<folder>:<file>}` reference. */
  readonly fileName: string;
  /** The secret value; a Pulumi secret in state, never in outputs. */
  readonly content: string;
}

/** What the provider stores: where the file is and a keyed hash of what it holds. */
export interface SecretFileOutputs {
  readonly directory: string;
  readonly fileName: string;
  /** keyedHash(hashKey, [fileName, content]); "" when refresh found no regular file. */
  readonly hash: string;
  /** The random key of {@link hash}; absent in state written without one (unkeyed SHA-256). */
  readonly hashKey?: string;
  /** The file's permission bits, octal ("0600"), as last written or read. */
  readonly mode: string;
}

/** The file's path. */
export function targetOf(props: Pick<SecretFileInputs, "directory" | "fileName">): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("path") as typeof import("path");
  return path.join(props.directory, props.fileName);
}

/** Permission bits as four octal digits: 0o600 → "0600". */
export function modeText(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, "0");
}
