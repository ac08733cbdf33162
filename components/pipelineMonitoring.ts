import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AlertThresholds, alertGroups } from "../observability/alerts";
import { DashboardDestination, pipelineDashboard } from "../observability/dashboard";
import { standardLabels } from "./labels";
import { METRICS_PORT_NAME } from "./metricsAgent";

/** The label Grafana's dashboard sidecar (the Grafana Helm chart's default) loads ConfigMaps by. */
export const GRAFANA_DASHBOARD_LABEL = "grafana_dashboard";

export interface PipelineMonitoringArgs {
  readonly namespace: pulumi.Input<string>;
  /** The namespace's name as a plain string, for the dashboard's queries. */
  readonly namespaceName: string;
  readonly environment: string;
  /** The pods of the Connect workers and of the REST proxy (their metrics port is `metrics`). */
  readonly connectPods: Record<string, string>;
  readonly restProxyPods: Record<string, string>;
  readonly destinations: readonly DashboardDestination[];
  /** PodMonitors and a PrometheusRule (the Prometheus Operator's CRDs must exist). */
  readonly prometheusOperator: boolean;
  /** Extra labels of the PodMonitors and the PrometheusRule, as a Prometheus selects them. */
  readonly monitorLabels?: Record<string, string>;
  readonly thresholds: AlertThresholds;
  /** A dashboard ConfigMap labelled for Grafana's sidecar. */
  readonly grafanaDashboard: boolean;
}

/**
 * How Prometheus and Grafana see a pipeline: a PodMonitor per workload, the alerts of
 * observability/alerts.ts as a PrometheusRule (with the stack's thresholds), and the dashboard of
 * observability/dashboard.ts.
 */
export class PipelineMonitoring extends pulumi.ComponentResource {
  public readonly podMonitors: k8s.apiextensions.CustomResource[] = [];
  public readonly prometheusRule?: k8s.apiextensions.CustomResource;
  public readonly dashboard?: k8s.core.v1.ConfigMap;

  constructor(name: string, args: PipelineMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracking:k8s:PipelineMonitoring", name, {}, opts);
    const labels = standardLabels("tracking-pipeline", args.environment, "monitoring");
    const monitorMetadata = (objectName: string) => ({
      name: objectName,
      namespace: args.namespace,
      labels: { ...labels, ...(args.monitorLabels ?? {}) },
    });

    if (args.prometheusOperator) {
      let groups;
      try {
        groups = alertGroups(args.thresholds);
      } catch (err) {
        throw new pulumi.ResourceError((err as Error).message, this, true);
      }
      for (const [workload, selector] of [
        ["connect", args.connectPods],
        ["rest-proxy", args.restProxyPods],
      ] as const) {
        this.podMonitors.push(
          new k8s.apiextensions.CustomResource(
            `${name}-${workload}-pods`,
            {
              apiVersion: "monitoring.coreos.com/v1",
              kind: "PodMonitor",
              metadata: monitorMetadata(`${name}-${workload}`),
              spec: {
                selector: { matchLabels: selector },
                podMetricsEndpoints: [
                  { port: METRICS_PORT_NAME, path: "/metrics", interval: "30s" },
                ],
              },
            },
            { parent: this },
          ),
        );
      }
      this.prometheusRule = new k8s.apiextensions.CustomResource(
        `${name}-alerts`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: monitorMetadata(`${name}-alerts`),
          spec: { groups },
        },
        { parent: this },
      );
    }

    if (args.grafanaDashboard) {
      const dashboard = pipelineDashboard({
        environment: args.environment,
        namespace: args.namespaceName,
        destinations: args.destinations,
      });
      this.dashboard = new k8s.core.v1.ConfigMap(
        `${name}-dashboard`,
        {
          metadata: {
            name: `${name}-dashboard`,
            namespace: args.namespace,
            labels: { ...labels, [GRAFANA_DASHBOARD_LABEL]: "1" },
          },
          data: { [`${dashboard.uid}.json`]: JSON.stringify(dashboard, null, 2) },
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
