import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * The GitHub workflows teams copy: they must name a guide that exists, document every secret and
 * variable they read, and never refresh from pull-request code (a refresh runs the Connector
 * provider's read, which restarts failed production connectors).
 */
const ROOT = join(__dirname, "..", "..", "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const GUIDE = join(ROOT, ".github", "README-workflows.md");

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly jobs: Record<string, { readonly steps: readonly Step[] }>;
}

const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));
const text = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");
const steps = (file: string) =>
  Object.values((parse(text(file)) as Workflow).jobs).flatMap((job) => job.steps);

describe("the GitHub workflows for teams", () => {
  it("name a setup guide that exists", () => {
    for (const file of files) {
      const named = [...text(file).matchAll(/\.github\/[\w./-]+\.md/g)].map((m) => m[0]);
      expect({ file, named: named.length > 0 }).toEqual({ file, named: true });
      for (const path of named)
        expect({ file, path, exists: existsSync(join(ROOT, path)) }).toEqual({
          file,
          path,
          exists: true,
        });
    }
  });

  it("document every secret and variable they read in the guide", () => {
    const guide = readFileSync(GUIDE, "utf8");
    for (const file of files) {
      const names = [...text(file).matchAll(/\b(?:secrets|vars)\.([A-Z][A-Z0-9_]*)/g)]
        .map((m) => m[1])
        .filter((name) => name !== "GITHUB_TOKEN");
      for (const name of new Set(names)) {
        expect({ file, name, documented: guide.includes(`\`${name}\``) }).toEqual({
          file,
          name,
          documented: true,
        });
      }
    }
  });

  it("never refresh in the pull-request preview", () => {
    const preview = steps("preview.yml");
    const pulumiSteps = preview.filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumiSteps.map((s) => s.with?.command)).toEqual(["preview"]);
    for (const step of pulumiSteps) expect(step.with?.refresh ?? false).toBe(false);
    for (const step of preview)
      expect(step.run ?? "").not.toMatch(/pulumi\s.*(--refresh|refresh\b)/);
  });

  it("refresh before every up from main, where drift is then caught", () => {
    const ups = steps("up.yml").filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(ups.map((s) => [s.with?.command, s.with?.refresh])).toEqual([
      ["up", true],
      ["up", true],
    ]);
  });
});
