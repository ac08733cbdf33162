package tracking.connect.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.utils.Time;

/**
 * On a worker before Kafka 4.1 (no plugin metrics: cp-kafka-connect 7.x is Kafka 3.x), a
 * metrics registry of the connector's own with Kafka's JmxReporter, naming each metric as a 4.1
 * worker would: `kafka.connect:type=plugins,connector=<name>,task=<id>`. One registry per
 * class loader (every task of every connector of this plugin version shares it), so that two
 * instances of a task (the old one still stopping after a restart) never fight over an MBean:
 * the registry refuses the second name like the worker does, and TaskMetrics adds it later. It is
 * closed when its last task lets go.
 */
final class OwnJmxMetrics implements MetricsTarget {
  static final String NAMESPACE = "kafka.connect";
  static final String GROUP = "plugins";

  private static Metrics shared;
  private static int users;

  private final Metrics metrics;
  private final Map<String, String> tags;
  private boolean closed;

  private OwnJmxMetrics(Metrics metrics, String connector, String task) {
    this.metrics = metrics;
    tags = new LinkedHashMap<>();
    tags.put("connector", connector);
    tags.put("task", task);
  }

  /** A target for one task; the registry is created on first use. */
  static synchronized OwnJmxMetrics forTask(String connector, String task) {
    if (shared == null) {
      List<MetricsReporter> reporters = List.of(new JmxReporter());
      shared = new Metrics(new MetricConfig(), reporters, Time.SYSTEM,
          new KafkaMetricsContext(NAMESPACE));
    }
    users++;
    return new OwnJmxMetrics(shared, connector, task);
  }

  @Override
  public MetricName metricName(String name, String description) {
    return metrics.metricName(name, GROUP, description, tags);
  }

  @Override
  public void addMetric(MetricName name, Measurable value) {
    metrics.addMetric(name, value);
  }

  @Override
  public void removeMetric(MetricName name) {
    metrics.removeMetric(name);
  }

  @Override
  public void close() {
    synchronized (OwnJmxMetrics.class) {
      if (closed) return;
      closed = true;
      if (--users == 0 && shared != null) {
        shared.close();
        shared = null;
      }
    }
  }
}
