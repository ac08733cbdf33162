import type * as pulumi from "@pulumi/pulumi";
import { safely } from "../connect/secrets";
import { newHashKey, keyedHash } from "../keyedHash";
import { checkSecretFile } from "./check";
import { diffSecretFile } from "./diff";
import { readBack, removeFile, requireDirectory, writeAtomically } from "./files";
import { FILE_MODE_TEXT, SecretFileInputs, SecretFileOutputs, targetOf } from "./types";

/** The outputs after a write: where the file is and the keyed hash of what it now holds. */
function written(inputs: SecretFileInputs, hashKey: string): SecretFileOutputs {
  return {
    directory: inputs.directory,
    fileName: inputs.fileName,
    hash: keyedHash(hashKey, [inputs.fileName, inputs.content]),
    hashKey,
    mode: FILE_MODE_TEXT,
  };
}

/** The folder and name of a file found by its id (its path), when no outputs come with it. */
function locate(id: string, props: Partial<SecretFileOutputs> | undefined) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("path") as typeof import("path");
  return {
    directory: props?.directory ?? path.dirname(id),
    fileName: props?.fileName ?? path.basename(id),
  };
}

/**
 * The dynamic provider of `SecretFile`: one secret value in one file of the Connect worker's
 * secrets folder, written atomically with mode 0600, tracked by a keyed hash, removed on delete.
 * It keeps no state between calls (the engine serializes it); every error leaves with the
 * content replaced, though no message is built with it.
 */
export const secretFileProvider: pulumi.dynamic.ResourceProvider = {
  check: checkSecretFile,

  async diff(_id: string, olds: SecretFileOutputs, news: SecretFileInputs) {
    return diffSecretFile(olds, news);
  },

  async create(inputs: SecretFileInputs) {
    return safely([inputs.content], async () => {
      await requireDirectory(inputs.directory);
      writeAtomically(inputs.directory, inputs.fileName, inputs.content);
      return { id: targetOf(inputs), outs: written(inputs, newHashKey()) };
    });
  },

  async read(id: string, props?: SecretFileOutputs) {
    const where = locate(id, props);
    const found = readBack(where.directory, where.fileName, props?.hashKey);
    // Gone: the next `pulumi up` writes it again.
    if (!found) return { id: "", props: {} };
    return { id, props: { ...props, ...where, hash: found.hash, mode: found.mode } };
  },

  async update(_id: string, olds: SecretFileOutputs, news: SecretFileInputs) {
    return safely([news.content], async () => {
      await requireDirectory(news.directory);
      writeAtomically(news.directory, news.fileName, news.content);
      // The key stays; state written before keys existed gets one now.
      return { outs: written(news, olds.hashKey || newHashKey()) };
    });
  },

  async delete(_id: string, props: SecretFileOutputs) {
    removeFile(props.directory, props.fileName);
  },
};
