import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { RULES_DIR } from "../../../platform/metricsAgent";
import { documentedMetrics, exportedBy, loadRules } from "./jmxRules";

const readme = readFileSync(resolve(RULES_DIR, "..", "README.md"), "utf8");
const documented = documentedMetrics(readme);

const task = "connector=web-sink, task=0";
const at = (bean: string, attrs: readonly string[], value = "1") =>
  attrs.map((a) => `kafka.connect<type=${bean}><>${a}: ${value}`);

/** The attributes the rules are for, as a Kafka 4.4 worker running our sink publishes them. */
const CONNECT_INPUTS = [
  "kafka.connect<type=connector-metrics, connector=web-sink><>status: running",
  `kafka.connect<type=connector-task-metrics, ${task}><>status: running`,
  ...at(
    "connect-worker-metrics, connector=web-sink",
    ["running", "paused", "failed", "unassigned", "restarting", "destroyed", "total"].map(
      (s) => `connector-${s}-task-count`,
    ),
  ),
  ...at("connect-worker-metrics", ["connector-count", "task-count"]),
  ...at(`connector-task-metrics, ${task}`, [
    "running-ratio",
    "pause-ratio",
    "offset-commit-avg-time-ms",
    "offset-commit-max-time-ms",
    "offset-commit-success-percentage",
    "offset-commit-failure-percentage",
  ]),
  ...at(`sink-task-metrics, ${task}`, [
    "sink-record-read-total",
    "sink-record-send-total",
    "sink-record-read-rate",
    "sink-record-send-rate",
    "put-batch-avg-time-ms",
    "put-batch-max-time-ms",
    "offset-commit-completion-total",
    "offset-commit-skip-total",
    "sink-record-active-count",
    "partition-count",
  ]),
  ...at(`task-error-metrics, ${task}`, [
    "deadletterqueue-produce-requests",
    "deadletterqueue-produce-failures",
    "total-record-errors",
    "total-record-failures",
    "total-records-skipped",
    "total-errors-logged",
    "total-retries",
    "last-error-timestamp",
  ]),
  // connectors/http-sink/README.md, "Metrics": every attribute of the plugin MBean.
  ...at(`plugins, ${task}`, [
    "requests-sent-total",
    "responses-2xx-total",
    "responses-4xx-total",
    "responses-5xx-total",
    "responses-429-total",
    "requests-unanswered-total",
    "retries-total",
    "retry-after-wait-ms-total",
    "rate-limit-wait-ms-total",
    "events-delivered-total",
    "events-dead-lettered-total",
    "events-skipped-total",
    "bytes-sent-total",
    "request-latency-last-ms",
    "request-latency-max-ms",
  ]),
  ...["web-sink-consumer", "connector-consumer-web-sink-0"].flatMap((id) => [
    `kafka.consumer<type=consumer-fetch-manager-metrics, client-id=${id}, topic=web.events, partition=0><>records-lag: 0`,
    `kafka.consumer<type=consumer-fetch-manager-metrics, client-id=${id}><>records-lag-max: 0`,
    `kafka.consumer<type=consumer-fetch-manager-metrics, client-id=${id}><>records-consumed-total: 5`,
  ]),
];

/** Confluent's (rest-utils') request MBeans, as the stand-in registers them too. */
const JERSEY = "kafka.rest<type=jersey-metrics>";
const jersey = (status: string) => `kafka.rest<type=jersey-metrics, http_status_code=${status}>`;

const PROXY_INPUTS = [
  `${JERSEY}<>request-total: 7`,
  `${JERSEY}<>request-latency-avg: 3.5`,
  `${JERSEY}<>request-latency-max: 12`,
  ...["1xx", "2xx", "3xx", "4xx", "5xx", "unknown", "429"].map(
    (status) => `${jersey(status)}<>request-error-total: 1`,
  ),
  ...["record-send-total", "record-error-total", "record-retry-total", "byte-total"].map(
    (a) =>
      `kafka.producer<type=producer-topic-metrics, client-id=producer-1, topic=web.events><>${a}: 1`,
  ),
  ...["request-total", "response-total", "request-latency-avg", "request-latency-max"].map(
    (a) => `kafka.producer<type=producer-metrics, client-id=producer-1><>${a}: 1`,
  ),
];

