import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isRecord, readJson } from "./common";

/**
 * The cache outside the repository: one folder per CLI version, a marker per built part. A part
 * is reused when its marker has the same key (versions and a hash of our sources) and its
 * outputs exist; nothing then runs `go` or touches the network.
 */

export type PartName =
  | "pulumi"
  | "language-nodejs"
  | "shims"
  | "kafka"
  | "kubernetes"
  | "etcd"
  | "kube-server"
  | "promtool"
  | "operator-crds";
export type Outcome = "built" | "cached" | "found" | "skipped";

export interface PartResult {
  part: PartName;
  outcome: Outcome;
  seconds: number;
  detail: string;
}

export interface Marker {
  part: PartName;
  key: string;
  builtAt: string;
  seconds: number;
}

export interface Layout {
  dir: string;
  /** `pulumi` and the language host and shims: put it on PATH. */
  bin: string;
  /** PULUMI_HOME, with the plugins installed. */
  home: string;
  /** The generated Go wrapper modules. */
  src: string;
  logs: string;
  markers: string;
  /** Plugin binaries as built, before `pulumi plugin install`. */
  plugins: string;
}

/** `--cache`, else $TRACKING_TOOLCHAIN_CACHE, else ~/.cache/tracking-pipeline/toolchain. */
export function cacheRootFor(flag: string | undefined, env = process.env): string {
  return path.resolve(
    flag ??
      env.TRACKING_TOOLCHAIN_CACHE ??
      path.join(os.homedir(), ".cache", "tracking-pipeline", "toolchain"),
  );
}

export function layoutFor(cacheRoot: string, cliVersion: string): Layout {
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

export function readMarker(l: Layout, part: PartName): Marker | undefined {
  const file = path.join(l.markers, `${part}.json`);
  if (!fs.existsSync(file)) return undefined;
  const m = readJson(file);
  if (!isRecord(m) || typeof m.key !== "string" || typeof m.seconds !== "number") return undefined;
  return { part, key: m.key, builtAt: String(m.builtAt), seconds: m.seconds };
}

export function writeMarker(l: Layout, part: PartName, key: string, secs: number): void {
  const m: Marker = { part, key, builtAt: new Date().toISOString(), seconds: secs };
  fs.writeFileSync(path.join(l.markers, `${part}.json`), JSON.stringify(m, null, 2) + "\n");
}

/** A part is cached when its marker has the same key and all its outputs exist. */
export function cached(
  l: Layout,
  part: PartName,
  key: string,
  outputs: string[],
): Marker | undefined {
  const m = readMarker(l, part);
  return m && m.key === key && outputs.every((f) => fs.existsSync(f)) ? m : undefined;
}

/** The result of a part whose earlier build is reused. */
export function reused(part: PartName, hit: Marker): PartResult {
  return { part, outcome: "cached", seconds: 0, detail: `built ${hit.builtAt} in ${hit.seconds}s` };
}

/** The file a plugin is installed as in PULUMI_HOME, where the engine finds it by exact version. */
export function installedPlugin(l: Layout, name: string, version: string): string {
  return path.join(l.home, "plugins", `resource-${name}-v${version}`, `pulumi-resource-${name}`);
}
