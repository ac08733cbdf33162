import { AGENT_JAR_IN_IMAGE, METRICS_PORT } from "../../components/metricsAgent";
import { alertGroups, DEFAULT_ALERT_THRESHOLDS } from "../../observability/alerts";
import { policyFlags } from "../../scripts/pulumiCli";
import { kubectl, kubectlOk } from "../integration/kubernetesFixtures";
import { platformEndpoints } from "../integration/platform";
import { containerOf, getObjects, KubeObject } from "./kubernetes/cluster";
import { EngineStack, kubeGate } from "./kubernetes/engine";
import { setSecret } from "./kubernetes/secrets";
import { kubeStackSettings, StackSettings, writeStackFile } from "./kubernetes/stack";

/**
 * `metricsEnabled`, `metricsPrometheusOperator` and `metricsGrafanaDashboard` under the real
 * engine, applied to the platform's API server, which has the Prometheus Operator's CRDs
 * (platform/kubernetes/operatorCrds.ts): the PodMonitors and the PrometheusRule are validated
 * against the operator's own schemas and read back unchanged (a structural schema would prune a
 * field it does not know without a word). Opt-in like test/e2e/kubernetes.test.ts. Run with
 *   npm run toolchain -- --with-kube-server --with-kubernetes
 *   TRACKING_PLATFORM_KUBERNETES=1 npx jest --selectProjects e2e --runInBand test/e2e/kubernetesMetrics.test.ts
 */
const e = platformEndpoints();
const {
  describeIfKube,
  kubeconfig: KUBECONFIG,
  title,
} = kubeGate("test/e2e/kubernetesMetrics.test.ts");
const ENV = "e2ekm";
const stack = new EngineStack("e2e-kubernetes-metrics", "tracking-e2e-kube-metrics-state-");
const CONNECT = "tracking-connect";
const REST = "tracking-rest-proxy";
const MONITORING = "tracking-monitoring";
/** An image a team's CI built from components/connect-image/Dockerfile (it holds the agent). */
const CONNECT_IMAGE = "registry.example.com/platform/tracking-connect:0.3.0-base-7.9.1-jmx-1.0.1";
/** The receiver path of this run, the same in every config the test writes. */
const RECEIVER_PATH = `/${ENV}-${Date.now().toString(36)}`;

const cliOk = (args: string[]) => stack.cliOk(args);

function settings(changes: Partial<StackSettings> = {}): void {
  writeStackFile(stack.stack, {
    ...kubeStackSettings(ENV, e, KUBECONFIG, RECEIVER_PATH),
    connectImage: CONNECT_IMAGE,
    connectImageHasMetricsAgent: true,
    metricsEnabled: true,
    metricsPrometheusOperator: true,
    metricsMonitorLabels: ["release=kube-prometheus-stack"],
    metricsGrafanaDashboard: true,
    alertLagRecords: 250,
    ...changes,
  });
}

interface Monitor extends KubeObject {
  spec: {
    selector?: { matchLabels?: Record<string, string> };
    podMetricsEndpoints?: { port: string; path: string; interval: string }[];
    groups?: unknown;
  };
}

/** The steps of `pulumi preview --json` that change something: op, name, changed properties. */
async function plannedChanges(): Promise<string[]> {
  const result = await cliOk(["preview", "--json"]);
  const plan = JSON.parse(result.stdout) as {
    steps: { op: string; urn: string; detailedDiff?: Record<string, unknown> }[];
  };
  return plan.steps
    .filter((s) => s.op !== "same")
    .map(
      (s) =>
        `${s.op} ${s.urn.split("::").pop()} ${Object.keys(s.detailedDiff ?? {})
          .sort()
          .join(" ")}`,
    );
}

const get = async (kind: string, name: string): Promise<Monitor> =>
  JSON.parse(await kubectlOk(KUBECONFIG, ["get", kind, name, "-n", ENV, "-o", "json"])) as Monitor;

