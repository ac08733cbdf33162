import { join } from "node:path";
import { PlatformPorts, PlatformSettings } from "./settings";

/** Every server of the platform binds here, and only here. */
export const HOST = "127.0.0.1";

export type KubernetesComponentName = "etcd" | "kube-apiserver" | "kube-controller-manager";
/** The cluster profile's nodes (platform/cluster/): three KRaft nodes and three Connect workers. */
export type ClusterNodeName = "broker-1" | "broker-2" | "broker-3";
export type ClusterWorkerName = "connect-1" | "connect-2" | "connect-3";
export type ClusterComponentName = ClusterNodeName | ClusterWorkerName;
export type ComponentName =
  "broker" | "connect" | "rest-proxy" | "receiver" | KubernetesComponentName | ClusterComponentName;
/** Start order; `down` goes the other way so Connect leaves its group before the broker stops. */
export const COMPONENTS: readonly ComponentName[] = ["broker", "connect", "rest-proxy", "receiver"];
/** The opt-in Kubernetes control plane (platform/kubernetes/), in start order. */
export const KUBERNETES_COMPONENTS: readonly KubernetesComponentName[] = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
];

/** The cluster profile's KRaft nodes, then its workers, in start order (with the REST proxy and receiver). */
export const CLUSTER_NODES: readonly ClusterNodeName[] = ["broker-1", "broker-2", "broker-3"];
export const CLUSTER_WORKERS: readonly ClusterWorkerName[] = [
  "connect-1",
  "connect-2",
  "connect-3",
];
export const CLUSTER_COMPONENTS: readonly ComponentName[] = [
  ...CLUSTER_NODES,
  ...CLUSTER_WORKERS,
  "rest-proxy",
  "receiver",
];

/** Every component any profile runs: what `down` and `status` look for. */
export const EVERY_COMPONENT: readonly ComponentName[] = [
  ...COMPONENTS,
  ...KUBERNETES_COMPONENTS,
  ...CLUSTER_NODES,
  ...CLUSTER_WORKERS,
];

/** The setting that moves a component's port (the base of a cluster profile's series). */
export const COMPONENT_PORT_KEY: Record<ComponentName, keyof PlatformPorts> = {
  broker: "kafka",
  connect: "connect",
  "rest-proxy": "restProxy",
  receiver: "receiver",
  etcd: "etcd",
  "kube-apiserver": "kubeApiserver",
  "kube-controller-manager": "kubeControllerManager",
  "broker-1": "kafka",
  "broker-2": "kafka",
  "broker-3": "kafka",
  "connect-1": "connect",
  "connect-2": "connect",
  "connect-3": "connect",
};

/** One process of the platform, as `up` starts it and waits for it. */
export interface Component {
  readonly name: ComponentName;
  readonly port: number;
  readonly endpoint: string;
  /** How long `up` waits for readiness before it gives up. */
  readonly readyTimeoutMs: number;
  /** Writes config files and prepares storage; runs before every start. */
  prepare(): void;
  command(): { command: string; args: string[] };
  /** Resolves true once the component answers as ready. */
  ready(): Promise<boolean>;
}

export function stateFiles(settings: PlatformSettings, name: ComponentName) {
  return {
    pidFile: join(settings.home, "pids", `${name}.pid`),
    logFile: join(settings.home, "logs", `${name}.log`),
    /** Found in the process's command line: tells our process from a reused pid. */
    marker: `tracking.platform.process=${settings.home}/${name}`,
  };
}

/** A Java `.properties` file's text. */
export function properties(values: Record<string, string | number>): string {
  return `${Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n")}\n`;
}
