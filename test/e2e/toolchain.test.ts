import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT, pulumiEnvironment, pulumiOk } from "../../scripts/pulumiCli";

/**
 * The toolchain's parts are the published ones, not stand-ins: the kafka plugin the engine loads
 * is the bridged provider (it serves `Acl` and `UserScramCredential`, which no stand-in did), and
 * the language host on PATH is the one of the pulumi release.
 */
const runFile = promisify(execFile);

/** The resource tokens @pulumi/kafka declares, read from its compiled classes. */
function sdkResourceTokens(): string[] {
  const dir = join(ROOT, "node_modules", "@pulumi", "kafka");
  const tokens = readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/__pulumiType = '([^']+)'/g)])
    .map((m) => m[1])
    .filter((t) => t.startsWith("kafka:index/"));
  return tokens.sort();
}

/** The Go module path and dependencies a binary was built from (`go version -m`). */
async function goBuildInfo(binary: string): Promise<{ path?: string; deps: string[] }> {
  const { stdout } = await runFile("go", ["version", "-m", binary]);
  const lines = stdout.split("\n").map((l) => l.trim().split(/\s+/));
  return {
    path: lines.find((l) => l[0] === "path")?.[1],
    deps: lines.filter((l) => l[0] === "dep").map((l) => `${l[1]} ${l[2]}`),
  };
}

describe("the offline toolchain's published parts", () => {
  let env: NodeJS.ProcessEnv;
  let backend: string;

  beforeAll(async () => {
    backend = mkdtempSync(join(tmpdir(), "tracking-e2e-toolchain-"));
    env = await pulumiEnvironment({
      backendDir: backend,
      log: (line) => process.stderr.write(`[toolchain] ${line}\n`),
    });
  });
  afterAll(() => {
    if (backend) rmSync(backend, { recursive: true, force: true });
  });

  it("installs kafka 3.13.2, the version @pulumi/kafka asks for, as the only kafka plugin", async () => {
    const plugins = JSON.parse((await pulumiOk(env, ["plugin", "ls", "--json"])).stdout) as {
      name: string;
      kind: string;
      version: string;
    }[];
    const kafka = plugins.filter((p) => p.name === "kafka");
    expect(kafka.map((p) => ({ name: p.name, kind: p.kind, version: p.version }))).toEqual([
      { name: "kafka", kind: "resource", version: "3.13.2" },
    ]);
  });

  it("loads a kafka plugin whose schema serves every resource of @pulumi/kafka, Acl included", async () => {
    const schema = JSON.parse(
      (await pulumiOk(env, ["package", "get-schema", "kafka@3.13.2"])).stdout,
    ) as { name: string; version: string; resources: Record<string, unknown> };
    expect({ name: schema.name, version: schema.version }).toEqual({
      name: "kafka",
      version: "3.13.2",
    });
    expect(Object.keys(schema.resources).sort()).toEqual(sdkResourceTokens());
    expect(Object.keys(schema.resources)).toEqual(
      expect.arrayContaining([
        "kafka:index/acl:Acl",
        "kafka:index/userScramCredential:UserScramCredential",
      ]),
    );
  });

  it("builds the kafka plugin from pulumi-kafka on Mongey's Terraform provider", async () => {
    const home = env.PULUMI_HOME!;
    const info = await goBuildInfo(
      join(home, "plugins", "resource-kafka-v3.13.2", "pulumi-resource-kafka"),
    );
    expect(info.path).toBe("github.com/pulumi/pulumi-kafka/provider/v3/cmd/pulumi-resource-kafka");
    expect(info.deps).toContain("github.com/Mongey/terraform-provider-kafka v0.13.1");
  });

  it("puts the release's Node.js language host on PATH", async () => {
    const { stdout } = await runFile("sh", ["-c", "command -v pulumi-language-nodejs"], { env });
    const info = await goBuildInfo(stdout.trim());
    expect(info.path).toBe("github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3");
    expect(info.deps).toContain("github.com/pulumi/pulumi/sdk/v3 v3.248.0");
  });
});
