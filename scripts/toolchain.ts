/**
 * The Pulumi toolchain of this project, without internet: finds a `pulumi` CLI of the version that
 * node_modules/@pulumi/pulumi asks for, or builds one with Go from the Go module proxy, together
 * with what the engine needs to run this program (Node.js language host, the dynamic-provider and
 * policy shims, the kafka plugin, and on request the kubernetes plugin). Everything goes into a
 * cache outside the repository; a second run finds it there and neither builds nor downloads.
 *
 *   tsx scripts/toolchain.ts                 build or reuse, then print the environment to export
 *   tsx scripts/toolchain.ts --print-env     only the `export` lines (for `eval "$(...)"`)
 *   tsx scripts/toolchain.ts --with-kubernetes   also build the kubernetes plugin (long)
 *
 * Cache: $TRACKING_TOOLCHAIN_CACHE or ~/.cache/tracking-pipeline/toolchain, one folder per CLI
 * version holding bin/ (put it on PATH), pulumi-home/ (PULUMI_HOME, with the plugins installed),
 * src/ (the Go wrapper modules), logs/ and markers/. See scripts/TOOLCHAIN.md.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";

const ROOT = path.resolve(__dirname, "..");
const SOURCES = path.join(__dirname, "toolchain");
const CLI_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";
const VERSION_VAR = `${SDK_MODULE}/go/common/version.Version`;
const KUBERNETES_MODULE = "github.com/pulumi/pulumi-kubernetes/provider/v4";
/** The only kubernetes provider version the module proxy serves (a pseudo-version, see TOOLCHAIN.md). */
const KUBERNETES_MODULE_VERSION = "v4.0.0-20260115033456-f47bc2d6f199";
/** Pinned so that a rebuild picks the same Kafka client. */
const FRANZ_GO = {
  "github.com/twmb/franz-go": "v1.22.3",
  "github.com/twmb/franz-go/pkg/kadm": "v1.20.0",
};

type PartName = "pulumi" | "language-nodejs" | "shims" | "kafka" | "kubernetes";
type Outcome = "built" | "cached" | "found" | "skipped";

interface PartResult {
  part: PartName;
  outcome: Outcome;
  seconds: number;
  detail: string;
}

interface Marker {
  part: PartName;
  key: string;
  builtAt: string;
  seconds: number;
}

interface Layout {
  dir: string;
  bin: string;
  home: string;
  src: string;
  logs: string;
  markers: string;
  plugins: string;
}

interface Versions {
  cli: string;
  kafka: string;
  kubernetes: string;
}

class ToolchainError extends Error {}

