package tracking.platform.restproxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedCount;
import org.apache.kafka.common.utils.Time;

/**
 * Confluent REST Proxy's global HTTP request metrics, named as rest-utils'
 * MetricsResourceMethodApplicationListener names them and registered the same way: with Kafka's
 * metrics library, a JmxReporter and the JMX domain (metrics context namespace) `kafka.rest`, group
 * `jersey-metrics`, no per-endpoint prefix.
 *
 * <ul>
 *   <li>`kafka.rest:type=jersey-metrics`: `request-total`, `request-rate`, `request-error-total`,
 *       `request-error-rate`, `request-latency-avg` and `request-latency-max` (ms).
 *   <li>`kafka.rest:type=jersey-metrics,http_status_code=<class>`: `request-error-total` and
 *       `request-error-rate`, class `1xx` … `5xx` or `unknown` (no answer sent, or a status outside
 *       100 to 599), and `429`, which a 429 is counted under as well as under `4xx`.
 * </ul>
 *
 * <p>Every request counts in `request-total`, errors and 429s included; an error is an answer with
 * status 400 or above, or no answer at all.
 */
final class RequestMetrics implements AutoCloseable {
  static final String NAMESPACE = "kafka.rest";
  static final String GROUP = "jersey-metrics";
  static final String STATUS_TAG = "http_status_code";
  private static final List<String> STATUS_CLASSES =
      List.of("unknown", "1xx", "2xx", "3xx", "4xx", "5xx", "429");
  private static final Map<String, String> NO_TAGS = Map.of();

  private final Metrics metrics;
  private final Sensor requests;
  private final Sensor latency;
  private final Sensor errors;
  private final Map<String, Sensor> errorsByStatus = new LinkedHashMap<>();

  RequestMetrics() {
    metrics =
        new Metrics(
            new MetricConfig(),
            List.of(new JmxReporter()),
            Time.SYSTEM,
            new KafkaMetricsContext(NAMESPACE));
    requests = metrics.sensor("request");
    requests.add(name("request-total", "Requests, a cumulative count", NO_TAGS), new CumulativeCount());
    requests.add(
        name("request-rate", "The average number of HTTP requests per second", NO_TAGS),
        new Rate(new WindowedCount()));
    latency = metrics.sensor("request-latency");
    latency.add(name("request-latency-avg", "The average request latency in ms", NO_TAGS), new Avg());
    latency.add(name("request-latency-max", "The maximum request latency in ms", NO_TAGS), new Max());
    errors = errorSensor("errors", "", NO_TAGS);
    for (String status : STATUS_CLASSES) {
      String which = " with code " + status;
      errorsByStatus.put(status, errorSensor("errors-" + status, which, Map.of(STATUS_TAG, status)));
    }
  }

  /** One finished request: its HTTP status (-1 when none was sent) and how long it took. */
  void record(int status, long elapsedNanos) {
    requests.record();
    latency.record(elapsedNanos / 1_000_000.0);
    if (status >= 100 && status < 400) return;
    errorsByStatus.get(statusClass(status)).record();
    if (status == 429) errorsByStatus.get("429").record();
    errors.record();
  }

  static String statusClass(int status) {
    return status >= 100 && status < 600 ? (status / 100) + "xx" : "unknown";
  }

  @Override
  public void close() {
    metrics.close();
  }

  private Sensor errorSensor(String sensor, String which, Map<String, String> tags) {
    String errorsOf = "requests that resulted in an HTTP error response" + which;
    Sensor s = metrics.sensor(sensor);
    s.add(name("request-error-total", "Cumulative count of " + errorsOf, tags), new CumulativeCount());
    s.add(name("request-error-rate", "Average number per second of " + errorsOf, tags), new Rate());
    return s;
  }

  private MetricName name(String metric, String description, Map<String, String> tags) {
    return metrics.metricName(metric, GROUP, description, tags);
  }
}
