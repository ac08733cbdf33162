import { keyedHash } from "../keyedHash";
import { warn } from "../connect/log";
import { FILE_MODE, modeText, SECRETS_DIRECTORY_SETTING, targetOf } from "./types";

/*
 * The file system side: the folder the worker reads, the atomic write, the read-back for
 * refresh and the removal. Node's modules are required inside each function, because the engine
 * runs the provider from serialized text. No message carries the content: only paths and codes.
 */

/* eslint-disable @typescript-eslint/no-require-imports */

function codeOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function messageOf(err: unknown): string {
  // Not `instanceof Error`: errors of Node's own modules may come from another realm.
  const message = (err as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : String(err);
}

/**
 * Fails unless `directory` is an existing folder (the platform or the team makes it, mode 0700;
 * this resource never does, so that a mistyped path cannot scatter secrets); warns when group or
 * others have any access to it.
 */
export async function requireDirectory(directory: string): Promise<void> {
  const fs = require("fs") as typeof import("fs");
  let stat: import("fs").Stats;
  try {
    stat = fs.statSync(directory);
  } catch (err) {
    if (codeOf(err) === "ENOENT") {
      throw new Error(
        `The Connect secrets folder ${directory} (the stack setting \`${SECRETS_DIRECTORY_SETTING}\`) does not exist. ` +
          `Start the local platform (\`npm run platform -- up\` creates it), or, for a worker of your own, ` +
          `create it as the worker's user with \`mkdir -m 700 ${directory}\`, or point \`${SECRETS_DIRECTORY_SETTING}\` at the folder the worker reads.`,
        { cause: err },
      );
    }
    throw new Error(
      `The Connect secrets folder ${directory} (the stack setting \`${SECRETS_DIRECTORY_SETTING}\`) cannot be examined: ${messageOf(err)}`,
      { cause: err },
    );
  }
  if (!stat.isDirectory()) {
    throw new Error(
      `The Connect secrets folder ${directory} (the stack setting \`${SECRETS_DIRECTORY_SETTING}\`) is not a folder; ` +
        `point \`${SECRETS_DIRECTORY_SETTING}\` at the folder the worker reads.`,
    );
  }
  if ((stat.mode & 0o077) !== 0) {
    await warn(
      `The Connect secrets folder ${directory} (\`${SECRETS_DIRECTORY_SETTING}\`) has mode ${modeText(stat.mode)}: ` +
        `other users can list the names of the secret files. Run \`chmod 700 ${directory}\`.`,
    );
  }
}

/** Best effort: makes a rename durable; some file systems refuse to fsync a folder. */
function syncDirectory(directory: string): void {
  const fs = require("fs") as typeof import("fs");
  try {
    const fd = fs.openSync(directory, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // the rename itself has happened; durability across a crash is all that is lost
  }
}

/**
 * Writes `content` to `<directory>/<fileName>` so that a reader sees the old file or the whole new
 * one, never a part, and never a file that others can read: a new temporary file of mode 0600 in
 * the same folder, written, flushed to disk and renamed over the target.
 */
export function writeAtomically(directory: string, fileName: string, content: string): void {
  const fs = require("fs") as typeof import("fs");
  const path = require("path") as typeof import("path");
  const crypto = require("crypto") as typeof import("crypto");
  const target = targetOf({ directory, fileName });
  // Hidden, and of a fixed length whatever the file's name; "wx" refuses an existing path.
  const temp = path.join(directory, `.secret-${crypto.randomBytes(8).toString("hex")}.tmp`);
  try {
    const fd = fs.openSync(temp, "wx", FILE_MODE);
    try {
      // The umask may narrow the mode given to open; set it exactly.
      fs.fchmodSync(fd, FILE_MODE);
      fs.writeFileSync(fd, content, "utf8");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (err) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    // The cause is Node's error, which names paths only.
    throw new Error(`Could not write the secret file ${target}: ${messageOf(err)}`, { cause: err });
  }
  syncDirectory(directory);
}

/** What refresh finds at the file's path. */
export interface FoundFile {
  /** The keyed hash of what the file holds; "" when the path is not a regular file. */
  readonly hash: string;
  /** Its permission bits, octal ("0600"). */
  readonly mode: string;
}

/**
 * Reads the file back and hashes it under `key`, the way its hash was made; undefined when it is
 * gone (or its folder is). A symbolic link or a folder in its place is not what was written.
 */
export function readBack(
  directory: string,
  fileName: string,
  key: string | undefined,
): FoundFile | undefined {
  const fs = require("fs") as typeof import("fs");
  const target = targetOf({ directory, fileName });
  try {
    const stat = fs.lstatSync(target);
    const mode = modeText(stat.mode);
    if (!stat.isFile()) return { hash: "", mode };
    const content = fs.readFileSync(target, "utf8");
    return { hash: keyedHash(key, [fileName, content]), mode };
  } catch (err) {
    if (codeOf(err) === "ENOENT" || codeOf(err) === "ENOTDIR") return undefined;
    throw new Error(`Could not read the secret file ${target} back: ${messageOf(err)}`, {
      cause: err,
    });
  }
}

/** Removes the file; one that is already gone is fine. */
export function removeFile(directory: string, fileName: string): void {
  const fs = require("fs") as typeof import("fs");
  const target = targetOf({ directory, fileName });
  try {
    fs.unlinkSync(target);
  } catch (err) {
    if (codeOf(err) === "ENOENT" || codeOf(err) === "ENOTDIR") return;
    throw new Error(`Could not remove the secret file ${target}: ${messageOf(err)}`, {
      cause: err,
    });
  }
}
