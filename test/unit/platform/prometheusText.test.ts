import { parsePrometheusText, sampleValue, samplesOf } from "../../../platform/prometheusText";

const TEXT = `# HELP tracking_http_sink_events_delivered_total HTTP sink counter (since the task started).
# TYPE tracking_http_sink_events_delivered_total counter
tracking_http_sink_events_delivered_total{connector="web-sink",task="0"} 12.0
tracking_http_sink_events_delivered_total{connector="web-sink",task="1"} 3.0
# TYPE rest_proxy_producer_request_latency_avg_seconds gauge
rest_proxy_producer_request_latency_avg_seconds{client_id="producer-1"} NaN
jmx_scrape_error 0.0
odd{path="a\\"b\\\\c\\nd", empty=""} +Inf 1700000000000
`;

describe("parsePrometheusText", () => {
  const e = parsePrometheusText(TEXT);

  it("reads samples with their labels, types and help", () => {
    expect(samplesOf(e, "tracking_http_sink_events_delivered_total")).toEqual([
      {
        name: "tracking_http_sink_events_delivered_total",
        labels: { connector: "web-sink", task: "0" },
        value: 12,
      },
      {
        name: "tracking_http_sink_events_delivered_total",
        labels: { connector: "web-sink", task: "1" },
        value: 3,
      },
    ]);
    expect(e.types.get("tracking_http_sink_events_delivered_total")).toBe("counter");
    expect(e.help.get("tracking_http_sink_events_delivered_total")).toBe(
      "HTTP sink counter (since the task started).",
    );
    expect(sampleValue(e, "jmx_scrape_error")).toBe(0);
  });

  it("reads NaN, +Inf, escaped label values and a timestamp", () => {
    expect(sampleValue(e, "rest_proxy_producer_request_latency_avg_seconds")).toBeNaN();
    expect(samplesOf(e, "odd")).toEqual([
      { name: "odd", labels: { path: 'a"b\\c\nd', empty: "" }, value: Infinity },
    ]);
  });

  it("finds one sample by labels, and refuses to pick among several", () => {
    expect(
      sampleValue(e, "tracking_http_sink_events_delivered_total", {
        connector: "web-sink",
        task: "1",
      }),
    ).toBe(3);
    expect(
      sampleValue(e, "tracking_http_sink_events_delivered_total", { task: "7" }),
    ).toBeUndefined();
    expect(() =>
      sampleValue(e, "tracking_http_sink_events_delivered_total", { connector: "web-sink" }),
    ).toThrow(
      '2 samples of tracking_http_sink_events_delivered_total match {"connector":"web-sink"}; narrow the labels.',
    );
  });

  it("names the line it cannot read", () => {
    expect(() => parsePrometheusText("ok 1\nbad{a=1} 2\n")).toThrow(
      'Line 2: expected ="..." after label a.',
    );
    expect(() => parsePrometheusText('x{a="1"} one\n')).toThrow(
      'Line 1: "one" is not a sample value.',
    );
    expect(() => parsePrometheusText('x{a="1\n')).toThrow("Line 1: unterminated value of label a.");
    expect(() => parsePrometheusText('x{a="1"\n')).toThrow(
      "Line 1: expected , or } after label a.",
    );
    expect(() => parsePrometheusText("9x 1\n")).toThrow("Line 1: expected a metric name: 9x 1");
  });
});
