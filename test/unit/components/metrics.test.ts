import * as fs from "fs";
import * as path from "path";
import { ConnectCluster } from "../../../components/connectCluster";
import {
  AGENT_JAR_IN_IMAGE,
  JMX_EXPORTER_VERSION,
  rulesText,
} from "../../../components/metricsAgent";
import { alertGroups, DEFAULT_ALERT_THRESHOLDS } from "../../../observability/alerts";
import { jmxExporterVersion } from "../../../platform/settings";
import { named, ofType, prodSecrets, ROOT, runProgram, settled, useMocks } from "../mocks";

/**
 * `metricsEnabled` and friends on the prod program, under mocks: the agent in the Connect pods
 * (from the built image) and the REST proxy pods (copied by an init container), the PodMonitors,
 * the PrometheusRule with the stack's thresholds and the Grafana dashboard. The real API server
 * accepts the same objects: test/e2e/kubernetesMetrics.test.ts.
 */

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const POD_MONITOR = "kubernetes:monitoring.coreos.com/v1:PodMonitor";
const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

interface EnvVar {
  readonly name: string;
  readonly value?: string;
}
interface Container {
  readonly name: string;
  readonly image?: string;
  readonly command?: string[];
  readonly env?: EnvVar[];
  readonly ports?: { name: string; containerPort: number }[];
  readonly volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  readonly containers: Container[];
  readonly initContainers?: Container[];
  readonly volumes?: { name: string; configMap?: { name: string }; emptyDir?: object }[];
}

function podOf(deployment: string): PodSpec {
  const spec = named(DEPLOYMENT, deployment).inputs.spec as { template: { spec: PodSpec } };
  return spec.template.spec;
}

const envOf = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;

const metricsOn = {
  metricsEnabled: "true",
  metricsPrometheusOperator: "true",
  metricsMonitorLabels: JSON.stringify(["release=kube-prometheus-stack"]),
  metricsGrafanaDashboard: "true",
  alertLagRecords: "250",
  alertRestProxyThrottledPercent: "2",
};

