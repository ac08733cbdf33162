import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { ensureFetched } from "../fetch";
import type { PlatformEndpoints, SecurityEndpoint } from "../index";
import {
  PlatformOptions,
  SECURE_DEFAULT_PORTS,
  SECURE_HOME_DIR,
  resolveSettings,
} from "../settings";
import { AdminTarget } from "./admin";
import { SecureCredentials, readCredentials } from "./credentials";

/** Set by jest's globalSetup: the secured platform's `endpoints.json` content (no secrets). */
export const SECURE_ENDPOINTS_ENV = "TRACKING_SECURE_PLATFORM_ENDPOINTS";
/** The secured profile's home when it runs beside the plain one (jest); default below. */
export const SECURE_HOME_ENV = "TRACKING_SECURE_PLATFORM_HOME";

/** The secured platform's endpoints, with its `security` block, and the credentials it made. */
export interface SecurePlatformEndpoints extends PlatformEndpoints {
  readonly security: SecurityEndpoint;
  /** Read from `security.credentialsFile` (mode 0600) on each call; never from the environment. */
  readonly credentials: SecureCredentials;
}

/**
 * Options of the secured profile started beside the plain one (jest's globalSetup): its own home
 * (`TRACKING_SECURE_PLATFORM_HOME`, else `~/.cache/tracking-pipeline/platform-secure-state`) and
 * its default ports, whatever `TRACKING_PLATFORM_HOME` and the port variables say for the plain one.
 */
export function secureProfileOptions(env: NodeJS.ProcessEnv = process.env): PlatformOptions {
  return {
    secure: true,
    home: env[SECURE_HOME_ENV] ?? join(homedir(), ".cache", "tracking-pipeline", SECURE_HOME_DIR),
    ports: SECURE_DEFAULT_PORTS,
    // The Kubernetes parts run once, in the plain profile (TRACKING_PLATFORM_KUBERNETES is its).
    kubernetes: false,
  };
}

/**
 * How tests reach the secured platform: `TRACKING_SECURE_PLATFORM_ENDPOINTS` (set by globalSetup),
 * else the `endpoints.json` that `npm run platform -- up --secure` wrote in the secured home.
 */
export function secureEndpoints(env: NodeJS.ProcessEnv = process.env): SecurePlatformEndpoints {
  let endpoints: PlatformEndpoints;
  const fromEnv = env[SECURE_ENDPOINTS_ENV];
  if (fromEnv) {
    endpoints = JSON.parse(fromEnv) as PlatformEndpoints;
  } else {
    const file = join(secureProfileOptions(env).home ?? "", "endpoints.json");
    if (!existsSync(file)) {
      throw new Error(
        `No secured platform endpoints: set \`${SECURE_ENDPOINTS_ENV}\` (jest's globalSetup does) ` +
          `or run \`npm run platform -- up --secure\` (${file}).`,
      );
    }
    endpoints = JSON.parse(readFileSync(file, "utf8")) as PlatformEndpoints;
  }
  const security = endpoints.security;
  if (!security) {
    throw new Error(
      `The endpoints in \`${SECURE_ENDPOINTS_ENV}\` (or endpoints.json) have no \`security\` block: ` +
        "they are the plain platform's, not the secured one's.",
    );
  }
  return { ...endpoints, security, credentials: readCredentials(security.credentialsFile) };
}

/** Where a test's admin tool calls go: the secured platform of `endpoints`. */
export function secureAdminTarget(endpoints: SecurePlatformEndpoints): AdminTarget {
  return {
    bootstrap: endpoints.kafkaBootstrap,
    caFile: endpoints.security.caFile,
    workDir: join(dirname(endpoints.security.credentialsFile), "clients"),
    libs: ensureFetched(resolveSettings(secureProfileOptions())).restProxyLibs,
    credentialsFile: endpoints.security.credentialsFile,
  };
}
