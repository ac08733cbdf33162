import * as fs from "node:fs";
import * as path from "node:path";
import {
  Layout,
  Marker,
  PartName,
  PartResult,
  cached,
  installedPlugin,
  readMarker,
  reused,
  writeMarker,
} from "./cache";
import { ToolchainError, isRecord, readJson, say, seconds } from "./common";
import {
  GoModule,
  goDirective,
  goEnv,
  goModDownload,
  goModText,
  moduleReplaces,
  requireGo,
} from "./go";
import { formatElapsed } from "./progress";
import { run } from "./run";

const ROOT = path.resolve(__dirname, "..", "..");
export const CLI_MODULE = "github.com/pulumi/pulumi/pkg/v3";
export const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";
export const VERSION_VAR = `${SDK_MODULE}/go/common/version.Version`;

export interface Versions {
  cli: string;
  kafka: string;
  kubernetes: string;
}

/** What every part is built with; `ensureGo` fills in the Go half on the first build. */
export interface Context {
  layout: Layout;
  versions: Versions;
  force: boolean;
  /** The folder of upstream source trees the module proxy does not serve (see sources.ts). */
  thirdParty: string;
  /** The `pulumi` to run `plugin install` with. */
  cli: string;
  cliReplaces: string[];
  cliGoVersion: string;
  goReady: boolean;
  /** Progress line interval; tests shorten it. */
  progressIntervalMs?: number;
}

/** The plugin version an npm package asks for: its package.json "pulumi.version", else "version". */
export function packageVersion(name: string, pluginVersion: boolean): string {
  const file = path.join(ROOT, "node_modules", name, "package.json");
  if (!fs.existsSync(file)) throw new ToolchainError(`${name} is not installed: run npm ci first`);
  const pkg = readJson(file);
  if (!isRecord(pkg)) throw new ToolchainError(`${file} is not a JSON object`);
  const pulumi = pkg.pulumi;
  if (pluginVersion && isRecord(pulumi) && typeof pulumi.version === "string")
    return pulumi.version;
  if (typeof pkg.version !== "string") throw new ToolchainError(`${file} has no version`);
  return pkg.version;
}

/** The line a part says as it starts building: what it is, and how long it is expected to take. */
function buildingLine(part: PartName, what: string, cold: string, last?: Marker): string {
  const expect = last ? `last build took ${formatElapsed(last.seconds * 1000)}` : cold;
  return `  ${part.padEnd(16)} building ${what} (${expect})`;
}

export function progressFor(ctx: Context, label: string) {
  return { label, say, intervalMs: ctx.progressIntervalMs };
}

export async function ensureGo(ctx: Context): Promise<void> {
  if (ctx.goReady) return;
  const v = await requireGo();
  say(`  using ${v}`);
  // The replace directives and Go version of pkg/go.mod at this tag, for every wrapper module.
  const pkg = await goModDownload(CLI_MODULE, `v${ctx.versions.cli}`, {
    env: goEnv(ctx.layout.home),
    cwd: ctx.layout.src,
    log: path.join(ctx.layout.logs, "pulumi.log"),
    progress: progressFor(ctx, `downloading ${CLI_MODULE} v${ctx.versions.cli}`),
  });
  const text = fs.readFileSync(pkg.goMod, "utf8");
  ctx.cliReplaces = moduleReplaces(text);
  ctx.cliGoVersion = goDirective(text);
  ctx.goReady = true;
}

/**
 * Writes a wrapper module for a part (go.mod, and our sources when it has any), then
 * `go mod tidy` and `go build -v` in it, with a progress line every interval.
 */
export async function buildWrapper(
  ctx: Context,
  part: PartName,
  label: string,
  mod: GoModule,
  sourceFiles: readonly string[],
  buildArgs: string[],
): Promise<void> {
  const dir = path.join(ctx.layout.src, part);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "go.mod"), goModText(mod, ctx.cliGoVersion));
  for (const file of sourceFiles) fs.copyFileSync(file, path.join(dir, path.basename(file)));
  const log = path.join(ctx.layout.logs, `${part}.log`);
  const env = goEnv(ctx.layout.home);
  const progress = progressFor(ctx, label);
  await run("go", ["mod", "tidy"], { cwd: dir, env, log, nice: true, progress });
  await run("go", ["build", "-v", ...buildArgs], { cwd: dir, env, log, nice: true, progress });
}

/** Installs a plugin binary into PULUMI_HOME so that the engine finds it by name and exact version. */
export async function installPlugin(
  ctx: Context,
  name: string,
  version: string,
  binary: string,
  log: string,
): Promise<string> {
  const installed = installedPlugin(ctx.layout, name, version);
  fs.rmSync(path.dirname(installed), { recursive: true, force: true });
  fs.rmSync(`${path.dirname(installed)}.lock`, { force: true });
  const env = { ...process.env, PULUMI_HOME: ctx.layout.home, PULUMI_SKIP_UPDATE_CHECK: "true" };
  await run(ctx.cli, ["plugin", "install", "resource", name, version, "--file", binary], {
    env,
    log,
  });
  if (!fs.existsSync(installed))
    throw new ToolchainError(`pulumi plugin install did not create ${installed}`);
  return installed;
}

/** One part of the toolchain: what it is, when its cached build still serves, how to build it. */
export interface PartBuild {
  part: PartName;
  /** Versions and hashes of our sources: a different key rebuilds. */
  key: string;
  /** Files the part produces; a missing one rebuilds. */
  outputs: string[];
  /** Checked on a cache hit; false rebuilds. Defaults to true. */
  stillGood?: () => Promise<boolean>;
  /** For the line said as it starts: what is built, and the cold estimate ("cold, about 5 min"). */
  what: string;
  cold: string;
  /** Builds the part; resolves with the detail of its result line. */
  build: () => Promise<string>;
}

/** Reuses a part's cached build, or says what it builds, builds it with Go, and records it. */
export async function buildPart(ctx: Context, b: PartBuild): Promise<PartResult> {
  const hit = !ctx.force && cached(ctx.layout, b.part, b.key, b.outputs);
  if (hit && (await (b.stillGood?.() ?? true))) return reused(b.part, hit);
  // The last build's time is an estimate only for the same inputs; other inputs get the cold one.
  const last = readMarker(ctx.layout, b.part);
  say(buildingLine(b.part, b.what, b.cold, last?.key === b.key ? last : undefined));
  const start = process.hrtime.bigint();
  await ensureGo(ctx);
  const detail = await b.build();
  const secs = seconds(start);
  writeMarker(ctx.layout, b.part, b.key, secs);
  return { part: b.part, outcome: "built", seconds: secs, detail };
}
