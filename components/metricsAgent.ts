import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { containerSecurity } from "./workload";

// The Prometheus JMX exporter's Java agent in the stack's pods. The built Connect image carries
// the agent jar (components/connect-image/Dockerfile); the REST proxy runs Confluent's image
// unchanged, so an init container copies the jar from the Connect image into the pod. The rules
// are ours (observability/jmx-exporter/), in a ConfigMap: the agent rereads its rules file when
// it changes, so a rules change needs no rollout.

/** The agent's version, in the built image as on the local platform (platform/maven/pom.xml). */
export const JMX_EXPORTER_VERSION = "1.0.1";
/** Where the built Connect image holds the agent. */
export const AGENT_JAR_IN_IMAGE = "/opt/tracking/jmx-exporter/jmx_prometheus_javaagent.jar";
/** The container port of `/metrics` (the agent's customary port). */
export const METRICS_PORT = 9404;
/** The name of that port, which PodMonitors select. */
export const METRICS_PORT_NAME = "metrics";

/** Our rules files, one per kind of JVM that carries the agent. */
export const RULES_DIR = path.join(__dirname, "..", "observability", "jmx-exporter");
export type MetricsRules = "connect" | "rest-proxy";

const RULES_MOUNT = "/etc/tracking/metrics";
const COPIED_AGENT_DIR = "/opt/tracking/metrics-agent";

export interface MetricsAgentArgs {
  /** Which rules the JVM gets. */
  readonly rules: MetricsRules;
  /**
   * The built Connect image, which holds the agent at AGENT_JAR_IN_IMAGE. When the container runs
   * another image (the REST proxy), an init container copies the jar from this one.
   */
  readonly agentImage: pulumi.Input<string>;
  /** True when the container itself runs `agentImage`: no copy then. */
  readonly inContainerImage: boolean;
}

/** What a workload adds to its pod to carry the agent. */
export interface MetricsAgent {
  /** `<name>-metrics-rules`, the rules file. */
  readonly configMap: k8s.core.v1.ConfigMap;
  /** `-javaagent:<jar>=9404:<rules>`, for the JVM options of the container. */
  readonly javaOption: string;
  readonly port: k8s.types.input.core.v1.ContainerPort;
  readonly volumes: k8s.types.input.core.v1.Volume[];
  readonly mounts: k8s.types.input.core.v1.VolumeMount[];
  readonly initContainers: k8s.types.input.core.v1.Container[];
}

/** One of our rules files (the local platform's JVMs load the same). */
export function rulesFile(rules: MetricsRules): string {
  return path.join(RULES_DIR, `${rules}.yml`);
}

/** The text of one of our rules files. */
export function rulesText(rules: MetricsRules): string {
  return fs.readFileSync(rulesFile(rules), "utf8");
}

export function metricsAgent(
  name: string,
  metadata: { namespace: pulumi.Input<string>; labels: Record<string, string> },
  args: MetricsAgentArgs,
  parent: pulumi.Resource,
): MetricsAgent {
  const file = `${args.rules}.yml`;
  const text = rulesText(args.rules);
  const configMap = new k8s.core.v1.ConfigMap(
    `${name}-metrics-rules`,
    { metadata: { ...metadata, name: `${name}-metrics-rules` }, data: { [file]: text } },
    { parent },
  );
  const jar = args.inContainerImage
    ? AGENT_JAR_IN_IMAGE
    : `${COPIED_AGENT_DIR}/${path.basename(AGENT_JAR_IN_IMAGE)}`;
  const volumes: k8s.types.input.core.v1.Volume[] = [
    { name: "metrics-rules", configMap: { name: `${name}-metrics-rules` } },
  ];
  const mounts: k8s.types.input.core.v1.VolumeMount[] = [
    { name: "metrics-rules", mountPath: RULES_MOUNT, readOnly: true },
  ];
  const initContainers: k8s.types.input.core.v1.Container[] = [];
  if (!args.inContainerImage) {
    volumes.push({ name: "metrics-agent", emptyDir: { sizeLimit: "16Mi" } });
    mounts.push({ name: "metrics-agent", mountPath: COPIED_AGENT_DIR, readOnly: true });
    initContainers.push({
      name: "metrics-agent",
      image: args.agentImage,
      command: ["cp", AGENT_JAR_IN_IMAGE, `${COPIED_AGENT_DIR}/`],
      volumeMounts: [{ name: "metrics-agent", mountPath: COPIED_AGENT_DIR }],
      resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
      securityContext: containerSecurity,
    });
  }
  return {
    configMap,
    // No host: in a pod the agent listens on every address, where Prometheus reaches it.
    javaOption: `-javaagent:${jar}=${METRICS_PORT}:${RULES_MOUNT}/${file}`,
    port: { name: METRICS_PORT_NAME, containerPort: METRICS_PORT },
    volumes,
    mounts,
    initContainers,
  };
}
