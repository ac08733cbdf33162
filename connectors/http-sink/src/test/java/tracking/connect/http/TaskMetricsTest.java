package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The task's counters against a real HTTP server, published the way the worker does it: Kafka's
 * own PluginMetricsImpl over a Metrics with a JmxReporter in the `kafka.connect` namespace, read
 * back from this JVM's MBean server.
 */
class TaskMetricsTest {
  private TestEndpoint endpoint;
  private Metrics metrics;
  private final List<Long> waits = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    endpoint = new TestEndpoint();
    List<MetricsReporter> reporters = List.of(new JmxReporter());
    metrics = new Metrics(new MetricConfig(), reporters, Time.SYSTEM,
        new KafkaMetricsContext("kafka.connect"));
  }

  @AfterEach
  void stop() {
    endpoint.close();
    metrics.close();
  }

  private static SinkRecord record(int partition, long offset) {
    return new SinkRecord("t", partition, null, null, null, "{\"n\":" + offset + "}", offset);
  }

  @Test
  void countsWhatTheTaskDidAndPublishesItInJmxUntilStop() throws Exception {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("connector", "metrics-test");
    tags.put("task", "0");
    TestContext context = new TestContext(true);
    context.plugin = new PluginMetricsImpl(metrics, tags);
    HttpSinkTask task = new HttpSinkTask(waits::add,
        Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
    task.initialize(context);
    task.start(HttpSinkConfigTest.props("http.api.url", endpoint.url("/e"), "batch.max.size", "2",
        "retry.on.status.codes", "429,500-", "retry.backoff.ms", "100",
        "retry.backoff.policy", "CONSTANT_VALUE", "errors.tolerance", "all"));
    endpoint.answer(429, "slow down", Map.of("Retry-After", "1"));
    endpoint.answer(503, "busy", Map.of());
    endpoint.answer(200, "{}", Map.of());
    endpoint.answer(400, "bad", Map.of());

    // p0 0-1: 429 (waits 1 s as asked), 503 (backoff), 200; p0 2-3: 400, dead-lettered; p1 0: 200
    task.put(List.of(record(0, 0), record(0, 1), record(0, 2), record(0, 3), record(1, 0)));
    assertEquals(List.of(1000L, 100L), waits);
    assertEquals(2, context.reported.size());

    long bytes = 0;
    for (TestEndpoint.Seen s : endpoint.requests("/e")) {
      bytes += s.body.getBytes(StandardCharsets.UTF_8).length;
    }
    TaskMetrics m = task.metrics();
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put(TaskMetrics.REQUESTS, 5L);
    expected.put(TaskMetrics.RESPONSES_2XX, 2L);
    expected.put(TaskMetrics.RESPONSES_4XX, 2L);
    expected.put(TaskMetrics.RESPONSES_5XX, 1L);
    expected.put(TaskMetrics.RESPONSES_429, 1L);
    expected.put(TaskMetrics.NO_ANSWER, 0L);
    expected.put(TaskMetrics.RETRIES, 2L);
    expected.put(TaskMetrics.RETRY_AFTER_WAIT, 1000L);
    expected.put(TaskMetrics.RATE_LIMIT_WAIT, 0L);
    expected.put(TaskMetrics.EVENTS_DELIVERED, 3L);
    expected.put(TaskMetrics.EVENTS_DEAD_LETTERED, 2L);
    expected.put(TaskMetrics.EVENTS_SKIPPED, 0L);
    // three attempts of `{"n":0},{"n":1}` (15 bytes), `{"n":2},{"n":3}` once, `{"n":0}` once
    assertEquals(3 * 15 + 15 + 7, bytes);
    expected.put(TaskMetrics.BYTES_SENT, bytes);
    Map<String, Long> counted = m.snapshot();
    long last = counted.remove(TaskMetrics.LATENCY_LAST);
    long max = counted.remove(TaskMetrics.LATENCY_MAX);
    assertEquals(expected, counted);
    assertTrue(last >= 0 && max >= last, last + " / " + max);

    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("kafka.connect:type=plugins,connector=metrics-test,task=0");
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      Object v = server.getAttribute(name, e.getKey());
      assertEquals(e.getValue().doubleValue(), ((Number) v).doubleValue(), e.getKey());
    }
    assertEquals((double) max, ((Number) server.getAttribute(name, TaskMetrics.LATENCY_MAX)).doubleValue());

    task.stop();
    assertFalse(server.isRegistered(name), "unregistered on stop");
  }

  @Test
  void aRestartedTaskTakesOverTheMetricsOnceItsPreviousInstanceLetsGo() throws Exception {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("connector", "restarted");
    tags.put("task", "0");
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("kafka.connect:type=plugins,connector=restarted,task=0");
    // The worker gives each instance of task 0 its own PluginMetricsImpl over one Metrics.
    TestContext oldContext = new TestContext(false);
    oldContext.plugin = new PluginMetricsImpl(metrics, tags);
    HttpSinkTask old = new HttpSinkTask(waits::add, Clock.systemUTC());
    old.initialize(oldContext);
    old.start(HttpSinkConfigTest.props("http.api.url", endpoint.url("/e")));
    old.put(List.of(record(0, 0)));
    assertEquals(1.0, ((Number) server.getAttribute(name, TaskMetrics.REQUESTS)).doubleValue());

    // A new instance starts while the old one is still registered (cancelled, still retrying).
    TestContext newContext = new TestContext(false);
    PluginMetricsImpl newPlugin = new PluginMetricsImpl(metrics, tags);
    newContext.plugin = newPlugin;
    HttpSinkTask restarted = new HttpSinkTask(waits::add, Clock.systemUTC());
    restarted.initialize(newContext);
    restarted.start(HttpSinkConfigTest.props("http.api.url", endpoint.url("/e")));
    restarted.put(List.of(record(0, 1), record(0, 2)));
    assertEquals(1.0, ((Number) server.getAttribute(name, TaskMetrics.REQUESTS)).doubleValue());

    // The old one stops; the new one's next put() publishes its own counts.
    old.stop();
    restarted.put(List.of());
    assertEquals(2.0, ((Number) server.getAttribute(name, TaskMetrics.REQUESTS)).doubleValue());
    restarted.stop();
    assertFalse(server.isRegistered(name));
    newPlugin.close();
  }

  @Test
  void latencyKeepsTheLastAndTheLongest() {
    TaskMetrics m = new TaskMetrics();
    m.answered(200, 40);
    m.unanswered(90);
    m.answered(500, 15);
    assertEquals(15, m.get(TaskMetrics.LATENCY_LAST));
    assertEquals(90, m.get(TaskMetrics.LATENCY_MAX));
    assertEquals(1, m.get(TaskMetrics.NO_ANSWER));
    assertEquals(1, m.get(TaskMetrics.RESPONSES_5XX));
  }

  @Test
  void skippedRecordsAndRateLimitWaitsAreCounted() {
    endpoint.answer(400, "no", Map.of());
    long[] now = {0};
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return Instant.ofEpochMilli(now[0]); }
    };
    HttpSinkTask task = new HttpSinkTask(ms -> now[0] += ms, clock);
    task.initialize(new TestContext(false)); // a worker without plugin metrics: still counts
    task.start(HttpSinkConfigTest.props("http.api.url", endpoint.url("/e"),
        "retry.on.status.codes", "500-", "behavior.on.error", "log",
        "request.rate.limit.events.per.second", "4"));
    task.put(List.of(record(0, 0), record(0, 1), record(0, 2)));
    TaskMetrics m = task.metrics();
    assertEquals(1, m.get(TaskMetrics.EVENTS_SKIPPED));
    assertEquals(2, m.get(TaskMetrics.EVENTS_DELIVERED));
    assertEquals(500, m.get(TaskMetrics.RATE_LIMIT_WAIT)); // 4 events/s: 250 ms per event
    task.stop();
  }
}
