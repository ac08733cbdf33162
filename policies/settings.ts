import { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

// Policy configuration: one schema per policy, whose defaults are the values the code uses.

export type Property<V> = Omit<PolicyConfigJSONSchema, "default" | "description"> & {
  readonly default: V;
  readonly description: string;
};

/** A policy's config schema (for the engine) and a reader of its typed values (for the policy). */
export interface PolicySettings<T extends object> {
  readonly schema: PolicyConfigSchema;
  /**
   * The policy's config: what the policy-pack config file sets, else the schema's default. The
   * defaults are applied here too, so that a policy behaves the same whether or not the engine
   * has filled them in.
   */
  read(args: { getConfig<C extends object>(): C }): T;
}

/** Declares a policy's settings once: type, default and description of each. */
export function settings<T extends object>(properties: {
  readonly [K in keyof T]: Property<T[K]>;
}): PolicySettings<T> {
  return {
    schema: { properties: properties as unknown as Record<string, PolicyConfigJSONSchema> },
    read(args) {
      const given = args.getConfig<Partial<T>>();
      const out = {} as T;
      for (const key of Object.keys(properties) as (keyof T)[]) {
        const value = given[key];
        out[key] = value === undefined ? properties[key].default : (value as T[keyof T]);
      }
      return out;
    },
  };
}

/** A whole number of at least `minimum`. */
export function integer(value: number, minimum: number, description: string): Property<number> {
  return { type: "integer", minimum, default: value, description };
}

export function flag(value: boolean, description: string): Property<boolean> {
  return { type: "boolean", default: value, description };
}

/** A string; a regular expression, for `pattern()`, when the description says so. */
export function text(value: string, description: string): Property<string> {
  return { type: "string", default: value, description };
}

/** A list of strings, each one as `item` allows (any string by default). */
export function strings(
  value: string[],
  description: string,
  item: PolicyConfigJSONSchema = {},
): Property<string[]> {
  return { type: "array", items: { type: "string", ...item }, default: value, description };
}

/** Compiles a case-insensitive pattern from policy config, naming the key if it is invalid. */
export function pattern(source: string, key: string): RegExp {
  try {
    return new RegExp(source, "i");
  } catch (err) {
    throw new Error(`policy config \`${key}\` is not a valid regular expression: ${String(err)}`, {
      cause: err,
    });
  }
}
