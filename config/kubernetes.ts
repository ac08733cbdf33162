import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { memoryBytes } from "../components/memory";

/** The settings that choose the cluster and how the kubernetes provider waits on it. */
export interface KubernetesSettings {
  readonly restProxyMemoryRequest: string;
  readonly restProxyMemoryLimit: string;
  readonly connectMemoryRequest: string;
  readonly connectMemoryLimit: string;
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
  const issue = (key: keyof KubernetesSettings, input: unknown, message: string): void =>
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
  // The API server refuses a container whose request exceeds its limit
  // (`resources.requests: Invalid value ... must be less than or equal to memory limit`).
  for (const [request, limit] of [
    ["restProxyMemoryRequest", "restProxyMemoryLimit"],
    ["connectMemoryRequest", "connectMemoryLimit"],
  ] as const) {
    const asked = memoryBytes(c[request]);
    const allowed = memoryBytes(c[limit]);
    if (asked !== undefined && allowed !== undefined && asked > allowed) {
      issue(
        request,
        c[request],
        `must not exceed \`${limit}\` (${c[limit]}): Kubernetes refuses a container whose memory ` +
          "request is above its limit; lower the request or raise the limit",
      );
    }
  }
}

const DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

/**
 * An Ingress rule's host as the API server accepts it: a lowercase DNS name (RFC 1123), optionally
 * `*.` in front, never an IP address. Checked here so that `preview` names the setting instead of
 * `up` failing on the API server's `spec.rules[0].host`.
 */
export const ingressHost = z
  .string()
  .max(253, { error: "must be a host name of at most 253 characters" })
  .regex(new RegExp(`^(\\*\\.)?${DNS_LABEL}(\\.${DNS_LABEL})*$`), {
    error: 'must be a lowercase DNS name such as "events.example.com" (a leading "*." is allowed)',
  })
  .refine((host) => !/^\d+(\.\d+){3}$/.test(host), {
    error: "must be a DNS name, not an IP address: an Ingress rule matches host names only",
  });
