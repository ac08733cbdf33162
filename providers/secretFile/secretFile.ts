import * as pulumi from "@pulumi/pulumi";
import { secretFileProvider } from "./provider";
import { secretReference } from "./reference";

/** Type token of secret files: `pulumi-nodejs:dynamic/tracking:SecretFile`. */
export const SECRET_FILE_MODULE = "tracking";
export const SECRET_FILE_TYPE = "SecretFile";
export const SECRET_FILE_TYPE_TOKEN = `pulumi-nodejs:dynamic/${SECRET_FILE_MODULE}:${SECRET_FILE_TYPE}`;

export interface SecretFileArgs {
  /**
   * The Connect worker's secrets folder, absolute and in normal form, as the worker sees it (the
   * stack setting `connectSecretsDirectory`). It must exist; a new folder replaces the file.
   */
  readonly directory: pulumi.Input<string>;
  /** The file's name: one segment of letters, digits, `.`, `_`, `-`. A new name replaces it. */
  readonly fileName: pulumi.Input<string>;
  /** The secret value, written as is (no newline added); always kept a Pulumi secret. */
  readonly content: pulumi.Input<string>;
}

/**
 * One connector secret as a file of mode 0600 in the Connect worker's secrets folder, where
 * Kafka's DirectoryConfigProvider reads it for the reference `${dir:<directory>:<fileName>}`
 * (see {@link SecretFile.reference}). Removed on delete. State holds the content only as the
 * resource's encrypted secret input; outputs hold a keyed hash of it.
 */
export class SecretFile extends pulumi.dynamic.Resource {
  // `declare`: the base constructor sets these; a class field would overwrite them with undefined.
  declare public readonly directory: pulumi.Output<string>;
  declare public readonly fileName: pulumi.Output<string>;
  /** Secret: keyed hash (HMAC-SHA256 under `hashKey`) of the file name and content. */
  declare public readonly hash: pulumi.Output<string>;
  /** Secret: the random key of `hash`. */
  declare public readonly hashKey: pulumi.Output<string>;
  /** The file's permission bits as last written or refreshed: "0600", or drift. */
  declare public readonly mode: pulumi.Output<string>;
  /**
   * What a connector config holds instead of the secret: `${dir:<directory>:<fileName>}`. Built
   * from this resource's outputs, so a connector that uses it is created after the file.
   */
  public readonly reference: pulumi.Output<string>;

  constructor(name: string, args: SecretFileArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      secretFileProvider,
      name,
      {
        directory: args.directory,
        fileName: args.fileName,
        content: pulumi.secret(args.content),
        hash: undefined,
        hashKey: undefined,
        mode: undefined,
      },
      pulumi.mergeOptions(opts, {
        // `content` is never an output; listed in case an engine ever echoes the inputs.
        additionalSecretOutputs: ["content", "hash", "hashKey"],
      }),
      SECRET_FILE_MODULE,
      SECRET_FILE_TYPE,
    );
    this.reference = pulumi
      .all([this.directory, this.fileName])
      .apply(([directory, file]) => secretReference(directory, file));
  }
}
