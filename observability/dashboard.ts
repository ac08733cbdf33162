/**
 * The pipeline's Grafana dashboard, as code: a row for the REST proxy, then one row per
 * destination, every query over the metric names of observability/jmx-exporter/ (the contract in
 * observability/README.md). The stack puts it in a ConfigMap that Grafana's dashboard sidecar
 * loads (components/pipelineMonitoring.ts).
 */

/** A destination as the dashboard shows it. */
export interface DashboardDestination {
  /** The destination's name in the stack settings. */
  readonly name: string;
  /** Its connector's name on the workers: the `connector` label of its series. */
  readonly connector: string;
}

export interface DashboardTarget {
  readonly expr: string;
  readonly legendFormat: string;
  readonly refId: string;
}

export interface DashboardPanel {
  readonly id: number;
  readonly type: "row" | "timeseries" | "stat";
  readonly title: string;
  readonly gridPos: {
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
  };
  readonly collapsed?: boolean;
  readonly datasource?: { readonly type: "prometheus"; readonly uid: string };
  readonly targets?: readonly DashboardTarget[];
  readonly fieldConfig?: { readonly defaults: Readonly<Record<string, unknown>> };
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly panels: readonly DashboardPanel[];
  readonly [key: string]: unknown;
}

const DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;
const PANEL_HEIGHT = 7;

interface PanelSpec {
  readonly title: string;
  readonly type?: "timeseries" | "stat";
  readonly unit: string;
  readonly queries: readonly (readonly [expr: string, legend: string])[];
}

/** The queries of one destination's row. */
function destinationPanels(connector: string): PanelSpec[] {
  const c = `connector="${connector}"`;
  const rate = (metric: string) => `sum(rate(${metric}{${c}}[5m]))`;
  return [
    {
      title: "Events delivered and dead-lettered",
      unit: "ops",
      queries: [
        [rate("tracking_http_sink_events_delivered_total"), "delivered"],
        [rate("tracking_http_sink_events_dead_lettered_total"), "dead-lettered"],
      ],
    },
    {
      title: "Lag (records)",
      unit: "short",
      queries: [[`sum(kafka_connect_sink_consumer_records_lag{${c}})`, "lag"]],
    },
    {
      title: "Destination answers",
      unit: "reqps",
      queries: [
        [rate("tracking_http_sink_responses_2xx_total"), "2xx"],
        [
          `${rate("tracking_http_sink_responses_4xx_total")} - ${rate("tracking_http_sink_responses_429_total")}`,
          "4xx (not 429)",
        ],
        [rate("tracking_http_sink_responses_429_total"), "429"],
        [rate("tracking_http_sink_responses_5xx_total"), "5xx"],
        [rate("tracking_http_sink_requests_unanswered_total"), "no answer"],
      ],
    },
    {
      title: "Tasks failed",
      type: "stat",
      unit: "short",
      queries: [
        [`sum(kafka_connect_task_status{${c},status="failed"}) or vector(0)`, "failed tasks"],
      ],
    },
  ];
}

/** The REST proxy's row: its pods are told apart from other stacks' by their namespace. */
function restProxyPanels(namespace: string): PanelSpec[] {
  const ns = `namespace="${namespace}"`;
  return [
    {
      title: "Requests",
      unit: "reqps",
      queries: [
        [`sum(rate(rest_proxy_requests_total{${ns}}[5m]))`, "all"],
        [`sum(rate(rest_proxy_request_errors_total{${ns},http_status_code="429"}[5m]))`, "429"],
        [`sum(rate(rest_proxy_request_errors_total{${ns},http_status_code="5xx"}[5m]))`, "5xx"],
      ],
    },
    {
      title: "Records written to Kafka",
      unit: "ops",
      queries: [
        [
          `sum by (topic) (rate(rest_proxy_producer_topic_record_send_total{${ns}}[5m]))`,
          "{{topic}}",
        ],
        [`sum(rate(rest_proxy_producer_topic_record_error_total{${ns}}[5m]))`, "errors"],
      ],
    },
  ];
}

export interface DashboardArgs {
  /** The stack's environment (`prod`): the dashboard's title and uid. */
  readonly environment: string;
  /** The namespace of the stack's pods (`kubernetesNamespace`). */
  readonly namespace: string;
  readonly destinations: readonly DashboardDestination[];
}

/** The dashboard of one environment's pipeline. */
export function pipelineDashboard(args: DashboardArgs): Dashboard {
  const { environment, destinations } = args;
  const panels: DashboardPanel[] = [];
  let y = 0;
  const addRow = (title: string, specs: readonly PanelSpec[]) => {
    panels.push({
      id: panels.length + 1,
      type: "row",
      title,
      collapsed: false,
      gridPos: { x: 0, y, w: 24, h: 1 },
    });
    y += 1;
    const width = Math.floor(24 / specs.length);
    specs.forEach((spec, i) => {
      panels.push({
        id: panels.length + 1,
        type: spec.type ?? "timeseries",
        title: spec.title,
        gridPos: { x: i * width, y, w: width, h: PANEL_HEIGHT },
        datasource: DATASOURCE,
        targets: spec.queries.map(([expr, legendFormat], q) => ({
          expr,
          legendFormat,
          refId: String.fromCharCode(65 + q),
        })),
        fieldConfig: { defaults: { unit: spec.unit } },
      });
    });
    y += PANEL_HEIGHT;
  };
  addRow("REST proxy", restProxyPanels(args.namespace));
  for (const d of destinations)
    addRow(`${d.name} (${d.connector})`, destinationPanels(d.connector));
  return {
    uid: `tracking-pipeline-${environment}`.slice(0, 40),
    title: `Tracking pipeline: ${environment}`,
    tags: ["tracking-pipeline"],
    editable: false,
    schemaVersion: 39,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    templating: {
      list: [{ name: "datasource", label: "Data source", type: "datasource", query: "prometheus" }],
    },
    panels,
  };
}
