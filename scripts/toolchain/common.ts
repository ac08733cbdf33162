import { createHash } from "node:crypto";
import * as fs from "node:fs";

/** An expected failure: the CLI prints its message and exits 1, without a stack trace. */
export class ToolchainError extends Error {}

/** Progress goes to stderr, so that stdout stays the `export` lines of `--print-env`. */
export const say = (line: string): void => console.error(line);

export function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function sha256(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 16);
}

export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Seconds since `start` (a `process.hrtime.bigint()`), to the millisecond. */
export function seconds(start: bigint): number {
  return Number((process.hrtime.bigint() - start) / 1_000_000n) / 1000;
}

export function tailOf(file: string, lines: number): string {
  if (!fs.existsSync(file)) return "";
  return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}
