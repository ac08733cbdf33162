import { stringify } from "yaml";

/**
 * The pipeline's Prometheus alerting rules, as code: one group, every expression over the metric
 * names of observability/jmx-exporter/ (a contract listed in observability/README.md). The same
 * rules go to `observability/prometheus/tracking-alerts.yml` (for promtool and any Prometheus) and
 * to the stack's PrometheusRule.
 */

/** The thresholds a team tunes; ratios are of the requests a sink sent (retries included). */
export interface AlertThresholds {
  /** A sink's lag (records) above which growth for 10 minutes alerts. */
  readonly lagRecords: number;
  /** Share of a destination's answers that are 4xx other than 429 (the events are refused). */
  readonly clientErrorRatio: number;
  /** Share of a destination's answers that are 5xx. */
  readonly serverErrorRatio: number;
  /** Share of a destination's answers that are 429 (it throttles the sink). */
  readonly throttledRatio: number;
  /** Share of the REST proxy's answers that are 429 (it throttles browsers and services). */
  readonly restProxyThrottledRatio: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  lagRecords: 1000,
  clientErrorRatio: 0.01,
  serverErrorRatio: 0.05,
  throttledRatio: 0.1,
  restProxyThrottledRatio: 0.05,
};

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** `sum by (connector) (rate(<metric>[5m]))`. */
const rate5m = (metric: string) => `sum by (connector) (rate(${metric}[5m]))`;
const SENT = rate5m("tracking_http_sink_requests_sent_total");

function rule(
  alert: string,
  expr: string,
  forDuration: string,
  severity: "critical" | "warning",
  summary: string,
  description: string,
): AlertRule {
  return {
    alert,
    expr,
    for: forDuration,
    labels: { severity, part_of: "tracking-pipeline" },
    annotations: { summary, description, runbook: "observability/README.md, section Alerts" },
  };
}

/** The rules with these thresholds. */
export function alertGroups(t: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): RuleGroup[] {
  for (const [key, value] of Object.entries(t)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`alert threshold ${key} must be a number of at least 0 (got ${value})`);
    }
  }
  return [
    {
      name: "tracking-pipeline",
      rules: [
        rule(
          "TrackingConnectorFailed",
          'max by (connector) (kafka_connect_connector_status{status="failed"}) == 1',
          "1m",
          "critical",
          "Connector {{ $labels.connector }} has FAILED",
          "No event reaches its destination. `npm run status` shows the last error; " +
            "`POST /connectors/{{ $labels.connector }}/restart` once the cause is fixed.",
        ),
        rule(
          "TrackingTaskFailed",
          'max by (connector, task) (kafka_connect_task_status{status="failed"}) == 1',
          "1m",
          "critical",
          "Task {{ $labels.task }} of {{ $labels.connector }} has FAILED",
          "The partitions of that task are not delivered; their lag grows until it is restarted.",
        ),
        rule(
          "TrackingSinkLagGrowing",
          `(sum by (connector) (kafka_connect_sink_consumer_records_lag) > ${t.lagRecords}) ` +
            "and (sum by (connector) (delta(kafka_connect_sink_consumer_records_lag[10m])) > 0)",
          "10m",
          "warning",
          "{{ $labels.connector }} falls behind: lag {{ $value }} and growing",
          `Lag above ${t.lagRecords} records has grown for 10 minutes: the destination is slower ` +
            "than the events arrive (see its 429 and 5xx alerts, `rateLimit`, `tasksMax`).",
        ),
        rule(
          "TrackingDeadLetterWrites",
          "sum by (connector) (increase(kafka_connect_task_error_deadletterqueue_produce_requests_total[5m])) > 0",
          "0s",
          "warning",
          "{{ $labels.connector }} dead-lettered events in the last 5 minutes",
          "The destination refused them; they wait in the dead-letter topic for a replay.",
        ),
        rule(
          "TrackingDestinationClientErrors",
          `(${rate5m("tracking_http_sink_responses_4xx_total")} - ` +
            `${rate5m("tracking_http_sink_responses_429_total")}) / ${SENT} > ${t.clientErrorRatio}`,
          "5m",
          "warning",
          "{{ $labels.connector }}: the destination refuses {{ $value | humanizePercentage }} of requests (4xx)",
          "Credentials, URL or payload: the refused events go to the dead-letter topic or fail the task.",
        ),
        rule(
          "TrackingDestinationServerErrors",
          `${rate5m("tracking_http_sink_responses_5xx_total")} / ${SENT} > ${t.serverErrorRatio}`,
          "5m",
          "warning",
          "{{ $labels.connector }}: the destination fails {{ $value | humanizePercentage }} of requests (5xx)",
          "They are retried; lag grows while it lasts.",
        ),
        rule(
          "TrackingDestinationThrottling",
          `${rate5m("tracking_http_sink_responses_429_total")} / ${SENT} > ${t.throttledRatio}`,
          "5m",
          "warning",
          "{{ $labels.connector }}: the destination throttles {{ $value | humanizePercentage }} of requests (429)",
          "Lower the destination's `rateLimit` to its quota so that the sink waits instead of being refused.",
        ),
        rule(
          "TrackingRestProxyThrottling",
          'sum by (namespace) (rate(rest_proxy_request_errors_total{http_status_code="429"}[5m])) / ' +
            `sum by (namespace) (rate(rest_proxy_requests_total[5m])) > ${t.restProxyThrottledRatio}`,
          "5m",
          "warning",
          "The REST proxy refuses {{ $value | humanizePercentage }} of requests with 429",
          "Browsers and services are throttled at the edge (`restProxyRateLimitPermitsPerSecond` per " +
            "pod): events they do not retry are lost. Raise the limit or the replicas if the traffic is real.",
        ),
      ],
    },
  ];
}

/** Where the rules are written for promtool and for a Prometheus outside the stack. */
export const ALERTS_FILE = "observability/prometheus/tracking-alerts.yml";

/** The rules file's text: `groups:` as Prometheus reads it (`npm run observability:rules`). */
export function alertRulesYaml(t: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): string {
  const header =
    "# Generated by `npm run observability:rules` from observability/alerts.ts; do not edit.\n" +
    "# Tested by `promtool test rules tracking-alerts.test.yml` (npm test).\n";
  return header + stringify({ groups: alertGroups(t) }, { lineWidth: 0 });
}
