import * as fs from "node:fs";
import * as path from "node:path";
import { Layout, layoutFor } from "./cache";
import { ToolchainError } from "./common";
import { goDirective } from "./go";

/**
 * What the kube-server parts (etcd, kube-apiserver, kube-controller-manager) share: their
 * versions, their folder in the cache, and the generation of their wrapper modules' go.mod from
 * the upstream go.mod, so that the pinned replace list never goes stale by hand.
 */

export const KUBERNETES_SERVER_VERSION = "v1.37.2";
export const ETCD_VERSION = "v3.7.3";
export const KUBERNETES_MODULE = "k8s.io/kubernetes";
export const ETCD_MODULE = "go.etcd.io/etcd/server/v3";
export const KUBE_SERVER_SOURCES = path.join(__dirname, "kube-server");

/** The commands the platform runs, as they sit in the cache's kube-server bin folder. */
export const KUBE_SERVER_COMMANDS = ["etcd", "kube-apiserver", "kube-controller-manager"] as const;
export type KubeServerCommand = (typeof KUBE_SERVER_COMMANDS)[number];

/**
 * The kube-server's own folder beside the CLI versions' (`<cache>/kube-server`): a new Pulumi
 * version must not rebuild a 13-minute kube-apiserver.
 */
export function kubeServerLayout(cacheRoot: string): Layout {
  return layoutFor(cacheRoot, "kube-server");
}

/** Where the platform finds a built command, without creating any folder. */
export function kubeServerBinary(cacheRoot: string, command: KubeServerCommand): string {
  return path.join(cacheRoot, "kube-server", "bin", command);
}

/** The staging modules of k8s.io/kubernetes v1.X.Y are released as v0.X.Y. */
export function stagingVersion(kubernetesVersion: string): string {
  const m = /^v1\.(\d+)\.(\d+)$/.exec(kubernetesVersion);
  if (!m) throw new ToolchainError(`not a Kubernetes release version: ${kubernetesVersion}`);
  return `v0.${m[1]}.${m[2]}`;
}

/**
 * The `replace` directives of a go.mod whose target is a local path (`./staging/src/k8s.io/api`,
 * `../api`), each rewritten to the module itself at `version`: `k8s.io/api => k8s.io/api v0.37.2`.
 */
export function pinnedLocalReplaces(goModText: string, version: string): string[] {
  const pins: string[] = [];
  let inBlock = false;
  for (const raw of goModText.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    let directive: string | undefined;
    if (inBlock) {
      if (line === ")") inBlock = false;
      else if (line) directive = line;
    } else if (line === "replace (") inBlock = true;
    else if (line.startsWith("replace ")) directive = line.slice("replace ".length).trim();
    if (!directive) continue;
    const [from, to] = directive.split("=>").map((s) => s.trim());
    const target = to ?? "";
    if (!from || !(target.startsWith(".") || target.startsWith("/"))) continue;
    const mod = from.split(/\s+/)[0];
    pins.push(`${mod} => ${mod} ${version}`);
  }
  return pins;
}

/** The `godebug` lines of a go.mod: the main module's, which a wrapper must repeat to behave alike. */
export function godebugLines(goModText: string): string[] {
  return goModText
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^godebug\s/.test(l));
}

/** Fills `{{name}}` placeholders; an unknown or unfilled one is an error, not a broken go.mod. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const out = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new ToolchainError(`the template has an unknown {{${name}}}`);
    return v;
  });
  for (const name of Object.keys(values))
    if (!template.includes(`{{${name}}}`))
      throw new ToolchainError(`the template has no {{${name}}}`);
  return out;
}

/** A wrapper's go.mod from its template and the upstream module's downloaded go.mod. */
export function wrapperGoMod(
  template: string,
  upstreamGoMod: string,
  version: string,
  replaceVersion: string,
): string {
  const replaces = pinnedLocalReplaces(upstreamGoMod, replaceVersion);
  if (replaces.length === 0)
    throw new ToolchainError("the upstream go.mod has no local replace to pin");
  const values: Record<string, string> = {
    go: goDirective(upstreamGoMod),
    version,
    replaces: ["replace (", ...replaces.map((r) => `\t${r}`), ")"].join("\n"),
  };
  if (template.includes("{{godebug}}")) values.godebug = godebugLines(upstreamGoMod).join("\n");
  return fill(template, values);
}

function fill(template: string, values: Record<string, string>): string {
  return fillTemplate(template, values).replace(/\n{3,}/g, "\n\n");
}

/**
 * `-X` flags that stamp the release into both version packages: unstamped, `/version` says
 * `v0.0.0-master+$Format:%H$` and clients refuse the server.
 */
export function versionLdflags(kubernetesVersion: string): string {
  const m = /^v(\d+)\.(\d+)\.\d+$/.exec(kubernetesVersion);
  if (!m) throw new ToolchainError(`not a Kubernetes release version: ${kubernetesVersion}`);
  const vars = {
    gitVersion: kubernetesVersion,
    gitMajor: m[1],
    gitMinor: m[2],
    gitTreeState: "clean",
  };
  return ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]
    .flatMap((pkg) => Object.entries(vars).map(([k, v]) => `-X ${pkg}.${k}=${v}`))
    .join(" ");
}

/** Reads one of our templates (kube-server/<dir>/go.mod.tmpl). */
export function readTemplate(dir: string): string {
  return fs.readFileSync(path.join(KUBE_SERVER_SOURCES, dir, "go.mod.tmpl"), "utf8");
}
