import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TrackingPipeline } from "../../components/trackingPipeline";
import { SKIP_AWAIT_ANNOTATION } from "../../components/workload";
import { parseStackConfig } from "../../config";
import { configProblems, named, ofType, settled, useMocks } from "./mocks";

function settingsOf(raw: Record<string, unknown>) {
  return parseStackConfig(
    Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
  );
}

const base = { kafkaBootstrapServers: ["k:9092"], restProxyIngressHost: "events.example.com" };
/** The key by which Pulumi marks a serialized secret value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const KUBECONFIG_YAML = "apiVersion: v1\nkind: Config\nclusters: []\n";

describe("kubernetesKubeconfig and kubernetesSkipAwait settings", () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kubeconfig-test-"));
    file = join(dir, "kubeconfig");
    writeFileSync(file, KUBECONFIG_YAML);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("default to the ambient kubeconfig and awaiting readiness", () => {
    const s = settingsOf(base);
    expect([s.kubernetesKubeconfig, s.kubernetesSkipAwait]).toEqual(["", false]);
  });

  it("accept a kubeconfig file or its YAML", () => {
    expect(settingsOf({ ...base, kubernetesKubeconfig: file }).kubernetesKubeconfig).toBe(file);
    expect(
      settingsOf({ ...base, kubernetesKubeconfig: KUBECONFIG_YAML }).kubernetesKubeconfig,
    ).toBe(KUBECONFIG_YAML);
  });

  it("refuse a kubeconfig path with no file, naming the setting", () => {
    const missing = join(dir, "nope");
    expect(configProblems({ ...base, kubernetesKubeconfig: missing })).toEqual([
      expect.stringMatching(
        new RegExp(`^kubernetesKubeconfig: no kubeconfig file at ${missing}: give the path`),
      ),
    ]);
  });

  it("never show kubeconfig YAML in a message", () => {
    const off = { ...base, kubernetesEnabled: false, connectUrl: "http://c:8083" };
    expect(configProblems({ ...off, kubernetesKubeconfig: KUBECONFIG_YAML })).toEqual([
      'kubernetesKubeconfig: is set but `kubernetesEnabled` is false; remove it (found "<kubeconfig YAML>")',
    ]);
  });

  it("refuse either setting where no cluster is applied to", () => {
    const off = { ...base, kubernetesEnabled: false, connectUrl: "http://c:8083" };
    expect(
      configProblems({ ...off, kubernetesKubeconfig: file, kubernetesSkipAwait: true }),
    ).toEqual([
      `kubernetesKubeconfig: is set but \`kubernetesEnabled\` is false; remove it (found "${file}")`,
      "kubernetesSkipAwait: is true but `kubernetesEnabled` is false; remove it (found true)",
    ]);
    expect(
      configProblems({ ...base, kubernetesRenderDirectory: "out", kubernetesSkipAwait: true }),
    ).toEqual([
      expect.stringMatching(/^kubernetesSkipAwait: is true but `kubernetesRenderDirectory` is set/),
    ]);
  });

  it("refuse a non-boolean kubernetesSkipAwait", () => {
    expect(configProblems({ ...base, kubernetesSkipAwait: "yes" })).toEqual([
      'kubernetesSkipAwait: must be true or false (found "yes")',
    ]);
  });
});

describe("TrackingPipeline on a chosen cluster", () => {
  beforeEach(() => useMocks());

  const pipeline = (raw: Record<string, unknown>, environment = "e2ek") =>
    new TrackingPipeline("tracking", { environment, settings: settingsOf(raw), secrets: {} });

  const annotated = async (type: string): Promise<string[]> => {
    const out: string[] = [];
    for (const r of ofType(type)) {
      const metadata = r.inputs.metadata as { annotations?: Record<string, string> };
      if (metadata.annotations?.[SKIP_AWAIT_ANNOTATION] === "true") out.push(r.name);
    }
    return out;
  };

  it("hands a kubeconfig path to the provider as an absolute path", async () => {
    const p = pipeline({ ...base, kubernetesKubeconfig: "test/unit/kubernetesSettings.test.ts" });
    await settled(p);
    const inputs = named("pulumi:providers:kubernetes", "tracking-k8s").inputs;
    expect(inputs.kubeconfig).toBe(join(process.cwd(), "test/unit/kubernetesSettings.test.ts"));
  });

  it("hands kubeconfig YAML to the provider as a secret", async () => {
    const p = pipeline({ ...base, kubernetesKubeconfig: KUBECONFIG_YAML });
    await settled(p);
    // The mocked engine receives it wrapped as a secret (the SDK's secret signature).
    expect(named("pulumi:providers:kubernetes", "tracking-k8s").inputs.kubeconfig).toEqual({
      [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270",
      value: KUBECONFIG_YAML,
    });
  });

  it("annotates exactly the Deployments, Services and the Ingress with skipAwait", async () => {
    const p = pipeline({ ...base, kubernetesSkipAwait: true });
    await settled(p);
    expect(await annotated("kubernetes:apps/v1:Deployment")).toEqual([
      "tracking-rest-proxy-deployment",
      "tracking-connect-deployment",
    ]);
    expect((await annotated("kubernetes:core/v1:Service")).sort()).toEqual([
      "tracking-connect-service",
      "tracking-rest-proxy-service",
    ]);
    expect(await annotated("kubernetes:networking.k8s.io/v1:Ingress")).toEqual([
      "tracking-rest-proxy-ingress",
    ]);
    for (const type of [
      "kubernetes:policy/v1:PodDisruptionBudget",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:core/v1:Namespace",
    ]) {
      expect({ type, annotated: await annotated(type) }).toEqual({ type, annotated: [] });
    }
    // The Ingress keeps its own annotations beside it.
    const ingress = named("kubernetes:networking.k8s.io/v1:Ingress", "tracking-rest-proxy-ingress");
    expect(
      (ingress.inputs.metadata as { annotations: Record<string, string> }).annotations,
    ).toEqual({ "nginx.ingress.kubernetes.io/limit-rps": "50", [SKIP_AWAIT_ANNOTATION]: "true" });
  });

  it("annotates nothing by default", async () => {
    const p = pipeline(base);
    await settled(p);
    for (const type of [
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Service",
      "kubernetes:networking.k8s.io/v1:Ingress",
    ]) {
      expect(ofType(type).length).toBeGreaterThan(0);
      expect(await annotated(type)).toEqual([]);
    }
  });

  it("refuses skipAwait in environment prod, naming the setting", () => {
    expect(() => pipeline({ ...base, kubernetesSkipAwait: true }, "prod")).toThrow(
      /tracking-pipeline:kubernetesSkipAwait must not be true in environment prod/,
    );
  });
});

describe("restProxyIngressHost and restProxyIngressClassName", () => {
  it("accept the host names the API server accepts", () => {
    for (const host of ["events.example.com", "*.example.com", "a-b.c1.io", "localhost"]) {
      expect(settingsOf({ ...base, restProxyIngressHost: host }).restProxyIngressHost).toBe(host);
    }
  });

  it("refuse what the API server would reject on spec.rules[0].host, naming the setting", () => {
    for (const host of [
      "Events.example.com",
      "events_1.example.com",
      "-a.example.com",
      "10.0.0.1",
    ]) {
      expect(configProblems({ ...base, restProxyIngressHost: host })).toEqual([
        expect.stringMatching(/^restProxyIngressHost: must be a (lowercase )?DNS name/),
      ]);
    }
  });

  it("refuse an ingress class that is no Kubernetes object name", () => {
    expect(configProblems({ ...base, restProxyIngressClassName: "Nginx" })).toEqual([
      expect.stringMatching(/^restProxyIngressClassName: must be a Kubernetes object name/),
    ]);
  });
});

describe("memory requests against limits", () => {
  it("refuse a request above its limit, naming both settings", () => {
    expect(
      configProblems({ ...base, connectMemoryRequest: "2Gi", connectMemoryLimit: "1536Mi" }),
    ).toEqual([
      'connectMemoryRequest: must not exceed `connectMemoryLimit` (1536Mi): Kubernetes refuses a container whose memory request is above its limit; lower the request or raise the limit (found "2Gi")',
    ]);
    expect(
      configProblems({ ...base, restProxyMemoryRequest: "1.5G", restProxyMemoryLimit: "1Gi" }),
    ).toEqual([
      expect.stringMatching(/^restProxyMemoryRequest: must not exceed `restProxyMemoryLimit`/),
    ]);
  });

  it("accept a request equal to its limit", () => {
    const s = settingsOf({ ...base, connectMemoryRequest: "1536Mi", connectMemoryLimit: "1.5Gi" });
    expect(s.connectMemoryRequest).toBe("1536Mi");
  });
});
