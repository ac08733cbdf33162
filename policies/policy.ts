import {
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { Reader, recognised } from "./read";
import { PolicySettings } from "./settings";

// How the pack's policies are declared, and how their messages show what they found.

interface Declaration<C extends object> {
  /** kebab-case, unique in the pack. */
  readonly name: string;
  /** One sentence: "Checks that ...". */
  readonly description: string;
  readonly settings?: PolicySettings<C>;
}

/**
 * A policy on one resource at a time: `validate` runs on each resource that `recognise` reads,
 * with the policy's settings.
 */
export function resourcePolicy<T, C extends object = Record<string, never>>(
  policy: Declaration<C> & {
    readonly recognise: Reader<T>;
    validate(found: T, config: C, report: ReportViolation): void;
  },
): ResourceValidationPolicy {
  const { name, description, settings, recognise, validate } = policy;
  return {
    name,
    description,
    ...(settings ? { configSchema: settings.schema } : {}),
    validateResource: (args, report) => {
      const found = recognise(args.type, args.props, args.name);
      if (found === undefined) return;
      validate(found, settings ? settings.read(args) : ({} as C), report);
    },
  };
}

/** A policy that sees the whole stack at once, with the policy's settings. */
export function stackPolicy<C extends object>(
  policy: Declaration<C> & {
    readonly settings: PolicySettings<C>;
    validate(resources: readonly PolicyResource[], config: C, report: ReportViolation): void;
  },
): StackValidationPolicy {
  const { name, description, settings, validate } = policy;
  return {
    name,
    description,
    configSchema: settings.schema,
    validateStack: (args, report) => validate(args.resources, settings.read(args), report),
  };
}

/** What a `stackPolicyFor` policy validates: one resource it recognised, in its stack. */
export interface Found<T, C, S> {
  /** What `recognise` read from the resource. */
  readonly found: T;
  readonly resource: PolicyResource;
  /** Every resource of the stack. */
  readonly resources: readonly PolicyResource[];
  readonly config: C;
  /** What `prepare` read from the whole stack, once. */
  readonly stack: S;
}

/**
 * A stack policy that validates each resource `recognise` reads (and `applies` keeps), in the
 * light of the whole stack: `prepare` reads, once, what the checks need from the other resources.
 */
export function stackPolicyFor<T, C extends object, S = undefined>(
  policy: Declaration<C> & {
    readonly settings: PolicySettings<C>;
    readonly recognise: Reader<T>;
    readonly applies?: (found: T, config: C, resource: PolicyResource) => boolean;
    readonly prepare?: (resources: readonly PolicyResource[], config: C) => S;
    validate(each: Found<T, C, S>, report: ReportViolation): void;
  },
): StackValidationPolicy {
  const { recognise, applies, prepare, validate } = policy;
  return stackPolicy({
    ...policy,
    validate: (resources, config, report) => {
      const stack = prepare?.(resources, config) as S;
      for (const [found, resource] of recognised(resources, recognise)) {
        if (applies && !applies(found, config, resource)) continue;
        validate({ found, resource, resources, config, stack }, report);
      }
    },
  });
}

/** A value as violation messages show it: `"x"`, `3`, or `unset (<fallback>)` when missing. */
export function shown(value: unknown, fallback?: string): string {
  // Connect and Kubernetes pass numbers as strings; shown bare, they read as the numbers they are.
  if (typeof value === "string" && /^-?\d+$/.test(value)) return value;
  if (value !== undefined && value !== null) return JSON.stringify(value);
  return fallback === undefined ? "unset" : `unset (${fallback})`;
}

export function list(values: readonly string[]): string {
  return values.length === 0 ? "none" : values.join(", ");
}
