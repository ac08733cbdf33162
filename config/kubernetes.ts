import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { z } from "zod";

/** The settings that choose the cluster and how the kubernetes provider waits on it. */
export interface KubernetesSettings {
  readonly kubernetesEnabled: boolean;
  readonly kubernetesRenderDirectory: string;
  readonly kubernetesKubeconfig: string;
  readonly kubernetesSkipAwait: boolean;
}

/**
 * True when `kubernetesKubeconfig` holds a kubeconfig's YAML rather than a path: a path is one
 * line, a kubeconfig always has several (`apiVersion`, `clusters`, ...).
 */
export function isKubeconfigText(value: string): boolean {
  return value.includes("\n");
}

/** A relative `kubernetesKubeconfig` path is read from the project folder, as the CLI runs there. */
export function kubeconfigPath(value: string, projectDir: string = process.cwd()): string {
  return isAbsolute(value) ? value : resolve(projectDir, value);
}

/**
 * `kubernetesKubeconfig` and `kubernetesSkipAwait` only mean something when the stack applies its
 * Kubernetes objects to a cluster; set anywhere else they would silently do nothing.
 */
export function checkKubernetes(c: KubernetesSettings, ctx: z.RefinementCtx): void {
  const issue = (key: keyof KubernetesSettings, input: unknown, message: string) =>
    ctx.addIssue({ code: "custom", path: [key], input, message });
  const unused = !c.kubernetesEnabled
    ? "`kubernetesEnabled` is false"
    : c.kubernetesRenderDirectory !== ""
      ? "`kubernetesRenderDirectory` is set (manifests go to a folder, not to a cluster)"
      : undefined;
  const kubeconfig = c.kubernetesKubeconfig;
  if (kubeconfig !== "" && unused) {
    // Never the YAML itself in a message: it holds the cluster's credentials.
    const shown = isKubeconfigText(kubeconfig) ? "<kubeconfig YAML>" : kubeconfig;
    issue("kubernetesKubeconfig", shown, `is set but ${unused}; remove it`);
  } else if (kubeconfig !== "" && !isKubeconfigText(kubeconfig)) {
    const file = kubeconfigPath(kubeconfig);
    if (!existsSync(file) || !statSync(file).isFile()) {
      issue(
        "kubernetesKubeconfig",
        kubeconfig,
        `no kubeconfig file at ${file}: give the path of a kubeconfig file (absolute, or relative ` +
          `to the project folder) or its YAML contents, or "" for the ambient KUBECONFIG and context`,
      );
    }
  }
  if (c.kubernetesSkipAwait && unused) {
    issue("kubernetesSkipAwait", true, `is true but ${unused}; remove it`);
  }
}