describeIfKube(title("metrics, alerts and the dashboard on the platform's API server"), () => {
  beforeAll(async () => {
    await stack.start();
    settings();
    await stack.init();
    await setSecret(
      stack.env,
      stack.stack,
      "connectBasicAuthPassword",
      `m-${Date.now().toString(36)}`,
    );
  });

  afterAll(() => stack.finish(KUBECONFIG, ENV));

  it("has the operator's kinds served by the API server", async () => {
    const kinds = await kubectlOk(KUBECONFIG, [
      "api-resources",
      "--api-group=monitoring.coreos.com",
    ]);
    expect(kinds).toMatch(/^podmonitors\s.*PodMonitor$/m);
    expect(kinds).toMatch(/^prometheusrules\s.*PrometheusRule$/m);
  });

  it("applies PodMonitors and a PrometheusRule the operator's schemas accept, read back unchanged", async () => {
    await cliOk(["up", "--yes", "--skip-preview", ...policyFlags("local")]);
    const rule = await get("prometheusrule", `${MONITORING}-alerts`);
    expect(rule.metadata.labels).toMatchObject({ release: "kube-prometheus-stack" });
    // Exactly the rules of observability/alerts.ts at the stack's thresholds: nothing pruned.
    const want = alertGroups({ ...DEFAULT_ALERT_THRESHOLDS, lagRecords: 250 });
    expect(rule.spec.groups).toEqual(JSON.parse(JSON.stringify(want)));
    for (const [workload, deployment] of [
      ["connect", CONNECT],
      ["rest-proxy", REST],
    ]) {
      const monitor = await get("podmonitor", `${MONITORING}-${workload}`);
      const d = await get("deployment", deployment);
      expect(monitor.spec.selector).toEqual(d.spec.selector);
      expect(monitor.spec.podMetricsEndpoints).toEqual([
        { port: "metrics", path: "/metrics", interval: "30s" },
      ]);
      expect(monitor.metadata.labels).toMatchObject({ release: "kube-prometheus-stack" });
    }
  });

  it("gives both workloads the agent and the metrics port the PodMonitors select", async () => {
    const objects = await getObjects(KUBECONFIG, "deployments,configmaps,networkpolicies", ENV);
    const byName = (kind: string, name: string) =>
      objects.find((o) => o.kind === kind && o.metadata.name === name);
    const connect = containerOf(objects, CONNECT);
    expect(connect.ports).toContainEqual({
      name: "metrics",
      containerPort: METRICS_PORT,
      protocol: "TCP",
    });
    expect(connect.env?.find((v) => v.name === "KAFKA_OPTS")?.value).toContain(
      `-javaagent:${AGENT_JAR_IN_IMAGE}=${METRICS_PORT}:/etc/tracking/metrics/connect.yml`,
    );
    const restPod = byName("Deployment", REST)!.spec?.template?.spec;
    expect(restPod?.initContainers?.map((c) => [c.name, c.image])).toEqual([
      ["metrics-agent", CONNECT_IMAGE],
    ]);
    expect(containerOf(objects, REST).ports).toContainEqual({
      name: "metrics",
      containerPort: METRICS_PORT,
      protocol: "TCP",
    });
    expect(byName("ConfigMap", `${CONNECT}-metrics-rules`)?.data).toHaveProperty(["connect.yml"]);
    expect(byName("ConfigMap", `${REST}-metrics-rules`)?.data).toHaveProperty(["rest-proxy.yml"]);
    const dashboard = byName("ConfigMap", `${MONITORING}-dashboard`);
    expect(dashboard?.metadata.labels).toMatchObject({ grafana_dashboard: "1" });
    const json = JSON.parse(Object.values(dashboard?.data ?? {})[0] ?? "{}") as {
      panels: { type: string; title: string }[];
    };
    expect(json.panels.filter((p) => p.type === "row").map((p) => p.title)).toEqual([
      "REST proxy",
      `receiver (${ENV}-receiver-http-sink)`,
    ]);
  });

  it("refuses what the operator's schemas refuse (the CRDs are enforced, not just stored)", async () => {
    const bad = {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "bad-for", namespace: ENV },
      spec: {
        groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", for: "ten minutes" }] }],
      },
    };
    const r = await kubectl(
      KUBECONFIG,
      ["apply", "--dry-run=server", "-f", "-"],
      JSON.stringify(bad),
    );
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/spec\.groups\[0\]\.rules\[0\]\.for/);
  });

  it("finds no change on a second preview (a stack without connector secrets too)", async () => {
    expect(await plannedChanges()).toEqual([]);
  });

  it("moves a threshold with a stack setting: only the PrometheusRule changes", async () => {
    settings({ alertLagRecords: 5000 });
    const changed = await plannedChanges();
    expect(changed).toEqual([
      expect.stringMatching(new RegExp(`^update ${MONITORING}-alerts spec`)),
    ]);
    settings();
  });

  it("destroys them with the stack", async () => {
    expect(await stack.destroyed(KUBECONFIG, ENV)).toBe(true);
  });
});
