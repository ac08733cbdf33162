import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cacheRootFor } from "../../scripts/toolchain/cache";
import {
  KUBERNETES_SERVER_VERSION,
  KubeServerCommand,
  kubeServerBinary,
} from "../../scripts/toolchain/kubeServer";
import { Component, HOST, KubernetesComponentName, stateFiles } from "../component";
import { httpGet } from "../probes";
import { KUBERNETES_ENV, PlatformSettings } from "../settings";
import { writeKubeconfig } from "./kubeconfig";
import { SERVICE_CLUSTER_IP_RANGE, ensurePki, pkiFiles, tokenOf } from "./pki";
import { httpsStatus } from "./probe";

/**
 * The opt-in Kubernetes control plane of the platform: etcd, kube-apiserver and
 * kube-controller-manager as plain processes on 127.0.0.1, built by
 * `npm run toolchain -- --with-kube-server`. There is no kubelet: pods are scheduled nowhere and
 * stay Pending, but every object is validated, defaulted and reconciled as in a cluster.
 */

/** Where the Kubernetes parts keep their state, inside the platform's home. */
export function kubernetesFiles(settings: PlatformSettings) {
  const dir = join(settings.home, "kubernetes");
  return {
    dir,
    pki: pkiFiles(join(dir, "pki")),
    etcdData: join(dir, "etcd-data"),
    /** The admin's kubeconfig (system:masters), for tests, kubectl and the kubernetes provider. */
    kubeconfig: join(dir, "kubeconfig"),
    controllerManagerKubeconfig: join(dir, "controller-manager.kubeconfig"),
  };
}

export function kubernetesApiUrl(settings: PlatformSettings): string {
  return `https://${HOST}:${settings.ports.kubeApiserver}`;
}

/** A built command from the toolchain's cache, or an error that says how to build it. */
export function kubeBinary(command: KubeServerCommand, env = process.env): string {
  const file = kubeServerBinary(cacheRootFor(undefined, env), command);
  if (!existsSync(file)) {
    throw new Error(
      `${command} is not built (no ${file}). Build it with \`npm run toolchain -- --with-kube-server\` ` +
        `(about 15 min cold), or leave the Kubernetes parts off (no --with-kubernetes, ` +
        `\`${KUBERNETES_ENV}\` unset).`,
    );
  }
  return file;
}

/**
 * Runs a Go binary with our marker as its argv[0] (`exec -a`): Go's flag parsers ignore argv[0],
 * and `down` finds the marker in /proc/<pid>/cmdline, as it does the Java processes' `-D` flag.
 */
function markedCommand(
  settings: PlatformSettings,
  name: KubernetesComponentName,
  args: string[],
): { command: string; args: string[] } {
  const marker = stateFiles(settings, name).marker;
  return { command: "bash", args: ["-c", 'exec -a "$0" "$@"', marker, kubeBinary(name), ...args] };
}

export function etcdComponent(settings: PlatformSettings): Component {
  const { etcd, etcdPeer } = settings.ports;
  const url = `http://${HOST}:${etcd}`;
  const peerUrl = `http://${HOST}:${etcdPeer}`;
  const files = kubernetesFiles(settings);
  return {
    name: "etcd",
    port: etcd,
    endpoint: url,
    readyTimeoutMs: 30_000,
    prepare() {
      kubeBinary("etcd");
      mkdirSync(files.etcdData, { recursive: true, mode: 0o700 });
    },
    command: () =>
      markedCommand(settings, "etcd", [
        "--name=tracking-local",
        `--data-dir=${files.etcdData}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=tracking-local=${peerUrl}`,
        // Test data: losing the last writes in a crash is fine, a slow fsync on a shared disk is not.
        "--unsafe-no-fsync",
        "--log-level=warn",
      ]),
    ready: async () => {
      const r = await httpGet(`${url}/health`);
      return r?.status === 200 && /"health"\s*:\s*"true"/.test(r.body);
    },
  };
}

export function kubeApiserverComponent(settings: PlatformSettings): Component {
  const url = kubernetesApiUrl(settings);
  const files = kubernetesFiles(settings);
  const pki = files.pki;
  return {
    name: "kube-apiserver",
    port: settings.ports.kubeApiserver,
    endpoint: url,
    readyTimeoutMs: 90_000,
    prepare() {
      kubeBinary("kube-apiserver");
      ensurePki(pki.dir);
      writeKubeconfig(files.kubeconfig, pki.caCert, {
        server: url,
        user: "admin",
        token: tokenOf(pki, "admin"),
      });
    },
    command: () =>
      markedCommand(settings, "kube-apiserver", [
        `--etcd-servers=http://${HOST}:${settings.ports.etcd}`,
        `--bind-address=${HOST}`,
        `--advertise-address=${HOST}`,
        `--secure-port=${settings.ports.kubeApiserver}`,
        `--tls-cert-file=${pki.servingCert}`,
        `--tls-private-key-file=${pki.servingKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--token-auth-file=${pki.tokenFile}`,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc",
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
        // Without it the server exits: it will not publish a loopback address as its endpoint.
        "--endpoint-reconciler-type=none",
        "--profiling=false",
      ]),
    ready: async () => (await httpsStatus(`${url}/readyz`, pki.caCert)) === 200,
  };
}

export function kubeControllerManagerComponent(settings: PlatformSettings): Component {
  const port = settings.ports.kubeControllerManager;
  const url = `https://${HOST}:${port}`;
  const files = kubernetesFiles(settings);
  const pki = files.pki;
  const kubeconfig = files.controllerManagerKubeconfig;
  return {
    name: "kube-controller-manager",
    port,
    endpoint: url,
    readyTimeoutMs: 60_000,
    prepare() {
      kubeBinary("kube-controller-manager");
      ensurePki(pki.dir);
      writeKubeconfig(kubeconfig, pki.caCert, {
        server: kubernetesApiUrl(settings),
        user: "system:kube-controller-manager",
        token: tokenOf(pki, "controller-manager"),
      });
    },
    command: () =>
      markedCommand(settings, "kube-controller-manager", [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        `--bind-address=${HOST}`,
        `--secure-port=${port}`,
        `--tls-cert-file=${pki.servingCert}`,
        `--tls-private-key-file=${pki.servingKey}`,
        // Each controller acts as its own service account, as in a kubeadm cluster, so RBAC
        // grants it exactly its bootstrap role; the token controller signs with this key.
        "--use-service-account-credentials=true",
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
        "--leader-elect=false",
        "--profiling=false",
      ]),
    ready: async () => (await httpsStatus(`${url}/healthz`, pki.caCert)) === 200,
  };
}

/** The Kubernetes parts, by name, for `up`. */
export function kubernetesComponents(
  settings: PlatformSettings,
): Record<KubernetesComponentName, Component> {
  return {
    etcd: etcdComponent(settings),
    "kube-apiserver": kubeApiserverComponent(settings),
    "kube-controller-manager": kubeControllerManagerComponent(settings),
  };
}

/** What tests and the CLI need to reach the API server. */
export interface KubernetesEndpoints {
  readonly apiUrl: string;
  /** The admin kubeconfig (a bearer token inside: read it, do not print it). */
  readonly kubeconfig: string;
  readonly version: string;
}

export function kubernetesEndpoints(settings: PlatformSettings): KubernetesEndpoints {
  return {
    apiUrl: kubernetesApiUrl(settings),
    kubeconfig: kubernetesFiles(settings).kubeconfig,
    version: KUBERNETES_SERVER_VERSION,
  };
}