describe.each([
  ["connect.yml", CONNECT_INPUTS],
  ["rest-proxy.yml", PROXY_INPUTS],
])("rules file %s", (file, inputs) => {
  const rules = loadRules(join(RULES_DIR, file));
  const exported = inputs.map((input) => ({ input, out: exportedBy(rules, input) }));

  it("exports every attribute it is for", () => {
    expect(exported.filter((e) => e.out === undefined).map((e) => e.input)).toEqual([]);
  });

  it("exports exactly the metrics of its README table, with their types and labels", () => {
    const names = new Set(exported.map((e) => e.out?.name));
    const own = [...documented.values()].filter((d) =>
      file === "connect.yml" ? !d.name.startsWith("rest_proxy_") : d.name.startsWith("rest_proxy_"),
    );
    expect([...names].sort()).toEqual(own.map((d) => d.name).sort());
    for (const { input, out } of exported) {
      const doc = documented.get(out?.name ?? "");
      expect({ input, type: out?.type }).toEqual({ input, type: doc?.type });
      const required = doc?.labels.filter((l) => !doc.optional.includes(l)) ?? [];
      const got = Object.keys(out?.labels ?? {});
      expect({ input, missing: required.filter((l) => !got.includes(l)) }).toEqual({
        input,
        missing: [],
      });
      expect({ input, extra: got.filter((l) => !(doc?.labels ?? []).includes(l)) }).toEqual({
        input,
        extra: [],
      });
    }
  });

  it("names counters with _total and no label value spans two MBean keys", () => {
    for (const { input, out } of exported) {
      if (out?.type === "counter")
        expect({ input, name: out.name }).toMatchObject({
          name: expect.stringMatching(/_total$/),
        });
      for (const value of Object.values(out?.labels ?? {})) {
        expect({ input, value }).toEqual({ input, value: expect.not.stringMatching(/[,=<>]/) });
      }
    }
  });
});

describe("connect.yml labels", () => {
  const rules = loadRules(join(RULES_DIR, "connect.yml"));
  it("reads the connector and task from the MBean, and the connector from the sink's client id", () => {
    expect(
      exportedBy(rules, `kafka.connect<type=plugins, ${task}><>events-delivered-total: 3`),
    ).toEqual({
      name: "tracking_http_sink_events_delivered_total",
      type: "counter",
      labels: { connector: "web-sink", task: "0" },
    });
    expect(
      exportedBy(
        rules,
        "kafka.consumer<type=consumer-fetch-manager-metrics, client-id=web-sink-consumer, topic=web.events, partition=2><>records-lag: 7",
      ),
    ).toEqual({
      name: "kafka_connect_sink_consumer_records_lag",
      type: "gauge",
      labels: { connector: "web-sink", topic: "web.events", partition: "2" },
    });
    expect(
      exportedBy(
        rules,
        "kafka.connect<type=connector-metrics, connector=web-sink><>status: failed",
      ),
    ).toMatchObject({ labels: { connector: "web-sink", status: "failed" } });
  });

  it("leaves the worker's own consumers and a per-topic MBean's records-consumed-total out", () => {
    expect(
      exportedBy(
        rules,
        "kafka.consumer<type=consumer-fetch-manager-metrics, client-id=tracking-connect-configs><>records-lag-max: 0",
      ),
    ).toBeUndefined();
    expect(
      exportedBy(
        rules,
        "kafka.consumer<type=consumer-fetch-manager-metrics, client-id=connector-consumer-web-sink-0, topic=web.events><>records-consumed-total: 5",
      ),
    ).toBeUndefined();
  });
});

describe("rest-proxy.yml labels", () => {
  const rules = loadRules(join(RULES_DIR, "rest-proxy.yml"));
  it("reads the status class from the MBean, 429 included", () => {
    expect(exportedBy(rules, `${jersey("429")}<>request-error-total: 2`)).toEqual({
      name: "rest_proxy_request_errors_total",
      type: "counter",
      labels: { http_status_code: "429" },
    });
    expect(exportedBy(rules, `${JERSEY}<>request-total: 7`)).toEqual({
      name: "rest_proxy_requests_total",
      type: "counter",
      labels: {},
    });
  });

  it("leaves out the untagged error total (the sum of the classes) and the rates", () => {
    for (const input of [
      `${JERSEY}<>request-error-total: 3`,
      `${JERSEY}<>request-error-rate: 0.1`,
      `${JERSEY}<>request-rate: 0.2`,
      `${jersey("4xx")}<>request-error-rate: 0.1`,
    ]) {
      expect({ input, out: exportedBy(rules, input) }).toEqual({ input, out: undefined });
    }
  });

  it("reads the request MBeans it includes", () => {
    expect(rules.includeObjectNames).toContain("kafka.rest:type=jersey-metrics,*");
  });
});