// ---------------------------------------------------------------------------------------------
// small helpers

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The plugin version an npm package asks for: its package.json "pulumi.version", else "version". */
function packageVersion(name: string, pluginVersion: boolean): string {
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

function sha256(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 16);
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function seconds(start: bigint): number {
  return Number((process.hrtime.bigint() - start) / 1_000_000n) / 1000;
}

function tailOf(file: string, lines: number): string {
  if (!fs.existsSync(file)) return "";
  return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Output goes to this file (appended); without it, output is captured and returned. */
  log?: string;
  /** Run under `nice -n 19`: the machine is shared. */
  nice?: boolean;
}

/** Runs a program without a shell; rejects with the tail of its output when it fails. */
async function run(command: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const [file, argv] = opts.nice ? ["nice", ["-n", "19", command, ...args]] : [command, args];
  const child = spawn(file, argv, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = opts.log ? fs.createWriteStream(opts.log, { flags: "a" }) : undefined;
  if (out)
    out.write(
      `\n$ ${[command, ...args].map(shellQuote).join(" ")}   (in ${opts.cwd ?? process.cwd()})\n`,
    );
  const chunks: Buffer[] = [];
  const collect = (b: Buffer): void => {
    if (out) out.write(b);
    else chunks.push(b);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  if (out) await new Promise<void>((resolve) => out.end(resolve));
  const text = Buffer.concat(chunks).toString("utf8");
  if (code !== 0) {
    const why = signal ? `killed by ${signal}` : `exit code ${code}`;
    const detail = opts.log ? tailOf(opts.log, 25) : text.trim();
    throw new ToolchainError(`${command} ${args.join(" ")} failed (${why})\n${detail}`);
  }
  return text;
}

/** Finds an executable on PATH, skipping the given folder. */
function which(name: string, skipDir?: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir || (skipDir && path.resolve(dir) === path.resolve(skipDir))) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What `pulumi version` prints (e.g. "v3.248.0"), or undefined when it does not run. */
async function reportedVersion(pulumi: string): Promise<string | undefined> {
  try {
    const env = { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" };
    return (await run(pulumi, ["version"], { env })).trim();
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// the cache

function layoutFor(cacheRoot: string, cliVersion: string): Layout {
  const dir = path.join(cacheRoot, cliVersion);
  const l: Layout = {
    dir,
    bin: path.join(dir, "bin"),
    home: path.join(dir, "pulumi-home"),
    src: path.join(dir, "src"),
    logs: path.join(dir, "logs"),
    markers: path.join(dir, "markers"),
    plugins: path.join(dir, "plugins"),
  };
  for (const d of Object.values(l)) fs.mkdirSync(d, { recursive: true });
  return l;
}

function readMarker(l: Layout, part: PartName): Marker | undefined {
  const file = path.join(l.markers, `${part}.json`);
  if (!fs.existsSync(file)) return undefined;
  const m = readJson(file);
  if (!isRecord(m) || typeof m.key !== "string" || typeof m.seconds !== "number") return undefined;
  return { part, key: m.key, builtAt: String(m.builtAt), seconds: m.seconds };
}

function writeMarker(l: Layout, part: PartName, key: string, secs: number): void {
  const m: Marker = { part, key, builtAt: new Date().toISOString(), seconds: secs };
  fs.writeFileSync(path.join(l.markers, `${part}.json`), JSON.stringify(m, null, 2) + "\n");
}

/** A part is cached when its marker has the same key and all its outputs exist. */
function cached(l: Layout, part: PartName, key: string, outputs: string[]): Marker | undefined {
  const m = readMarker(l, part);
  return m && m.key === key && outputs.every((f) => fs.existsSync(f)) ? m : undefined;
}

/** The result of a part whose earlier build is reused. */
function reused(part: PartName, hit: Marker): PartResult {
  return { part, outcome: "cached", seconds: 0, detail: `built ${hit.builtAt} in ${hit.seconds}s` };
}

// ---------------------------------------------------------------------------------------------
// Go

function goEnv(l: Layout): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CGO_ENABLED: "0",
    // Never fetch another Go toolchain: build with the one installed, or fail and say so.
    GOTOOLCHAIN: "local",
    GOFLAGS: [process.env.GOFLAGS, "-buildvcs=false"].filter(Boolean).join(" "),
    // Keep the plugins' own `pulumi` look-ups inside the cache.
    PULUMI_HOME: l.home,
  };
}

async function requireGo(): Promise<string> {
  if (!which("go"))
    throw new ToolchainError("Go is needed to build the toolchain and is not on PATH");
  return (await run("go", ["version"])).trim();
}

/** Downloads a module (through the module proxy) and returns its folder and go.mod file. */
async function goModDownload(
  l: Layout,
  mod: string,
  version: string,
  log: string,
): Promise<{ dir: string; goMod: string }> {
  const out = await run("go", ["mod", "download", "-json", `${mod}@${version}`], {
    env: goEnv(l),
    cwd: l.src,
  });
  fs.appendFileSync(log, out);
  const info = JSON.parse(out) as unknown;
  if (!isRecord(info) || typeof info.Dir !== "string" || typeof info.GoMod !== "string") {
    const err = isRecord(info) && typeof info.Error === "string" ? info.Error : out;
    throw new ToolchainError(`could not download ${mod}@${version}: ${err}`);
  }
  return { dir: info.Dir, goMod: info.GoMod };
}

/** The `replace` directives of a go.mod whose target is a module (not a local path). */
function moduleReplaces(goModText: string): string[] {
  const lines: string[] = [];
  let inBlock = false;
  for (const raw of goModText.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (inBlock) {
      if (line === ")") inBlock = false;
      else if (line) lines.push(line);
    } else if (line === "replace (") inBlock = true;
    else if (line.startsWith("replace ")) lines.push(line.slice("replace ".length).trim());
  }
  return lines.filter((r) => {
    const target = r.split("=>")[1]?.trim() ?? "";
    return target !== "" && !target.startsWith(".") && !target.startsWith("/");
  });
}

interface GoModule {
  name: string;
  requires: Record<string, string>;
  replaces: string[];
  tool?: string;
}

function goModText(m: GoModule, goVersion: string): string {
  const req = Object.entries(m.requires).map(([k, v]) => `\t${k} ${v}`);
  return [
    `// Written by scripts/toolchain.ts; do not edit.`,
    `module ${m.name}`,
    ``,
    `go ${goVersion}`,
    ``,
    `require (`,
    ...req,
    `)`,
    ``,
    ...m.replaces.map((r) => `replace ${r}`),
    ...(m.tool ? [``, `tool ${m.tool}`] : []),
    ``,
  ].join("\n");
}

/** The `go` line of a go.mod (the wrapper must not ask for less than its dependencies). */
function goDirective(goModText: string): string {
  return /^go\s+(\S+)/m.exec(goModText)?.[1] ?? "1.25";
}

// ---------------------------------------------------------------------------------------------
// the parts

interface Context {
  layout: Layout;
  versions: Versions;
  force: boolean;
  /** The `pulumi` to run `plugin install` with. */
  cli: string;
  cliReplaces: string[];
  cliGoVersion: string;
  goReady: boolean;
}

async function ensureGo(ctx: Context): Promise<void> {
  if (ctx.goReady) return;
  const v = await requireGo();
  say(`  using ${v}`);
  // The replace directives and Go version of pkg/go.mod at this tag, for every wrapper module.
  const log = path.join(ctx.layout.logs, "pulumi.log");
  const pkg = await goModDownload(ctx.layout, CLI_MODULE, `v${ctx.versions.cli}`, log);
  const text = fs.readFileSync(pkg.goMod, "utf8");
  ctx.cliReplaces = moduleReplaces(text);
  ctx.cliGoVersion = goDirective(text);
  ctx.goReady = true;
}

async function buildWrapper(
  ctx: Context,
  part: PartName,
  mod: GoModule,
  sourceFile: string | undefined,
  buildArgs: string[],
): Promise<void> {
  const dir = path.join(ctx.layout.src, part);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "go.mod"), goModText(mod, ctx.cliGoVersion));
  if (sourceFile) fs.copyFileSync(sourceFile, path.join(dir, "main.go"));
  const log = path.join(ctx.layout.logs, `${part}.log`);
  const env = goEnv(ctx.layout);
  await run("go", ["mod", "tidy"], { cwd: dir, env, log, nice: true });
  await run("go", ["build", ...buildArgs], { cwd: dir, env, log, nice: true });
}

async function partCli(ctx: Context): Promise<PartResult> {
  const target = path.join(ctx.layout.bin, "pulumi");
  const key = sha256("pulumi", ctx.versions.cli);
  const v = `v${ctx.versions.cli}`;
  const hit = !ctx.force && cached(ctx.layout, "pulumi", key, [target]);
  if (hit && (await reportedVersion(target)) === v) {
    return reused("pulumi", hit);
  }
  const start = process.hrtime.bigint();
  await ensureGo(ctx);
  await buildWrapper(
    ctx,
    "pulumi",
    {
      name: "tracking-pipeline.local/toolchain/pulumi",
      requires: { [CLI_MODULE]: v, [SDK_MODULE]: v },
      replaces: ctx.cliReplaces,
      tool: `${CLI_MODULE}/cmd/pulumi`,
    },
    undefined,
    [
      "-tags",
      "osusergo",
      "-ldflags",
      `-s -w -X ${VERSION_VAR}=${v}`,
      "-o",
      target,
      `${CLI_MODULE}/cmd/pulumi`,
    ],
  );
  const reported = await reportedVersion(target);
  if (reported !== v) {
    throw new ToolchainError(`the built pulumi reports ${reported ?? "nothing"}, expected ${v}`);
  }
  const secs = seconds(start);
  writeMarker(ctx.layout, "pulumi", key, secs);
  return { part: "pulumi", outcome: "built", seconds: secs, detail: `${CLI_MODULE} ${v}` };
}

async function partLanguageHost(ctx: Context): Promise<PartResult> {
  const target = path.join(ctx.layout.bin, "pulumi-language-nodejs");
  const source = path.join(SOURCES, "language-nodejs", "main.go");
  const key = sha256("language-nodejs", ctx.versions.cli, fs.readFileSync(source, "utf8"));
  const hit = !ctx.force && cached(ctx.layout, "language-nodejs", key, [target]);
  if (hit) {
    return reused("language-nodejs", hit);
  }
  const start = process.hrtime.bigint();
  await ensureGo(ctx);
  const v = `v${ctx.versions.cli}`;
  await buildWrapper(
    ctx,
    "language-nodejs",
    {
      name: "tracking-pipeline.local/toolchain/pulumi-language-nodejs",
      requires: { [SDK_MODULE]: v },
      replaces: ctx.cliReplaces,
    },
    source,
    ["-ldflags", `-s -w -X ${VERSION_VAR}=${v}`, "-o", target, "."],
  );
  const secs = seconds(start);
  writeMarker(ctx.layout, "language-nodejs", key, secs);
  return {
    part: "language-nodejs",
    outcome: "built",
    seconds: secs,
    detail: `our host on ${SDK_MODULE} ${v}`,
  };
}

/**
 * The two shell shims that sit beside the CLI in a release. The engine starts them in the
 * program's folder (dynamic providers) or the policy pack's folder (analyzer), so `require.resolve`
 * finds that folder's @pulumi/pulumi.
 */
const SHIMS: Record<string, string> = {
  "pulumi-resource-pulumi-nodejs": [
    "#!/bin/sh",
    "# Dynamic provider host: @pulumi/pulumi's dynamic-provider, from the program's node_modules.",
    "# Written by scripts/toolchain.ts.",
    `script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1`,
    `exec node "$script" "$@"`,
    "",
  ].join("\n"),
  "pulumi-analyzer-policy": [
    "#!/bin/sh",
    "# Policy pack host: @pulumi/pulumi's run-policy-pack, from the policy pack's node_modules.",
    "# Written by scripts/toolchain.ts.",
    `script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/run-policy-pack'))") || exit 1`,
    `exec node "$script" "$@"`,
    "",
  ].join("\n"),
};

function partShims(ctx: Context): PartResult {
  let wrote = 0;
  for (const [name, text] of Object.entries(SHIMS)) {
    const file = path.join(ctx.layout.bin, name);
    if (!ctx.force && fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) continue;
    fs.writeFileSync(file, text, { mode: 0o755 });
    fs.chmodSync(file, 0o755);
    wrote++;
  }
  return {
    part: "shims",
    outcome: wrote ? "built" : "cached",
    seconds: 0,
    detail: Object.keys(SHIMS).join(", "),
  };
}

/** Installs a plugin binary into PULUMI_HOME so that the engine finds it by name and exact version. */
async function installPlugin(
  ctx: Context,
  name: string,
  version: string,
  binary: string,
  log: string,
): Promise<string> {
  const installed = path.join(
    ctx.layout.home,
    "plugins",
    `resource-${name}-v${version}`,
    `pulumi-resource-${name}`,
  );
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

async function partKafka(ctx: Context): Promise<PartResult> {
  const version = ctx.versions.kafka;
  const binary = path.join(ctx.layout.plugins, `kafka-${version}`, "pulumi-resource-kafka");
  const installed = path.join(
    ctx.layout.home,
    "plugins",
    `resource-kafka-v${version}`,
    "pulumi-resource-kafka",
  );
  const source = path.join(SOURCES, "kafka-provider", "main.go");
  const key = sha256(
    "kafka",
    version,
    ctx.versions.cli,
    fs.readFileSync(source, "utf8"),
    JSON.stringify(FRANZ_GO),
  );
  const hit = !ctx.force && cached(ctx.layout, "kafka", key, [binary, installed]);
  if (hit) return reused("kafka", hit);
  const start = process.hrtime.bigint();
  await ensureGo(ctx);
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  await buildWrapper(
    ctx,
    "kafka",
    {
      name: "tracking-pipeline.local/toolchain/pulumi-resource-kafka",
      requires: { [SDK_MODULE]: `v${ctx.versions.cli}`, ...FRANZ_GO },
      replaces: ctx.cliReplaces,
    },
    source,
    ["-ldflags", `-s -w -X main.version=${version}`, "-o", binary, "."],
  );
  await installPlugin(ctx, "kafka", version, binary, path.join(ctx.layout.logs, "kafka.log"));
  const secs = seconds(start);
  writeMarker(ctx.layout, "kafka", key, secs);
  return {
    part: "kafka",
    outcome: "built",
    seconds: secs,
    detail: `stand-in provider, installed as kafka ${version}`,
  };
}

async function partKubernetes(ctx: Context): Promise<PartResult> {
  const version = ctx.versions.kubernetes;
  const binary = path.join(
    ctx.layout.plugins,
    `kubernetes-${version}`,
    "pulumi-resource-kubernetes",
  );
  const installed = path.join(
    ctx.layout.home,
    "plugins",
    `resource-kubernetes-v${version}`,
    "pulumi-resource-kubernetes",
  );
  const key = sha256("kubernetes", version, KUBERNETES_MODULE_VERSION);
  const hit = !ctx.force && cached(ctx.layout, "kubernetes", key, [binary, installed]);
  if (hit) {
    return reused("kubernetes", hit);
  }
  const start = process.hrtime.bigint();
  await ensureGo(ctx);
  const log = path.join(ctx.layout.logs, "kubernetes.log");
  const mod = await goModDownload(ctx.layout, KUBERNETES_MODULE, KUBERNETES_MODULE_VERSION, log);
  // A writable copy of the whole provider module: generate.go writes the embedded files beside main.go.
  const dir = path.join(ctx.layout.src, "kubernetes");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(mod.dir, dir, { recursive: true });
  await run("chmod", ["-R", "u+w", dir]);
  // Its go.mod points the SDK module at ../sdk; take the required version from the module proxy.
  const goModFile = path.join(dir, "go.mod");
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
  const env = goEnv(ctx.layout);
  await run("go", ["mod", "tidy"], { cwd: dir, env, log, nice: true });
  const cmdDir = path.join(dir, "cmd", "pulumi-resource-kubernetes");
  await run("go", ["run", "./generate.go"], {
    cwd: cmdDir,
    env: { ...env, VERSION: version },
    log,
    nice: true,
  });
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const versionVar = `${KUBERNETES_MODULE}/pkg/version.Version=${version}`;
  await run("go", ["build", "-ldflags", `-s -w -X ${versionVar}`, "-o", binary, "."], {
    cwd: cmdDir,
    env,
    log,
    nice: true,
  });
  await installPlugin(ctx, "kubernetes", version, binary, log);
  const secs = seconds(start);
  writeMarker(ctx.layout, "kubernetes", key, secs);
  return {
    part: "kubernetes",
    outcome: "built",
    seconds: secs,
    detail: `${KUBERNETES_MODULE}@${KUBERNETES_MODULE_VERSION}`,
  };
}

// ---------------------------------------------------------------------------------------------
// main

const say = (line: string): void => console.error(line);

interface Flags {
  cache?: string;
  force: boolean;
  withKubernetes: boolean;
  printEnv: boolean;
}

/** A `pulumi` on PATH (not ours) whose version is the one wanted, if any. */
async function fittingPulumi(bin: string, wanted: string): Promise<string | undefined> {
  const found = which("pulumi", bin);
  if (!found) return undefined;
  const v = await reportedVersion(found);
  if (v === `v${wanted}`) return found;
  say(`  ignoring ${found}: it reports ${v ?? "no version"}, this project needs v${wanted}`);
  return undefined;
}

async function main(flags: Flags): Promise<void> {
  const cacheRoot = path.resolve(
    flags.cache ??
      process.env.TRACKING_TOOLCHAIN_CACHE ??
      path.join(os.homedir(), ".cache", "tracking-pipeline", "toolchain"),
  );
  const versions: Versions = {
    cli: packageVersion("@pulumi/pulumi", false),
    kafka: packageVersion("@pulumi/kafka", true),
    kubernetes: packageVersion("@pulumi/kubernetes", true),
  };
  const layout = layoutFor(cacheRoot, versions.cli);
  say(`pulumi toolchain ${versions.cli} in ${layout.dir}`);

  const ctx: Context = {
    layout,
    versions,
    force: flags.force,
    cli: path.join(layout.bin, "pulumi"),
    cliReplaces: [],
    cliGoVersion: "1.25",
    goReady: false,
  };
  const results: PartResult[] = [];
  const step = async (p: Promise<PartResult> | PartResult): Promise<void> => {
    const r = await p;
    results.push(r);
    const time = r.outcome === "built" ? ` in ${r.seconds.toFixed(1)}s` : "";
    say(`  ${r.part.padEnd(16)} ${r.outcome}${time}  (${r.detail})`);
  };

  const external = await fittingPulumi(layout.bin, versions.cli);
  let binDir = layout.bin;
  if (external && fs.existsSync(path.join(path.dirname(external), "pulumi-language-nodejs"))) {
    // A release install of the right version: its language host and shims come with it.
    ctx.cli = external;
    binDir = path.dirname(external);
    results.push({ part: "pulumi", outcome: "found", seconds: 0, detail: external });
    say(`  pulumi           found ${external} (with its language host and shims)`);
  } else {
    if (external) {
      ctx.cli = external;
      binDir = layout.bin;
      say(`  pulumi           found ${external}; building the language host and shims beside ours`);
    } else {
      await step(partCli(ctx));
    }
    await step(partLanguageHost(ctx));
    await step(partShims(ctx));
  }
  await step(partKafka(ctx));
  if (flags.withKubernetes) await step(partKubernetes(ctx));
  else
    results.push({
      part: "kubernetes",
      outcome: "skipped",
      seconds: 0,
      detail: "pass --with-kubernetes",
    });

  const env: [string, string][] = [
    ["PATH", `${binDir}${path.delimiter}$PATH`],
    ["PULUMI_HOME", layout.home],
    ["PULUMI_SKIP_UPDATE_CHECK", "true"],
    ["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true"],
  ];
  const exports = env.map(([k, v]) =>
    k === "PATH"
      ? `export PATH=${shellQuote(binDir)}${path.delimiter}"$PATH"`
      : `export ${k}=${shellQuote(v)}`,
  );
  if (flags.printEnv) {
    console.log(exports.join("\n"));
    return;
  }
  const built = results.filter((r) => r.outcome === "built");
  if (built.length)
    say(
      `built: ${built.map((r) => `${r.part} ${r.seconds.toFixed(0)}s`).join(", ")}; logs in ${layout.logs}`,
    );
  console.log(`bin: ${binDir}`);
  console.log("environment:");
  for (const line of exports) console.log(`  ${line}`);
}

const program = new Command()
  .name("toolchain")
  .description(
    "Find or build the Pulumi CLI, language host and plugins this project needs, in a cache outside the repo.",
  )
  .option(
    "--cache <dir>",
    "cache folder (default $TRACKING_TOOLCHAIN_CACHE or ~/.cache/tracking-pipeline/toolchain)",
  )
  .option("--force", "rebuild every part even when the cache has it", false)
  .option("--with-kubernetes", "also build the kubernetes resource plugin (long build)", false)
  .option("--print-env", "print only the export lines, for eval", false)
  .action(async (opts: Flags) => {
    try {
      await main(opts);
    } catch (err) {
      if (err instanceof ToolchainError) {
        say(`toolchain: ${err.message}`);
        process.exitCode = 1;
      } else {
        throw err;
      }
    }
  });

void program.parseAsync(process.argv);
