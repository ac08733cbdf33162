import type * as pulumi from "@pulumi/pulumi";
import { keyedHash } from "../keyedHash";
import { FILE_MODE_TEXT, SecretFileInputs, SecretFileOutputs, UNKNOWN } from "./types";

/*
 * diff: a new path replaces the file, new content (by its keyed hash) or a mode that refresh
 * found changed rewrites it in place. The content itself is never stored, so it is compared by
 * hashing the new value under the stored key.
 */

/** True when two folder spellings are one folder on this machine (a symbolic link, say). */
function sameFolder(a: string, b: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof import("fs");
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/** True when the file must be written again: new content, or drift found by refresh. */
export function contentChanged(
  olds: Partial<SecretFileOutputs>,
  news: Pick<SecretFileInputs, "fileName" | "content">,
): boolean {
  if (news.content === UNKNOWN || news.fileName === UNKNOWN) return true;
  if (typeof olds.hash !== "string" || olds.hash === "") return true;
  return keyedHash(olds.hashKey, [news.fileName, news.content]) !== olds.hash;
}

export function diffSecretFile(
  olds: Partial<SecretFileOutputs>,
  news: SecretFileInputs,
): pulumi.dynamic.DiffResult {
  const replaces: string[] = [];
  if (news.fileName === UNKNOWN || news.fileName !== olds.fileName) replaces.push("fileName");
  if (news.directory === UNKNOWN) {
    replaces.push("directory");
  } else if (news.directory !== olds.directory) {
    // The same file under another spelling is rewritten, not replaced: the replace would create
    // the new file and then delete the old path, which is that same file.
    const sameFile =
      replaces.length === 0 &&
      typeof olds.directory === "string" &&
      sameFolder(olds.directory, news.directory);
    if (!sameFile) replaces.push("directory");
  }
  const changes =
    replaces.length > 0 ||
    news.directory !== olds.directory ||
    contentChanged(olds, news) ||
    olds.mode !== FILE_MODE_TEXT;
  // Create before delete: the new file is another path, so both can exist while the connector
  // config moves from the old reference to the new one.
  return { changes, replaces, deleteBeforeReplace: false };
}
