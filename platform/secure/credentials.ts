import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One SCRAM user of the secured platform. */
export interface ScramUser {
  readonly username: string;
  readonly password: string;
}

/**
 * `<home>/credentials.json` (mode 0600): the super user, the Connect worker's principal and the
 * REST proxy's, with random passwords made when the storage is first formatted.
 */
export interface SecureCredentials {
  readonly admin: ScramUser;
  readonly connect: ScramUser;
  readonly restProxy: ScramUser;
}

export type Role = keyof SecureCredentials;

export const USERNAMES: Record<Role, string> = {
  admin: "admin",
  connect: "connect",
  restProxy: "rest-proxy",
};

export function credentialsFile(home: string): string {
  return join(home, "credentials.json");
}

/** 32 url-safe characters: nothing to escape in JAAS, in `--add-scram` or in a properties file. */
function newPassword(): string {
  return randomBytes(24).toString("base64url");
}

export function readCredentials(file: string): SecureCredentials {
  if (!existsSync(file)) {
    throw new Error(
      `No credentials file ${file}: start the secured platform first (\`npm run platform -- up --secure\`).`,
    );
  }
  return JSON.parse(readFileSync(file, "utf8")) as SecureCredentials;
}

/**
 * Reads the credentials, or makes new ones when `fresh` (storage not formatted yet) or none exist.
 * The home becomes 0700 and the file 0600.
 */
export function ensureCredentials(home: string, fresh: boolean): SecureCredentials {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  const file = credentialsFile(home);
  if (!fresh && existsSync(file)) return readCredentials(file);
  const creds: SecureCredentials = {
    admin: { username: USERNAMES.admin, password: newPassword() },
    connect: { username: USERNAMES.connect, password: newPassword() },
    restProxy: { username: USERNAMES.restProxy, password: newPassword() },
  };
  writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return creds;
}

/** Replaces every password of `creds` in `text` (tool output quoted in an error). */
export function redact(text: string, creds: SecureCredentials): string {
  let out = text;
  for (const user of Object.values(creds) as ScramUser[]) {
    out = out.split(user.password).join("***");
  }
  return out;
}
