import { alertThresholdsOf, monitorLabelsOf, parseStackConfig } from "../../../config";
import { DEFAULT_ALERT_THRESHOLDS } from "../../../observability/alerts";
import { configProblems } from "../mocks";

const base = { kafkaBootstrapServers: JSON.stringify(["k:9092"]) };
const built = { ...base, connectImageBuild: "true", connectImageRegistry: "r.example.com/p" };

describe("the observability settings", () => {
  it("default to no metrics, and to the alerts' own thresholds", () => {
    const s = parseStackConfig(base);
    expect([s.metricsEnabled, s.metricsPrometheusOperator, s.metricsGrafanaDashboard]).toEqual([
      false,
      false,
      false,
    ]);
    expect(alertThresholdsOf(s)).toEqual(DEFAULT_ALERT_THRESHOLDS);
  });

  it("need the built image for the agent, naming both settings", () => {
    expect(configProblems({ ...base, metricsEnabled: "true" })).toEqual([
      expect.stringMatching(
        /^metricsEnabled: needs `connectImageBuild: true`: the JMX exporter agent/,
      ),
    ]);
    expect(parseStackConfig({ ...built, metricsEnabled: "true" }).metricsEnabled).toBe(true);
    // An image a team's CI built from our Dockerfile holds the agent too.
    const own = {
      ...base,
      connectImage: "r.example.com/p/tracking-connect:0.3.0-base-7.9.1-jmx-1.0.1",
    };
    expect(
      parseStackConfig({ ...own, metricsEnabled: "true", connectImageHasMetricsAgent: "true" })
        .metricsEnabled,
    ).toBe(true);
    expect(configProblems({ ...built, connectImageHasMetricsAgent: "true" })).toEqual([
      expect.stringMatching(
        /^connectImageHasMetricsAgent: is for a `connectImage` built elsewhere/,
      ),
    ]);
  });

  it("refuse what would silently do nothing", () => {
    expect(
      configProblems({
        ...base,
        kubernetesEnabled: "false",
        connectUrl: "http://c:8083",
        metricsEnabled: "true",
      }),
    ).toEqual([expect.stringMatching(/^metricsEnabled: is true but `kubernetesEnabled` is false/)]);
    expect(configProblems({ ...built, metricsPrometheusOperator: "true" })).toEqual([
      expect.stringMatching(/^metricsPrometheusOperator: needs `metricsEnabled: true`/),
    ]);
    expect(configProblems({ ...built, metricsGrafanaDashboard: "true" })).toEqual([
      expect.stringMatching(/^metricsGrafanaDashboard: needs `metricsEnabled: true`/),
    ]);
    expect(
      configProblems({ ...built, metricsEnabled: "true", metricsMonitorLabels: '["release=p"]' }),
    ).toEqual([
      expect.stringMatching(/^metricsMonitorLabels: .*`metricsPrometheusOperator` is false/),
    ]);
  });

  it("read monitor labels as Kubernetes labels, refusing malformed or repeated ones", () => {
    const on = { ...built, metricsEnabled: "true", metricsPrometheusOperator: "true" };
    const labels = ["release=kube-prometheus-stack", "example.com/team=web", "empty="];
    const s = parseStackConfig({ ...on, metricsMonitorLabels: JSON.stringify(labels) });
    expect(monitorLabelsOf(s.metricsMonitorLabels)).toEqual({
      release: "kube-prometheus-stack",
      "example.com/team": "web",
      empty: "",
    });
    expect(configProblems({ ...on, metricsMonitorLabels: '["release"]' })).toEqual([
      expect.stringMatching(/^metricsMonitorLabels\[0\]: must be Kubernetes labels as "key=value"/),
    ]);
    expect(configProblems({ ...on, metricsMonitorLabels: '["a=1","a=2"]' })).toEqual([
      expect.stringMatching(/^metricsMonitorLabels: names the label a twice/),
    ]);
  });

  it("take thresholds in percent and hand the alerts ratios", () => {
    const s = parseStackConfig({
      ...base,
      alertLagRecords: "50",
      alertClientErrorPercent: "2",
      alertServerErrorPercent: "20",
      alertThrottledPercent: "0",
      alertRestProxyThrottledPercent: "100",
    });
    expect(alertThresholdsOf(s)).toEqual({
      lagRecords: 50,
      clientErrorRatio: 0.02,
      serverErrorRatio: 0.2,
      throttledRatio: 0,
      restProxyThrottledRatio: 1,
    });
    expect(configProblems({ ...base, alertServerErrorPercent: "101" })).toEqual([
      expect.stringMatching(/^alertServerErrorPercent: must be a whole number from 0 to 100/),
    ]);
  });
});
