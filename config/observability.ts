import { z } from "zod";
import type { AlertThresholds } from "../observability/alerts";
import { bool, int, json } from "./fields";

/**
 * The observability settings: the metrics agent in the pods, the Prometheus Operator objects and
 * the Grafana dashboard, and the alert thresholds (observability/alerts.ts).
 */

const LABEL_NAME = "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)";
const LABEL_PREFIX = "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?";
const LABEL_VALUE = "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?";

/** `key=value`, a Kubernetes label: what a Prometheus' `podMonitorSelector` matches. */
const labelPair = z.string().regex(new RegExp(`^${LABEL_PREFIX}${LABEL_NAME}=${LABEL_VALUE}$`), {
  error: 'must be Kubernetes labels as "key=value", such as "release=kube-prometheus-stack"',
});

const percent = json(int(0, 100));

export const observabilityShape = {
  metricsEnabled: json(bool).default(false),
  connectImageHasMetricsAgent: json(bool).default(false),
  metricsPrometheusOperator: json(bool).default(false),
  metricsMonitorLabels: json(z.array(labelPair)).default([]),
  metricsGrafanaDashboard: json(bool).default(false),
  alertLagRecords: json(int(1, 1_000_000_000)).default(1000),
  alertClientErrorPercent: percent.default(1),
  alertServerErrorPercent: percent.default(5),
  alertThrottledPercent: percent.default(10),
  alertRestProxyThrottledPercent: percent.default(5),
};

export interface ObservabilitySettings {
  readonly kubernetesEnabled: boolean;
  readonly connectImageBuild: boolean;
  readonly connectImageHasMetricsAgent: boolean;
  readonly metricsEnabled: boolean;
  readonly metricsPrometheusOperator: boolean;
  readonly metricsMonitorLabels: readonly string[];
  readonly metricsGrafanaDashboard: boolean;
}

/** `metricsMonitorLabels` as a label map. */
export function monitorLabelsOf(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
}

/** Settings that depend on each other: each one that would silently do nothing is an error. */
export function checkObservability(c: ObservabilitySettings, ctx: z.RefinementCtx): void {
  const issue = (key: keyof ObservabilitySettings, input: unknown, message: string): void =>
    ctx.addIssue({ code: "custom", path: [key], input, message });
  if (c.metricsEnabled && !c.kubernetesEnabled) {
    issue(
      "metricsEnabled",
      true,
      "is true but `kubernetesEnabled` is false: the agent goes into the stack's own pods; remove it",
    );
  } else if (c.metricsEnabled && !c.connectImageBuild && !c.connectImageHasMetricsAgent) {
    issue(
      "metricsEnabled",
      true,
      "needs `connectImageBuild: true`: the JMX exporter agent ships in the Connect image the " +
        "stack builds (REST proxy pods copy it from there); build the image, set " +
        "`connectImageHasMetricsAgent: true` when `connectImage` was built from " +
        "components/connect-image/Dockerfile elsewhere, or remove the setting",
    );
  }
  if (c.connectImageHasMetricsAgent && c.connectImageBuild) {
    issue(
      "connectImageHasMetricsAgent",
      true,
      "is for a `connectImage` built elsewhere, but `connectImageBuild` builds it (with the agent); remove it",
    );
  }
  if (c.metricsPrometheusOperator && !c.metricsEnabled) {
    issue(
      "metricsPrometheusOperator",
      true,
      "needs `metricsEnabled: true`: the PodMonitors scrape the agent's port",
    );
  }
  if (c.metricsGrafanaDashboard && !c.metricsEnabled) {
    issue(
      "metricsGrafanaDashboard",
      true,
      "needs `metricsEnabled: true`: the dashboard shows the agent's metrics",
    );
  }
  if (c.metricsMonitorLabels.length > 0 && !c.metricsPrometheusOperator) {
    issue(
      "metricsMonitorLabels",
      c.metricsMonitorLabels,
      "labels the PodMonitors and the PrometheusRule, but `metricsPrometheusOperator` is false; remove it",
    );
  }
  const keys = c.metricsMonitorLabels.map((pair) => pair.slice(0, pair.indexOf("=")));
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  if (repeated !== undefined) {
    issue("metricsMonitorLabels", c.metricsMonitorLabels, `names the label ${repeated} twice`);
  }
}

/** The alert thresholds of the stack settings, ratios as observability/alerts.ts takes them. */
export function alertThresholdsOf(c: {
  readonly alertLagRecords: number;
  readonly alertClientErrorPercent: number;
  readonly alertServerErrorPercent: number;
  readonly alertThrottledPercent: number;
  readonly alertRestProxyThrottledPercent: number;
}): AlertThresholds {
  return {
    lagRecords: c.alertLagRecords,
    clientErrorRatio: c.alertClientErrorPercent / 100,
    serverErrorRatio: c.alertServerErrorPercent / 100,
    throttledRatio: c.alertThrottledPercent / 100,
    restProxyThrottledRatio: c.alertRestProxyThrottledPercent / 100,
  };
}
