import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../../policies/pack";
import { ROOT } from "../mocks";
import { safeStack } from "./fixtures";
import { runPack } from "./harness";

const POLICIES_DIR = path.join(ROOT, "policies");
const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

function readJson(file: string): Record<string, Record<string, unknown>> {
  return JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, file), "utf8")) as Record<
    string,
    Record<string, unknown>
  >;
}

/** What is wrong with a config value under its JSON schema (the subset the pack uses). */
function problem(value: unknown, schema: PolicyConfigJSONSchema): string | undefined {
  switch (schema.type) {
    case "integer":
      if (!Number.isInteger(value)) return "is not a whole number";
      if (schema.minimum !== undefined && (value as number) < schema.minimum) {
        return `is below ${schema.minimum}`;
      }
      return undefined;
    case "boolean":
      return typeof value === "boolean" ? undefined : "is not true or false";
    case "string":
      return typeof value === "string" ? undefined : "is not a string";
    case "array": {
      if (!Array.isArray(value)) return "is not a list";
      const items = schema.items as PolicyConfigJSONSchema;
      return value.map((v) => problem(v, items)).find((p) => p !== undefined);
    }
    default:
      return `has a schema type the test does not know (${String(schema.type)})`;
  }
}

describe("the policy pack", () => {
  it("has at least 12 policies with unique kebab-case names", () => {
    const names = policies.map((p) => p.name);
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
  });

  it("describes each policy in one sentence starting with 'Checks that'", () => {
    for (const policy of policies) {
      expect(policy.description).toMatch(/^Checks that [^]*\.$/);
      expect(policy.description).not.toMatch(/\.\s/);
    }
  });

  it("gives every config setting a default and a description", () => {
    for (const policy of policies) {
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        expect([policy.name, key, schema.default !== undefined]).toEqual([policy.name, key, true]);
        expect([policy.name, key, typeof schema.description]).toEqual([policy.name, key, "string"]);
        expect([policy.name, key, problem(schema.default, schema)]).toEqual([
          policy.name,
          key,
          undefined,
        ]);
      }
    }
  });

  it.each(policies.map((p) => [p.name, p] as const))("%s passes the safe stack", async (_, p) => {
    expect(await runPack([p], safeStack)).toEqual([]);
  });
});

describe.each([
  ["dev.json", "advisory"],
  ["prod.json", "mandatory"],
  ["local.json", "mandatory"],
])("policies/config/%s", (file, level) => {
  const config = readJson(path.join("config", file));
  const byName = new Map(policies.map((p) => [p.name, p]));

  it(`sets every policy of the pack, ${level}`, () => {
    expect(Object.keys(config).sort()).toEqual([...byName.keys()].sort());
    for (const entry of Object.values(config)) {
      expect(ENFORCEMENT_LEVELS).toContain(entry.enforcementLevel);
      expect(entry.enforcementLevel).toBe(level);
    }
  });

  it("sets only settings the policies declare, with values their schemas accept", () => {
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(config)) {
      const schema: PolicyConfigSchema | undefined = byName.get(name)?.configSchema;
      for (const [key, value] of Object.entries(entry)) {
        if (key === "enforcementLevel") continue;
        const property = schema?.properties[key];
        const wrong = property ? problem(value, property) : "is not a setting of the policy";
        if (wrong) problems.push(`${name}.${key} ${wrong}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("README.md (policy pack section)", () => {
  // Prettier pads table cells; compare with single spaces.
  const readme = fs
    .readFileSync(path.join(POLICIES_DIR, "..", "README.md"), "utf8")
    .replace(/ +/g, " ");

  it("documents every policy and every setting with its default", () => {
    const missing: string[] = [];
    for (const policy of policies) {
      if (!readme.includes(`\`${policy.name}\``)) missing.push(policy.name);
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        // Table cells escape the pipes of regular expressions.
        const cell = JSON.stringify(schema.default).replace(/\|/g, "\\|");
        const row = `\`${key}\` | \`${cell}\``;
        if (!readme.includes(row)) missing.push(`${policy.name}: ${row}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
