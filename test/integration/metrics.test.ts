import { sampleValue, samplesOf } from "../../platform/prometheusText";
import {
  createTopic,
  deleteConnector,
  platformEndpoints,
  produce,
  putConnector,
  receiver,
  uniqueName,
} from "./platform";
import { refusingSink } from "./refusingSink";
import { scrape, waitFor } from "./scrape";

/**
 * The Prometheus JMX exporter agent in the real worker and REST proxy, with our rules
 * (observability/jmx-exporter/): after a delivery, the per-sink figures scraped from `/metrics`
 * match what the receiver counted. Every lookup names its labels, so rules that drop one (say,
 * `connector`) fail here. The REST proxy's HTTP request metrics and its rate limit are tested in
 * restProxyMetrics.test.ts.
 */
const e = platformEndpoints();
const client = receiver();

describe("Prometheus metrics of the worker and the REST proxy", () => {
  let name = "";
  const others: string[] = [];
  afterAll(async () => {
    await client.reject(null);
    for (const n of [name, ...others]) if (n !== "") await deleteConnector(n);
  });

  it("serve per-sink figures that match what the receiver counted", async () => {
    const N = 12;
    const path = `/${uniqueName("scrape")}`;
    const topic = uniqueName("scrape-src");
    await createTopic(topic, 1);
    // The topic is new: the proxy's producer has no series for it yet.
    const proxyBefore = await scrape(e.restProxyMetricsUrl);
    expect(
      sampleValue(proxyBefore, "rest_proxy_producer_topic_record_send_total", { topic }),
    ).toBeUndefined();

    name = uniqueName("scrape-sink");
    const clientId = `${name}-consumer`;
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}${path}`,
      "batch.max.size": "5",
      "batch.json.as.array": "true",
      // As the stack sets it (components/httpSinkConfig.ts): the rules read the connector from it.
      "consumer.override.client.id": clientId,
    });
    const ids = Array.from({ length: N }, (_, i) => `${path}-${i}`);
    await produce(
      topic,
      ids.map((id) => ({ id, kind: "page_view" })),
    );
    const report = await client.waitForIds(ids);
    expect(report.missing).toEqual([]);
    const requests = (await client.requests()).filter((r) => r.path === path);
    const accepted = requests.filter((r) => r.status < 300).length;

    const task = { connector: name, task: "0" };
    const metrics = await waitFor("the sink's figures to reach the receiver's", async () => {
      const m = await scrape(e.connectMetricsUrl);
      const delivered = sampleValue(m, "tracking_http_sink_events_delivered_total", task);
      const lag = sampleValue(m, "kafka_connect_sink_consumer_records_lag", {
        connector: name,
        topic,
        partition: "0",
      });
      return delivered === N && lag === 0 ? m : undefined;
    });

    // Our sink's own counters, per connector and task: exactly these labels.
    const [delivered] = samplesOf(metrics, "tracking_http_sink_events_delivered_total", task);
    expect(delivered.labels).toEqual(task);
    expect(sampleValue(metrics, "tracking_http_sink_requests_sent_total", task)).toBe(
      requests.length,
    );
    expect(sampleValue(metrics, "tracking_http_sink_responses_2xx_total", task)).toBe(accepted);
    expect(sampleValue(metrics, "tracking_http_sink_events_dead_lettered_total", task)).toBe(0);
    expect(metrics.types.get("tracking_http_sink_events_delivered_total")).toBe("counter");

    // Connector and task state, as a state label.
    expect(
      sampleValue(metrics, "kafka_connect_connector_status", {
        connector: name,
        status: "running",
      }),
    ).toBe(1);
    expect(sampleValue(metrics, "kafka_connect_task_status", { ...task, status: "running" })).toBe(
      1,
    );
    expect(
      sampleValue(metrics, "kafka_connect_worker_connector_tasks", {
        connector: name,
        state: "running",
      }),
    ).toBe(1);

    // The worker's own sink-task figures agree: every record read, no dead-letter write.
    expect(sampleValue(metrics, "kafka_connect_sink_task_record_read_total", task)).toBe(N);
    expect(
      sampleValue(metrics, "kafka_connect_task_error_deadletterqueue_produce_requests_total", task),
    ).toBe(0);
    expect(sampleValue(metrics, "kafka_connect_task_error_records_skipped_total", task)).toBe(0);
    expect(
      sampleValue(metrics, "kafka_connect_sink_consumer_records_consumed_total", {
        connector: name,
      }),
    ).toBe(N);
    expect(
      sampleValue(metrics, "kafka_connect_sink_consumer_records_lag_max", { connector: name }),
    ).toBeDefined();

    // The REST proxy's producer wrote the N records to the topic.
    const proxy = await scrape(e.restProxyMetricsUrl);
    const sent = samplesOf(proxy, "rest_proxy_producer_topic_record_send_total", { topic });
    expect(sent.map((s) => s.value)).toEqual([N]);
    expect(Object.keys(sent[0].labels).sort()).toEqual(["client_id", "topic"]);
  }, 180_000);

  it("count dead-letter writes and show a failed task by its state", async () => {
    // The receiver refuses events of kind "refused" with 400 (not retried).
    await client.reject({ status: 400, field: "kind", value: "refused" });
    const events = (prefix: string) =>
      Array.from({ length: 4 }, (_, i) => ({
        id: `${prefix}-${i}`,
        kind: i === 2 ? "refused" : "page_view",
      }));
    const sink = async (label: string, extra: Record<string, string>) => {
      const made = await refusingSink(label, extra, events);
      others.push(made.connector);
      return made;
    };
    // Dead-lettered: errors.tolerance=all with a dead-letter topic.
    const dead = await sink("scrape-dlq", {
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": `${uniqueName("scrape-dlq")}.dlq`,
      "errors.deadletterqueue.topic.replication.factor": "1",
    });
    // Failed: errors.tolerance none and behavior.on.error fail (the defaults).
    const failed = await sink("scrape-fail", {});

    const deadTask = { connector: dead.connector, task: "0" };
    const m = await waitFor("a dead-letter write and a failed task", async () => {
      const x = await scrape(e.connectMetricsUrl);
      const written = sampleValue(
        x,
        "kafka_connect_task_error_deadletterqueue_produce_requests_total",
        deadTask,
      );
      const state = sampleValue(x, "kafka_connect_task_status", {
        connector: failed.connector,
        task: "0",
        status: "failed",
      });
      return written === 1 && state === 1 ? x : undefined;
    });
    expect(sampleValue(m, "tracking_http_sink_events_dead_lettered_total", deadTask)).toBe(1);
    expect(sampleValue(m, "tracking_http_sink_events_delivered_total", deadTask)).toBe(3);
    expect(sampleValue(m, "tracking_http_sink_responses_4xx_total", deadTask)).toBe(1);
    expect(
      sampleValue(m, "kafka_connect_task_error_deadletterqueue_produce_failures_total", deadTask),
    ).toBe(0);
    // One series per task, the failed state's only: no stale "running" beside it.
    expect(
      samplesOf(m, "kafka_connect_task_status", { connector: failed.connector }).map(
        (s) => s.labels.status,
      ),
    ).toEqual(["failed"]);
    expect(
      sampleValue(m, "kafka_connect_worker_connector_tasks", {
        connector: failed.connector,
        state: "failed",
      }),
    ).toBe(1);
  }, 180_000);
});
