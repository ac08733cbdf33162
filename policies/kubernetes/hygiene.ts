import { resourcePolicy, shown } from "../policy";
import { asRecord, at } from "../read";
import { flag, settings, strings } from "../settings";
import { appliesTo, appNamesSetting, workloadOf } from "./workload";

// Policies on one workload at a time: how its pods run, what images they run, and whether the
// cluster can schedule, probe and restart them.

export const k8sPodSecurity = resourcePolicy({
  name: "k8s-pod-security",
  description:
    "Checks that workloads run as non-root, without privilege escalation, privileged containers or host namespaces.",
  recognise: workloadOf,
  validate: ({ label, podSpec: pod, containers }, _, reportViolation) => {
    for (const key of ["hostNetwork", "hostPID", "hostIPC"]) {
      if (pod[key] === true) {
        reportViolation(
          `\`${key}\` is true on ${label}; it must be false, or its pods share the node's namespaces.`,
        );
      }
    }
    const podRunAsNonRoot = at(pod, ["securityContext", "runAsNonRoot"]);
    for (const container of containers) {
      const security = asRecord(container.props.securityContext) ?? {};
      const where = container.label;
      const runAsNonRoot = security.runAsNonRoot ?? podRunAsNonRoot;
      if (runAsNonRoot !== true) {
        reportViolation(
          `\`runAsNonRoot\` is ${shown(runAsNonRoot)} on ${where} (container or pod security context); ` +
            `it must be true, or a compromised process runs as root.`,
        );
      }
      if (security.allowPrivilegeEscalation !== false) {
        reportViolation(
          `\`allowPrivilegeEscalation\` is ${shown(security.allowPrivilegeEscalation, "Kubernetes default true")} on ${where}; ` +
            `it must be false, or a process can gain more privileges than it started with.`,
        );
      }
      if (security.privileged === true) {
        reportViolation(
          `\`privileged\` is true on ${where}; it must not be, or the container has full access to the node.`,
        );
      }
    }
  },
});

interface ImageConfig {
  mutableTags: string[];
  requireDigest: boolean;
}

const imageSettings = settings<ImageConfig>({
  mutableTags: strings(["latest"], "Tags that move and so pin nothing."),
  requireDigest: flag(false, "Whether every image must be pinned by digest (`@sha256:...`)."),
});

/** The tag and digest of an image reference; a registry port (`host:5000/x`) is not a tag. */
export function imageReference(image: string): { tag?: string; digest?: string } {
  const atSign = image.indexOf("@");
  const repository = atSign < 0 ? image : image.slice(0, atSign);
  const digest = atSign < 0 ? undefined : image.slice(atSign + 1);
  const colon = repository.lastIndexOf(":");
  const tag = colon > repository.lastIndexOf("/") ? repository.slice(colon + 1) : undefined;
  return { tag, digest };
}

export const k8sImagePinned = resourcePolicy({
  name: "k8s-image-pinned",
  description:
    "Checks that every container image is pinned by a fixed tag or a digest, so that a rollout runs what was reviewed.",
  settings: imageSettings,
  recognise: workloadOf,
  validate: (workload, c, reportViolation) => {
    for (const container of workload.containers) {
      const image = container.image;
      // Unknown during preview: an image built in this update, referenced by its new digest.
      if (image === undefined) continue;
      const { tag, digest } = imageReference(image);
      if (digest) continue;
      const rule = c.requireDigest
        ? "it must be pinned by digest (`@sha256:...`)"
        : `it must name a fixed tag (not ${c.mutableTags.join(", ")}) or a digest`;
      if (c.requireDigest || tag === undefined || c.mutableTags.includes(tag)) {
        const found = image === "" ? "unset" : JSON.stringify(image);
        reportViolation(
          `\`image\` is ${found} on ${container.label}; ${rule}, or each node may run a different build.`,
        );
      }
    }
  },
});

interface ProbesConfig {
  appNames: string[];
}

const probesSettings = settings<ProbesConfig>({
  appNames: appNamesSetting(["rest-proxy", "kafka-connect"]),
});

const REQUIRED_SETTINGS: readonly [path: string[], reason: string][] = [
  [["readinessProbe"], "or requests reach pods that are still starting"],
  [["livenessProbe"], "or a hung JVM is never restarted"],
  [["resources", "requests", "cpu"], "or the scheduler may place it on a node without room"],
  [["resources", "requests", "memory"], "or the scheduler may place it on a node without room"],
  [["resources", "limits", "memory"], "or one leaking pod can starve the node"],
];

export const k8sProbesAndResources = resourcePolicy({
  name: "k8s-probes-and-resources",
  description:
    "Checks that the REST Proxy and Connect containers have readiness and liveness probes, CPU and memory requests and a memory limit.",
  settings: probesSettings,
  recognise: workloadOf,
  validate: (workload, c, reportViolation) => {
    if (!appliesTo(workload, c.appNames)) return;
    for (const container of workload.containers) {
      if (container.init) continue;
      for (const [path, reason] of REQUIRED_SETTINGS) {
        if (at(container.props, path) === undefined) {
          reportViolation(
            `\`${path.join(".")}\` is unset on ${container.label}; it must be set, ${reason}.`,
          );
        }
      }
    }
  },
});
