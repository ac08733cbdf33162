import { keyedHash } from "../keyedHash";
import type { ConnectorInputs } from "./types";

/*
 * Secrets never reach state, logs or messages in clear: they are stored as keyed hashes (HMAC
 * under the resource's own random `hashKey`, itself a secret output), recognised by name when a
 * connector is read from the worker, and replaced in every message. State written before keys
 * existed holds unkeyed SHA-256 hashes: `hashKey` undefined compares with those.
 */

export function hashSecret(name: string, key: string, value: string, hashKey?: string): string {
  return keyedHash(hashKey, [name, key, value]);
}

export function hashSecrets(
  name: string,
  secrets: Record<string, string>,
  hashKey?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(secrets).sort()) {
    out[key] = hashSecret(name, key, secrets[key], hashKey);
  }
  return out;
}

/**
 * A value that cannot be compared with what was sent: masked (`[hidden]`, as validate answers for
 * PASSWORD keys), or a config provider reference such as `${file:/secrets:pw}`.
 */
export function isMasked(value: string | undefined): boolean {
  return value === undefined || /^(\[hidden\]|\*+|<hidden>|\$\{.*\})$/.test(value);
}

/**
 * Keys that carry a credential by their name, whatever type the plugin gives them (case does not
 * matter): an HTTP sink's `headers` (an `Authorization` header), and any key that mentions a
 * password, secret, token, credential, API key, private key or `sasl.jaas.config` (the names the
 * policy pack's `http-sink-no-plaintext-credentials` looks for by default). Broad on purpose: a
 * key taken for a secret costs a hash, one taken for plain config leaks.
 */
const CREDENTIAL_KEYS = [
  /(^|\.)headers$/i,
  /password|secret|token|credential|api[._-]?key|private[._-]?key|sasl\.jaas\.config/i,
] as const;

/** True when a connector config key carries a credential by its name (see {@link CREDENTIAL_KEYS}). */
export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEYS.some((rule) => rule.test(key));
}

/** Replaces every secret value in `text`, so that worker messages can be shown safely. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  // Longest first, so that a secret containing another is replaced whole.
  const values = secrets
    .filter((s): s is string => typeof s === "string" && s.length >= 3)
    .sort((a, b) => b.length - a.length);
  for (const value of values) out = out.split(value).join("[secret]");
  return out;
}

/** Every secret value an error message could echo: connector secrets and endpoint secrets. */
export function secretValues(inputs: Partial<ConnectorInputs>): string[] {
  const endpoint = inputs.connectSecrets ?? {};
  return [
    ...Object.values(inputs.secretConfig ?? {}),
    ...Object.values(inputs.externalSecrets ?? {}),
    endpoint.password,
    endpoint.keyPem,
    ...Object.values(endpoint.headers ?? {}),
  ].filter((v): v is string => typeof v === "string");
}

/** Runs `body`; an error leaves with every secret value replaced. */
export async function safely<T>(secrets: string[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // No `cause`: the original error's message is exactly what must not leave.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(redact(message, secrets));
  }
}
