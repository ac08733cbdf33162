/*
 * Keyed hashes of secret values, for the dynamic providers' state: HMAC-SHA256 under a random key
 * that the resource keeps as a Pulumi secret output, so that the state alone (a leaked export, a
 * backup) does not allow guessing a short password by hashing candidates. Self-contained: the
 * engine serializes the providers, so Node's crypto is required where it is used.
 */

/** A fresh random key, hex (32 bytes). */
export function newHashKey(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crypto = require("crypto") as typeof import("crypto");
  return crypto.randomBytes(32).toString("hex");
}

/**
 * The keyed hash of `parts` (joined with NUL, so that ("ab","c") and ("a","bc") differ). Without a
 * key (state written before keys existed) it is the unkeyed SHA-256 those states hold, so that
 * they still compare until their next update stores a key.
 */
export function keyedHash(key: string | undefined, parts: readonly string[]): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crypto = require("crypto") as typeof import("crypto");
  const text = parts.join("\u0000");
  if (!key) return crypto.createHash("sha256").update(text).digest("hex");
  return crypto.createHmac("sha256", Buffer.from(key, "hex")).update(text).digest("hex");
}
