import type { z } from "zod";

/** The parts of a zod schema's definition that lead to the keys of the objects inside it. */
interface Definition {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly valueType?: z.ZodType;
}

const WRAPPERS = new Set(["default", "prefault", "optional", "nullable", "readonly", "catch"]);

/**
 * The keys that the object schema(s) at `path` inside `schema` know, for "did you mean" hints;
 * through JSON preprocessing, defaults, arrays, records and every option of a union.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): Set<string> {
  const keys = new Set<string>();
  const visit = (s: z.ZodType | undefined, rest: readonly PropertyKey[]): void => {
    if (!s) return;
    const def = s._zod.def as Definition;
    const [head, ...tail] = rest;
    if (def.type === "object" && def.shape) {
      if (rest.length === 0) Object.keys(def.shape).forEach((k) => keys.add(k));
      else if (typeof head === "string") visit(def.shape[head], tail);
    } else if (def.type === "pipe") {
      visit(def.in, rest);
      visit(def.out, rest);
    } else if (WRAPPERS.has(def.type)) {
      visit(def.innerType, rest);
    } else if (def.type === "array" && typeof head === "number") {
      visit(def.element, tail);
    } else if (def.type === "record" && rest.length > 0) {
      visit(def.valueType, tail);
    } else if (def.type === "union") {
      def.options?.forEach((option) => visit(option, rest));
    }
  };
  visit(schema, path);
  return keys;
}
