package tracking.connect.http;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's counters, published through a {@link MetricsTarget}: the worker's plugin metrics
 * (KIP-877, Kafka 4.1+), so they reach every metrics reporter the worker has, or on an older
 * worker a JMX registry of the connector's own. Either way they are in JMX as
 * `kafka.connect:type=plugins,connector=<name>,task=<id>`, one attribute per metric below.
 * Counters count from the task's start; a restarted task starts again at zero.
 */
final class TaskMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskMetrics.class);

  static final String REQUESTS = "requests-sent-total";
  static final String RESPONSES_2XX = "responses-2xx-total";
  static final String RESPONSES_4XX = "responses-4xx-total";
  static final String RESPONSES_5XX = "responses-5xx-total";
  static final String RESPONSES_429 = "responses-429-total";
  static final String NO_ANSWER = "requests-unanswered-total";
  static final String RETRIES = "retries-total";
  static final String RETRY_AFTER_WAIT = "retry-after-wait-ms-total";
  static final String RATE_LIMIT_WAIT = "rate-limit-wait-ms-total";
  static final String EVENTS_DELIVERED = "events-delivered-total";
  static final String EVENTS_DEAD_LETTERED = "events-dead-lettered-total";
  static final String EVENTS_SKIPPED = "events-skipped-total";
  static final String BYTES_SENT = "bytes-sent-total";
  static final String LATENCY_LAST = "request-latency-last-ms";
  static final String LATENCY_MAX = "request-latency-max-ms";

  private static final String[][] DESCRIPTIONS = {
    {REQUESTS, "HTTP requests sent, retries included"},
    {RESPONSES_2XX, "answers with a 2xx status"},
    {RESPONSES_4XX, "answers with a 4xx status (429 included)"},
    {RESPONSES_5XX, "answers with a 5xx status"},
    {RESPONSES_429, "answers with status 429 Too Many Requests"},
    {NO_ANSWER, "requests that got no answer (connection error or timeout)"},
    {RETRIES, "requests sent again after a retryable failure"},
    {RETRY_AFTER_WAIT, "milliseconds waited because a 429 or 503 asked so in Retry-After"},
    {RATE_LIMIT_WAIT, "milliseconds waited for the request and event rate limits"},
    {EVENTS_DELIVERED, "records the destination accepted (2xx)"},
    {EVENTS_DEAD_LETTERED, "records sent to the dead-letter topic"},
    {EVENTS_SKIPPED, "records of failed requests skipped by behavior.on.error log or ignore"},
    {BYTES_SENT, "request body bytes sent (after compression), retries included"},
    {LATENCY_LAST, "time of the last request until its answer or failure, in ms"},
    {LATENCY_MAX, "longest request time since the task started, in ms"},
  };

  private final Map<String, AtomicLong> values = new LinkedHashMap<>();
  private final Set<MetricName> registered = new LinkedHashSet<>();
  private MetricsTarget plugin;
  private boolean warned;

  TaskMetrics() {
    for (String[] d : DESCRIPTIONS) values.put(d[0], new AtomicLong());
  }

  /**
   * Adds every metric to the worker's; what the task counts from now on is visible there. A
   * metric the worker still holds for an earlier instance of this task (one being cancelled
   * after a restart, still in its retries) cannot be added yet: the worker allows one metric per
   * name, and only the instance that added it can remove it. Those are added by a later
   * {@link #ensureRegistered()}, once the earlier instance has let go of them; until then the
   * worker shows the earlier instance's counts.
   */
  void register(MetricsTarget metrics) {
    plugin = metrics;
    ensureRegistered();
  }

  /** Adds whatever register() could not add yet; cheap once everything is added. */
  void ensureRegistered() {
    if (plugin == null || registered.size() == DESCRIPTIONS.length) return;
    for (String[] d : DESCRIPTIONS) {
      MetricName name = plugin.metricName(d[0], d[1]);
      if (registered.contains(name)) continue;
      AtomicLong v = values.get(d[0]);
      try {
        plugin.addMetric(name, (Measurable) (config, now) -> v.get());
        registered.add(name);
      } catch (IllegalArgumentException e) {
        if (!warned) {
          log.warn("Metric {} of this task is still held by its previous instance (stopping after "
              + "a restart); this instance publishes it once that one let go", name.name());
          warned = true;
        }
      }
    }
    if (warned && registered.size() == DESCRIPTIONS.length) {
      log.info("Every metric of this task is published now");
    }
  }

  /** Removes what this instance added (the worker also drops a stopped task's plugin metrics). */
  @Override
  public void close() {
    if (plugin == null) return;
    for (MetricName name : registered) {
      try {
        plugin.removeMetric(name);
      } catch (IllegalStateException | IllegalArgumentException e) {
        log.debug("Metric {} already removed by the worker", name.name());
      }
    }
    registered.clear();
    plugin.close();
    plugin = null;
  }

  long get(String name) {
    return values.get(name).get();
  }

  /** A copy of every counter, by metric name. */
  Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private void add(String name, long n) {
    values.get(name).addAndGet(n);
  }

  void sent(long bodyBytes, boolean retry) {
    add(REQUESTS, 1);
    add(BYTES_SENT, bodyBytes);
    if (retry) add(RETRIES, 1);
  }

  void answered(int status, long latencyMs) {
    if (status / 100 == 2) add(RESPONSES_2XX, 1);
    else if (status / 100 == 4) add(RESPONSES_4XX, 1);
    else if (status / 100 == 5) add(RESPONSES_5XX, 1);
    if (status == 429) add(RESPONSES_429, 1);
    latency(latencyMs);
  }

  void unanswered(long latencyMs) {
    add(NO_ANSWER, 1);
    latency(latencyMs);
  }

  private void latency(long ms) {
    values.get(LATENCY_LAST).set(ms);
    values.get(LATENCY_MAX).accumulateAndGet(ms, Math::max);
  }

  void waitedForRetryAfter(long ms) {
    add(RETRY_AFTER_WAIT, ms);
  }

  void waitedForRateLimit(long ms) {
    add(RATE_LIMIT_WAIT, ms);
  }

  void delivered(int events) {
    add(EVENTS_DELIVERED, events);
  }

  void deadLettered(int events) {
    add(EVENTS_DEAD_LETTERED, events);
  }

  void skipped(int events) {
    add(EVENTS_SKIPPED, events);
  }
}
