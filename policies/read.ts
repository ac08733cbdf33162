import { PolicyResource, UnknownValueError } from "@pulumi/policy";

// Reading the untyped props the engine hands to policies. Resources are matched on their type
// token, never by class: connectors are dynamic resources (which `isType` cannot match), and the
// pack stays free of provider SDKs.

export type Props = Record<string, unknown>;

/** Recognises one kind of resource from its type token, props and resource name. */
export type Reader<T> = (type: string, props: Props, resourceName: string) => T | undefined;

export function asRecord(value: unknown): Props | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Props)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Strings as they are; numbers and booleans as their text (Connect and Kubernetes take both). */
export function asString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** A map of string values; entries of other types are left out. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(asRecord(value) ?? {})) {
    const text = asString(v);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

export function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = asRecord(current)?.[key];
  return current;
}

/** Parses a whole number; undefined for anything else (including "", "1.5" and "10k"). */
export function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*-?\d+\s*$/.test(text)) return undefined;
  return Number(text);
}

/**
 * Reads a value that may be unknown during preview (an output of a resource not yet created),
 * for checks that can do without it; anything other than an unknown value is rethrown.
 */
export function ifKnown<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof UnknownValueError) return undefined;
    throw err;
  }
}

/** The resources a reader (`connectorOf`, `httpSinkOf`, `workloadOf`) recognises, with what it read. */
export function recognised<T>(
  resources: readonly PolicyResource[],
  read: Reader<T>,
): [T, PolicyResource][] {
  return resources.flatMap((r): [T, PolicyResource][] => {
    const found = read(r.type, r.props, r.name);
    return found === undefined ? [] : [[found, r]];
  });
}
