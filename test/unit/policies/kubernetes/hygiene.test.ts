import {
  imageReference,
  k8sImagePinned,
  k8sPodSecurity,
  k8sProbesAndResources,
} from "../../../../policies/kubernetes/hygiene";
import { bridge, connect, firstContainer, restProxy, restProxyService } from "../fixtures";
import { edit, messages, UNKNOWN } from "../harness";

describe("k8s-pod-security", () => {
  it("passes workloads that run as non-root without escalation", async () => {
    for (const workload of [restProxy, connect, bridge]) {
      expect(await messages(k8sPodSecurity, workload)).toEqual([]);
    }
    expect(await messages(k8sPodSecurity, restProxyService)).toEqual([]);
  });

  it("accepts runAsNonRoot from the pod security context alone", async () => {
    const workload = edit(connect, (d) => delete firstContainer(d).securityContext!.runAsNonRoot);
    expect(await messages(k8sPodSecurity, workload)).toEqual([]);
  });

  it("reports a container that may run as root", async () => {
    const workload = edit(
      connect,
      (d) => (firstContainer(d).securityContext!.runAsNonRoot = false),
    );
    expect(await messages(k8sPodSecurity, workload)).toEqual([
      "`runAsNonRoot` is false on container `connect` of Deployment tracking-connect (container or pod security context); it must be true, or a compromised process runs as root.",
    ]);
  });

  it("reports runAsNonRoot set nowhere", async () => {
    const workload = edit(connect, (d) => {
      delete firstContainer(d).securityContext!.runAsNonRoot;
      delete d.spec!.template.spec!.securityContext;
    });
    expect(await messages(k8sPodSecurity, workload)).toEqual([
      "`runAsNonRoot` is unset on container `connect` of Deployment tracking-connect (container or pod security context); it must be true, or a compromised process runs as root.",
    ]);
  });

  it("reports privilege escalation left at the Kubernetes default", async () => {
    const workload = edit(
      restProxy,
      (d) => delete firstContainer(d).securityContext!.allowPrivilegeEscalation,
    );
    expect(await messages(k8sPodSecurity, workload)).toEqual([
      "`allowPrivilegeEscalation` is unset (Kubernetes default true) on container `rest-proxy` of Deployment tracking-rest-proxy; it must be false, or a process can gain more privileges than it started with.",
    ]);
  });

  it("reports a privileged container", async () => {
    const workload = edit(restProxy, (d) => (firstContainer(d).securityContext!.privileged = true));
    expect(await messages(k8sPodSecurity, workload)).toEqual([
      "`privileged` is true on container `rest-proxy` of Deployment tracking-rest-proxy; it must not be, or the container has full access to the node.",
    ]);
  });

  it("reports host networking", async () => {
    const workload = edit(restProxy, (d) => (d.spec!.template.spec!.hostNetwork = true));
    expect(await messages(k8sPodSecurity, workload)).toEqual([
      "`hostNetwork` is true on Deployment tracking-rest-proxy; it must be false, or its pods share the node's namespaces.",
    ]);
  });

  it("checks init containers too", async () => {
    const workload = edit(connect, (d) => {
      d.spec!.template.spec!.initContainers = [
        {
          name: "fetch-plugins",
          image: "busybox:1.36",
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: false },
        },
      ];
    });
    expect(await messages(k8sPodSecurity, workload)).toEqual([
      "`runAsNonRoot` is false on init container `fetch-plugins` of Deployment tracking-connect (container or pod security context); it must be true, or a compromised process runs as root.",
    ]);
  });
});

describe("k8s-image-pinned", () => {
  it("passes images with a fixed tag", async () => {
    for (const workload of [restProxy, connect, bridge]) {
      expect(await messages(k8sImagePinned, workload)).toEqual([]);
    }
  });

  it.each<[string, string]>([
    ["a latest tag", "confluentinc/cp-kafka-connect:latest"],
    ["no tag", "confluentinc/cp-kafka-connect"],
    ["no tag behind a registry port", "registry.example.com:5000/tracking-connect"],
  ])("reports %s", async (_, image) => {
    const workload = edit(connect, (d) => (firstContainer(d).image = image));
    expect(await messages(k8sImagePinned, workload)).toEqual([
      `\`image\` is "${image}" on container \`connect\` of Deployment tracking-connect; it must name a fixed tag (not latest) or a digest, or each node may run a different build.`,
    ]);
  });

  it("accepts a digest, with or without a tag", async () => {
    const digest = `@sha256:${"a".repeat(64)}`;
    for (const image of [
      `registry.example.com:5000/connect${digest}`,
      `x/connect:latest${digest}`,
    ]) {
      const workload = edit(connect, (d) => (firstContainer(d).image = image));
      expect(await messages(k8sImagePinned, workload)).toEqual([]);
    }
  });

  it("leaves alone an image unknown during preview (the digest of a fresh build)", async () => {
    const workload = edit(connect, (d) => (firstContainer(d).image = UNKNOWN));
    expect(await messages(k8sImagePinned, workload)).toEqual([]);
    expect(await messages(k8sPodSecurity, workload)).toEqual([]);
  });

  it("requires digests when the policy config says so", async () => {
    expect(await messages(k8sImagePinned, connect, { requireDigest: true })).toEqual([
      '`image` is "confluentinc/cp-kafka-connect:7.9.1" on container `connect` of Deployment tracking-connect; it must be pinned by digest (`@sha256:...`), or each node may run a different build.',
    ]);
  });

  it("splits image references into tag and digest", () => {
    expect(imageReference("host:5000/a/b:1.2")).toEqual({ tag: "1.2", digest: undefined });
    expect(imageReference("host:5000/a/b")).toEqual({ tag: undefined, digest: undefined });
    expect(imageReference("b@sha256:00")).toEqual({ tag: undefined, digest: "sha256:00" });
  });
});

describe("k8s-probes-and-resources", () => {
  it("passes the REST Proxy and Connect with probes, requests and a memory limit", async () => {
    expect(await messages(k8sProbesAndResources, restProxy)).toEqual([]);
    expect(await messages(k8sProbesAndResources, connect)).toEqual([]);
  });

  it.each<[string, string]>([
    ["readinessProbe", "or requests reach pods that are still starting"],
    ["livenessProbe", "or a hung JVM is never restarted"],
    ["resources.requests.cpu", "or the scheduler may place it on a node without room"],
    ["resources.requests.memory", "or the scheduler may place it on a node without room"],
    ["resources.limits.memory", "or one leaking pod can starve the node"],
  ])("reports a missing %s", async (path, reason) => {
    const workload = edit(connect, (d) => {
      const keys = path.split(".");
      let target = firstContainer(d) as Record<string, unknown>;
      for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
      delete target[keys[keys.length - 1]];
    });
    expect(await messages(k8sProbesAndResources, workload)).toEqual([
      `\`${path}\` is unset on container \`connect\` of Deployment tracking-connect; it must be set, ${reason}.`,
    ]);
  });

  it("leaves other workloads to the policy config's appNames", async () => {
    const other = edit(connect, (d) => {
      d.metadata!.labels = { "app.kubernetes.io/name": "other" };
      d.spec!.template.metadata!.labels = { "app.kubernetes.io/name": "other" };
      delete firstContainer(d).readinessProbe;
    });
    expect(await messages(k8sProbesAndResources, other)).toEqual([]);
    expect(await messages(k8sProbesAndResources, other, { appNames: [] })).toHaveLength(1);
  });
});
