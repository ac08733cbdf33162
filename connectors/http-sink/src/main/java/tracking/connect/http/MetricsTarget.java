package tracking.connect.http;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;

/**
 * Where a task's metrics are published: the worker's plugin metrics on Kafka 4.1+
 * ({@link WorkerPluginMetrics}), or a metrics registry of the connector's own on older workers
 * ({@link OwnJmxMetrics}). Both name them `kafka.connect:type=plugins,connector=..,task=..` in JMX.
 */
interface MetricsTarget extends AutoCloseable {
  MetricName metricName(String name, String description);

  /** Throws IllegalArgumentException when a metric of that name is already registered. */
  void addMetric(MetricName name, Measurable value);

  void removeMetric(MetricName name);

  /** Lets go of the target itself once this task's metrics are removed. */
  @Override
  default void close() {}
}
