export { contentFailures, directoryFailures, fileNameFailures } from "./check";
export { secretFileProvider } from "./provider";
export {
  SecretFile,
  SECRET_FILE_MODULE,
  SECRET_FILE_TYPE,
  SECRET_FILE_TYPE_TOKEN,
} from "./secretFile";
export type { SecretFileArgs } from "./secretFile";
export { FILE_MODE, FILE_MODE_TEXT, SECRETS_DIRECTORY_SETTING } from "./types";
export type { SecretFileInputs, SecretFileOutputs } from "./types";
