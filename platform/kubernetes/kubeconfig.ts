import { readFileSync, writeFileSync } from "node:fs";

export interface KubeconfigArgs {
  /** `https://127.0.0.1:<port>`. */
  readonly server: string;
  /** The CA's PEM text, embedded so the file works from anywhere. */
  readonly caPem: string;
  readonly user: string;
  readonly token: string;
  /** Cluster and context name. Defaults to "tracking-local". */
  readonly name?: string;
}

/**
 * A kubeconfig with one cluster, user and context (JSON, which every kubeconfig reader accepts
 * as YAML). It holds a bearer token: write it with {@link writeKubeconfig}, never log it.
 */
export function kubeconfig(a: KubeconfigArgs): string {
  const name = a.name ?? "tracking-local";
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name,
        cluster: {
          server: a.server,
          "certificate-authority-data": Buffer.from(a.caPem).toString("base64"),
        },
      },
    ],
    users: [{ name: a.user, user: { token: a.token } }],
    contexts: [{ name, context: { cluster: name, user: a.user, namespace: "default" } }],
    "current-context": name,
    preferences: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Writes a kubeconfig readable by its owner only. */
export function writeKubeconfig(
  file: string,
  caFile: string,
  args: Omit<KubeconfigArgs, "caPem">,
): void {
  writeFileSync(file, kubeconfig({ ...args, caPem: readFileSync(caFile, "utf8") }), {
    mode: 0o600,
  });
}
