import * as fs from "node:fs";
import * as path from "node:path";
import { PartName, PartResult } from "../cache";
import { sha256 } from "../common";
import { Context, buildPart, progressFor } from "../context";
import { goEnv, goModDownload } from "../go";
import {
  ETCD_MODULE,
  ETCD_VERSION,
  KUBERNETES_MODULE,
  KUBERNETES_SERVER_VERSION,
  KUBE_SERVER_SOURCES,
  kubeServerLayout,
  readTemplate,
  stagingVersion,
  versionLdflags,
  wrapperGoMod,
} from "../kubeServer";
import { run } from "../run";

/**
 * The local platform's Kubernetes control plane, built from the Go module proxy into
 * `<cache>/kube-server` (see scripts/TOOLCHAIN.md): etcd, and kube-apiserver with
 * kube-controller-manager from one wrapper module of k8s.io/kubernetes.
 */

interface Wrapper {
  part: PartName;
  label: string;
  /** The upstream module whose go.mod gives the go line and the replace list. */
  module: string;
  version: string;
  replaceVersion: string;
  template: string;
  /** Our Go files, copied beside the generated go.mod. */
  sources: string[];
  /** One `go build` per command: its package (or `.`), the binary, the -ldflags. */
  commands: { pkg: string; binary: string; ldflags: string }[];
}

/** The context of the kube-server parts: the same Go, their own folder in the cache. */
function kubeContext(ctx: Context): Context {
  return { ...ctx, layout: kubeServerLayout(path.dirname(ctx.layout.dir)) };
}

async function buildWrapperModule(ctx: Context, w: Wrapper): Promise<void> {
  const log = path.join(ctx.layout.logs, `${w.part}.log`);
  const env = goEnv(ctx.layout.home);
  const progress = progressFor(ctx, w.label);
  const upstream = await goModDownload(w.module, w.version, {
    env,
    cwd: ctx.layout.src,
    log,
    progress,
  });
  const dir = path.join(ctx.layout.src, w.part);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const goMod = wrapperGoMod(
    w.template,
    fs.readFileSync(upstream.goMod, "utf8"),
    w.version,
    w.replaceVersion,
  );
  fs.writeFileSync(path.join(dir, "go.mod"), goMod);
  for (const file of w.sources) fs.copyFileSync(file, path.join(dir, path.basename(file)));
  await run("go", ["mod", "tidy"], { cwd: dir, env, log, nice: true, progress });
  for (const c of w.commands) {
    fs.mkdirSync(path.dirname(c.binary), { recursive: true });
    const args = ["build", "-v", "-trimpath", "-ldflags", c.ldflags, "-o", c.binary, c.pkg];
    await run("go", args, { cwd: dir, env, log, nice: true, progress });
  }
}

/** etcd's own server (a one-line main of ours around `etcdmain.Main`). */
export function partEtcd(toolchain: Context): Promise<PartResult> {
  const ctx = kubeContext(toolchain);
  const binary = path.join(ctx.layout.bin, "etcd");
  const template = readTemplate("etcd");
  const main = path.join(KUBE_SERVER_SOURCES, "etcd", "main.go");
  return buildPart(ctx, {
    part: "etcd",
    key: sha256("etcd", ETCD_VERSION, template, fs.readFileSync(main, "utf8")),
    outputs: [binary],
    what: `etcd ${ETCD_VERSION} from ${ETCD_MODULE}`,
    cold: "cold, about 1 min",
    build: async () => {
      await buildWrapperModule(ctx, {
        part: "etcd",
        label: "etcd",
        module: ETCD_MODULE,
        version: ETCD_VERSION,
        replaceVersion: ETCD_VERSION,
        template,
        sources: [main],
        commands: [{ pkg: ".", binary, ldflags: "-s -w" }],
      });
      return binary;
    },
  });
}

/** kube-apiserver and kube-controller-manager, stamped with their release version. */
export function partKubeServer(toolchain: Context): Promise<PartResult> {
  const ctx = kubeContext(toolchain);
  const version = KUBERNETES_SERVER_VERSION;
  const template = readTemplate("kubernetes");
  const ldflags = `-s -w ${versionLdflags(version)}`;
  const commands = ["kube-apiserver", "kube-controller-manager"].map((name) => ({
    pkg: `${KUBERNETES_MODULE}/cmd/${name}`,
    binary: path.join(ctx.layout.bin, name),
    ldflags,
  }));
  return buildPart(ctx, {
    part: "kube-server",
    key: sha256("kube-server", version, template, ldflags),
    outputs: commands.map((c) => c.binary),
    what: `kube-apiserver and kube-controller-manager ${version} from ${KUBERNETES_MODULE}`,
    cold: "cold, 15 to 25 min on 2 cores",
    build: async () => {
      await buildWrapperModule(ctx, {
        part: "kube-server",
        label: "kube-server",
        module: KUBERNETES_MODULE,
        version,
        replaceVersion: stagingVersion(version),
        template,
        sources: [],
        commands,
      });
      return ctx.layout.bin;
    },
  });
}
