import * as fs from "node:fs";
import * as path from "node:path";
import { ToolchainError, sha256 } from "./common";

/**
 * Where the upstream Go source of a part comes from: the Go module proxy when it serves the
 * module, else an unmodified source tree in the third-party folder (`../shared/third_party` by
 * default, see its ORIGIN.md). Either way the part builds in a writable copy in the cache, never
 * in the source itself.
 */

const ROOT = path.resolve(__dirname, "..", "..");

/** The setting's names, for messages that say how to fix a missing tree. */
export const THIRD_PARTY_FLAG = "--third-party";
export const THIRD_PARTY_ENV = "TRACKING_THIRD_PARTY";

/** `--third-party`, else $TRACKING_THIRD_PARTY, else `../shared/third_party` beside the repository. */
export function thirdPartyRootFor(flag: string | undefined, env = process.env): string {
  return path.resolve(
    flag ?? env[THIRD_PARTY_ENV] ?? path.join(ROOT, "..", "shared", "third_party"),
  );
}

/** An upstream Go module and the folder of its module root inside the third-party folder. */
export interface Upstream {
  readonly module: string;
  /** With the leading `v`: `v3.13.2`. */
  readonly version: string;
  /** Relative to the third-party folder: `pulumi-kafka/provider`. */
  readonly tree: string;
}

/** Every file under `dir` (sorted, relative paths), for hashing and copying. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

/** A hash of a tree's file names and contents: an edited or updated tree rebuilds. */
export function treeHash(dir: string): string {
  const parts = filesUnder(dir).flatMap((f) => [
    f,
    fs.readFileSync(path.join(dir, f)).toString("base64"),
  ]);
  return sha256(...parts);
}

/**
 * What a part's cache key depends on, known without the network: the tree's hash when the tree is
 * there (it is what a machine without the module on the proxy builds), else the module version.
 */
export function sourceKey(up: Upstream, thirdParty: string): string {
  const tree = path.join(thirdParty, up.tree);
  return fs.existsSync(tree) ? `tree ${treeHash(tree)}` : `module ${up.module}@${up.version}`;
}

export interface ResolvedSource {
  /** The read-only folder to copy from. */
  readonly dir: string;
  /** Where it came from, for the part's result line. */
  readonly from: string;
}

/**
 * The module from the proxy (`download` resolves with its folder), else the tree; throws, naming
 * the setting, when neither is there.
 */
export async function resolveSource(
  up: Upstream,
  thirdParty: string,
  download: (module: string, version: string) => Promise<string>,
): Promise<ResolvedSource> {
  let refused: string;
  try {
    return { dir: await download(up.module, up.version), from: "the Go module proxy" };
  } catch (err) {
    // The last clause of go's message: "403 Forbidden", "no such host".
    const message = err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err);
    refused = message.split(": ").pop()?.trim() ?? "";
  }
  const tree = path.join(thirdParty, up.tree);
  if (fs.existsSync(path.join(tree, "go.mod"))) return { dir: tree, from: tree };
  throw new ToolchainError(
    `${up.module} ${up.version}: the Go module proxy does not serve it (${refused}) and its ` +
      `source tree is not in ${tree}. Point ${THIRD_PARTY_FLAG} <dir> or ${THIRD_PARTY_ENV} at ` +
      `the folder that holds ${up.tree.split("/")[0]}/ (the third-party folder with ORIGIN.md; ` +
      `default ../shared/third_party beside the repository).`,
  );
}

/** A fresh writable copy of `from` at `to` (module zips and shared trees are read-only). */
export function writableCopy(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  for (const f of filesUnder(from)) {
    const target = path.join(to, f);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(from, f), target);
    fs.chmodSync(target, 0o644);
  }
}

/**
 * The upstream source of a part as a fresh writable folder `src/<name>` of the build folder: the
 * module from the proxy where it serves it, else the tree (`go generate` and `go mod edit` write
 * into it). Answers the folder and where the source came from.
 */
export async function writableSourceOf(
  up: Upstream,
  where: { readonly thirdParty: string; readonly srcRoot: string; readonly name: string },
  download: (module: string, version: string) => Promise<string>,
): Promise<{ readonly dir: string; readonly from: string }> {
  const source = await resolveSource(up, where.thirdParty, download);
  const dir = path.join(where.srcRoot, where.name);
  writableCopy(source.dir, dir);
  return { dir, from: source.from };
}
