import * as fs from "node:fs";
import * as path from "node:path";
import { PartResult, installedPlugin } from "../cache";
import { ToolchainError, sha256 } from "../common";
import { Context, buildPart, installPlugin, progressFor } from "../context";
import { goEnv, goModDownload } from "../go";
import { run } from "../run";

const KUBERNETES_MODULE = "github.com/pulumi/pulumi-kubernetes/provider/v4";
/** The only kubernetes provider version the module proxy serves (a pseudo-version, see TOOLCHAIN.md). */
const KUBERNETES_MODULE_VERSION = "v4.0.0-20260115033456-f47bc2d6f199";

/** Points the provider's local `sdk/v4 => ../sdk` replace at the module proxy's sdk/v4. */
function pinSdk(goModFile: string): void {
  const text = fs.readFileSync(goModFile, "utf8");
  const sdk = /github\.com\/pulumi\/pulumi-kubernetes\/sdk\/v4 (v\S+)/.exec(text)?.[1];
  if (!sdk) throw new ToolchainError("the kubernetes provider's go.mod does not require sdk/v4");
  fs.writeFileSync(
    goModFile,
    text.replace(
      /replace github\.com\/pulumi\/pulumi-kubernetes\/sdk\/v4 => \.\.\/sdk/,
      `replace github.com/pulumi/pulumi-kubernetes/sdk/v4 => github.com/pulumi/pulumi-kubernetes/sdk/v4 ${sdk}`,
    ),
  );
}

/** The real kubernetes resource plugin, from the provider module's only served pseudo-version. */
export function partKubernetes(ctx: Context): Promise<PartResult> {
  const version = ctx.versions.kubernetes;
  const binary = path.join(
    ctx.layout.plugins,
    `kubernetes-${version}`,
    "pulumi-resource-kubernetes",
  );
  return buildPart(ctx, {
    part: "kubernetes",
    key: sha256("kubernetes", version, KUBERNETES_MODULE_VERSION),
    outputs: [binary, installedPlugin(ctx.layout, "kubernetes", version)],
    what: `the kubernetes plugin ${version} from ${KUBERNETES_MODULE}`,
    cold: "cold, 15 min or more",
    build: async () => {
      await buildKubernetes(ctx, version, binary);
      return `${KUBERNETES_MODULE}@${KUBERNETES_MODULE_VERSION}`;
    },
  });
}

async function buildKubernetes(ctx: Context, version: string, binary: string): Promise<void> {
  const log = path.join(ctx.layout.logs, "kubernetes.log");
  const env = goEnv(ctx.layout.home);
  const progress = progressFor(ctx, "kubernetes plugin");
  const mod = await goModDownload(KUBERNETES_MODULE, KUBERNETES_MODULE_VERSION, {
    env,
    cwd: ctx.layout.src,
    log,
    progress,
  });
  // A writable copy of the whole provider module: generate.go writes the embedded files beside main.go.
  const dir = path.join(ctx.layout.src, "kubernetes");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(mod.dir, dir, { recursive: true });
  await run("chmod", ["-R", "u+w", dir]);
  pinSdk(path.join(dir, "go.mod"));
  await run("go", ["mod", "tidy"], { cwd: dir, env, log, nice: true, progress });
  const cmdDir = path.join(dir, "cmd", "pulumi-resource-kubernetes");
  await run("go", ["run", "-v", "./generate.go"], {
    cwd: cmdDir,
    env: { ...env, VERSION: version },
    log,
    nice: true,
    progress,
  });
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const versionVar = `${KUBERNETES_MODULE}/pkg/version.Version=${version}`;
  await run("go", ["build", "-v", "-ldflags", `-s -w -X ${versionVar}`, "-o", binary, "."], {
    cwd: cmdDir,
    env,
    log,
    nice: true,
    progress,
  });
  await installPlugin(ctx, "kubernetes", version, binary, log);
}