describe("metrics on Kubernetes (prod program, metricsEnabled)", () => {
  // One program run for the tests that only read what it registered.
  beforeAll(() => runProgram("prod", prodSecrets, metricsOn), 60_000);
  it("runs the agent of the built image in every worker, with our rules from a ConfigMap", () => {
    const connect = podOf("tracking-connect-deployment").containers[0];
    expect(envOf(connect, "KAFKA_OPTS")).toContain(
      `-javaagent:${AGENT_JAR_IN_IMAGE}=9404:/etc/tracking/metrics/connect.yml`,
    );
    // Basic auth's JAAS option is still there: one KAFKA_OPTS for both.
    expect(envOf(connect, "KAFKA_OPTS")).toContain("-Djava.security.auth.login.config=");
    expect(connect.env?.filter((e) => e.name === "KAFKA_OPTS")).toHaveLength(1);
    expect(connect.ports).toContainEqual({ name: "metrics", containerPort: 9404 });
    const rules = named(CONFIG_MAP, "tracking-connect-metrics-rules").inputs;
    expect(rules.data).toEqual({ "connect.yml": rulesText("connect") });
    expect(podOf("tracking-connect-deployment").initContainers ?? []).toEqual([]);
    // Prometheus reaches the metrics port; the REST API stays closed to other sources.
    const policy = named(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "tracking-connect-rest-access",
    ).inputs.spec as { ingress: { from?: unknown[]; ports: { port: number }[] }[] };
    expect(policy.ingress).toContainEqual({ ports: [{ protocol: "TCP", port: 9404 }] });
    expect(policy.ingress.find((r) => r.ports[0].port === 8083)?.from).toBeDefined();
  });

  it("copies the agent into the REST proxy's pods from the Connect image", () => {
    const pod = podOf("tracking-rest-proxy-deployment");
    const connectImage = (podOf("tracking-connect-deployment").containers[0].image ?? "") as string;
    expect(pod.initContainers).toHaveLength(1);
    const init = pod.initContainers![0];
    expect(init.image).toBe(connectImage);
    expect(init.command).toEqual(["cp", AGENT_JAR_IN_IMAGE, "/opt/tracking/metrics-agent/"]);
    const proxy = pod.containers[0];
    expect(envOf(proxy, "KAFKAREST_OPTS")).toBe(
      "-javaagent:/opt/tracking/metrics-agent/jmx_prometheus_javaagent.jar=9404:/etc/tracking/metrics/rest-proxy.yml",
    );
    expect(proxy.ports).toContainEqual({ name: "metrics", containerPort: 9404 });
    expect(proxy.volumeMounts?.map((m) => m.mountPath)).toEqual(
      expect.arrayContaining(["/opt/tracking/metrics-agent", "/etc/tracking/metrics"]),
    );
    expect(pod.volumes).toContainEqual({ name: "metrics-agent", emptyDir: { sizeLimit: "16Mi" } });
    expect(named(CONFIG_MAP, "tracking-rest-proxy-metrics-rules").inputs.data).toEqual({
      "rest-proxy.yml": rulesText("rest-proxy"),
    });
  });

  it("has a PodMonitor per workload, selecting exactly its pods, with the stack's labels", () => {
    const monitors = ofType(POD_MONITOR);
    expect(monitors.map((m) => m.name).sort()).toEqual([
      "tracking-monitoring-connect-pods",
      "tracking-monitoring-rest-proxy-pods",
    ]);
    for (const [monitor, deployment] of [
      ["tracking-monitoring-connect-pods", "tracking-connect-deployment"],
      ["tracking-monitoring-rest-proxy-pods", "tracking-rest-proxy-deployment"],
    ]) {
      const m = named(POD_MONITOR, monitor).inputs as {
        metadata: { labels: Record<string, string>; namespace: string };
        spec: { selector: { matchLabels: Record<string, string> } };
      };
      const d = named(DEPLOYMENT, deployment).inputs.spec as {
        selector: { matchLabels: Record<string, string> };
      };
      expect(m.spec.selector.matchLabels).toEqual(d.selector.matchLabels);
      expect(m.metadata.labels.release).toBe("kube-prometheus-stack");
      expect(m.metadata.namespace).toBe("tracking");
    }
  });

  it("puts the alerts, at the stack's thresholds, into a PrometheusRule", () => {
    const rule = named(PROMETHEUS_RULE, "tracking-monitoring-alerts").inputs as {
      spec: { groups: unknown };
    };
    expect(rule.spec.groups).toEqual(
      JSON.parse(
        JSON.stringify(
          alertGroups({
            ...DEFAULT_ALERT_THRESHOLDS,
            lagRecords: 250,
            restProxyThrottledRatio: 0.02,
          }),
        ),
      ),
    );
  });

  it("labels the dashboard for Grafana's sidecar, one row per destination", () => {
    const map = named(CONFIG_MAP, "tracking-monitoring-dashboard").inputs as {
      metadata: { labels: Record<string, string> };
      data: Record<string, string>;
    };
    expect(map.metadata.labels.grafana_dashboard).toBe("1");
    const [file, text] = Object.entries(map.data)[0];
    expect(file).toBe("tracking-pipeline-prod.json");
    const rows = (JSON.parse(text) as { panels: { type: string; title: string }[] }).panels
      .filter((p) => p.type === "row")
      .map((p) => p.title);
    expect(rows).toEqual([
      "REST proxy",
      "analytics (prod-analytics-http-sink)",
      "marketing (prod-marketing-http-sink)",
      "warehouse (prod-warehouse-http-sink)",
    ]);
  });

  it("adds nothing of it with the settings off (their defaults)", async () => {
    await runProgram("prod", prodSecrets, {
      metricsEnabled: "false",
      metricsPrometheusOperator: "false",
      metricsMonitorLabels: "[]",
      metricsGrafanaDashboard: "false",
    });
    expect(ofType(POD_MONITOR)).toEqual([]);
    expect(ofType(PROMETHEUS_RULE)).toEqual([]);
    expect(ofType(CONFIG_MAP).map((c) => c.name)).not.toContain("tracking-connect-metrics-rules");
    const connect = podOf("tracking-connect-deployment").containers[0];
    expect(envOf(connect, "KAFKA_OPTS")).not.toContain("-javaagent");
    expect(podOf("tracking-rest-proxy-deployment").initContainers).toBeUndefined();
  });

  it("refuses metrics on a Connect cluster whose image it does not build, naming the settings", async () => {
    await useMocks();
    expect(
      () =>
        new ConnectCluster("c", {
          namespace: "n",
          environment: "dev",
          bootstrapServers: ["k:9092"],
          metrics: true,
        }),
    ).toThrow(/`metrics` needs `build`.*Set `connectImageBuild: true`/);
  });
});

describe("an image built from our Dockerfile elsewhere", () => {
  it("runs its agent when the stack says the image has it", async () => {
    await useMocks();
    const cluster = new ConnectCluster("c", {
      namespace: "n",
      environment: "dev",
      bootstrapServers: ["k:9092"],
      image: "r.example.com/p/tracking-connect:0.3.0-base-7.9.1-jmx-1.0.1",
      metrics: true,
      imageHasMetricsAgent: true,
    });
    await settled(cluster);
    const connect = podOf("c-deployment").containers[0];
    expect(envOf(connect, "KAFKA_OPTS")).toBe(
      `-javaagent:${AGENT_JAR_IN_IMAGE}=9404:/etc/tracking/metrics/connect.yml`,
    );
    expect(podOf("c-deployment").initContainers).toBeUndefined();
  });
});

describe("the agent in the image", () => {
  it("is the version the local platform runs", () => {
    expect(JMX_EXPORTER_VERSION).toBe(jmxExporterVersion());
  });

  it("is where the Dockerfile puts it", () => {
    const dockerfile = fs.readFileSync(
      path.join(ROOT, "components", "connect-image", "Dockerfile"),
      "utf8",
    );
    expect(dockerfile).toContain(`ARG JMX_EXPORTER_VERSION=${JMX_EXPORTER_VERSION}`);
    expect(dockerfile).toContain(
      `COPY --from=http-sink /agent/jmx_prometheus_javaagent.jar ${AGENT_JAR_IN_IMAGE}`,
    );
  });

  it("is built and pushed with the image when metrics are on", async () => {
    await runProgram("prod", prodSecrets, metricsOn);
    const image = named("docker:index/image:Image", "tracking-connect-image").inputs as {
      build: { args: Record<string, string> };
    };
    expect(image.build.args.JMX_EXPORTER_VERSION).toBe(JMX_EXPORTER_VERSION);
  });
});
