import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { secretReference } from "../components/connectorSecrets";
import { PlatformSettings } from "./settings";

/**
 * The folder the Connect worker reads connector secrets from, one file per secret, as a
 * Kubernetes Secret volume lays them out. Connector configs hold only references to these files
 * (`${dir:<folder>:<file>}`); the worker's DirectoryConfigProvider resolves them when it starts a
 * connector or task, so the values never reach Connect's REST API, config topic or log.
 */
export const CONNECT_SECRETS_DIR_NAME = "connect-secrets";

// The worker properties and the reference form are the stack's (components/connectorSecrets.ts):
// the local worker reads secrets exactly as the Connect pods do.
export {
  CONFIG_PROVIDER as DIRECTORY_PROVIDER_ALIAS,
  configProviderProperties,
  DIRECTORY_CONFIG_PROVIDER,
} from "../components/connectorSecrets";

/** Only the owner may list or read the secrets. */
export const CONNECT_SECRETS_MODE = 0o700;

/** `<platform home>/connect-secrets`. */
export function connectSecretsDirectory(settings: PlatformSettings): string {
  return join(settings.home, CONNECT_SECRETS_DIR_NAME);
}

/**
 * Creates the secrets folder with mode 0700, or sets that mode on an existing one (a folder made
 * by hand with the umask's 0755 would let other users list the secrets' names). Its content is
 * left alone: the stack owns the files. Returns the folder.
 */
export function ensureConnectSecretsDirectory(settings: PlatformSettings): string {
  const dir = connectSecretsDirectory(settings);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new Error(
      `The Connect secrets folder ${dir} is a file, not a folder. Remove it; \`npm run platform -- up\` creates the folder.`,
    );
  }
  mkdirSync(dir, { recursive: true, mode: CONNECT_SECRETS_MODE });
  if ((statSync(dir).mode & 0o777) !== CONNECT_SECRETS_MODE) chmodSync(dir, CONNECT_SECRETS_MODE);
  return dir;
}

/** The reference a connector config holds instead of a secret: `${dir:<dir>:<file>}`. */
export function directoryReference(dir: string, file: string): string {
  if (file === "" || file.includes("/") || file.includes(":") || file.includes("}")) {
    throw new Error(
      `A secret's file name must be one path segment without \`:\` or \`}\` (got "${file}").`,
    );
  }
  return secretReference(dir, file);
}
