package tracking.connect.http;

import java.util.LinkedHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The worker's own plugin metrics (KIP-877, Kafka 4.1+): they reach every metrics reporter the
 * worker has. The only class that names {@link PluginMetrics}, so that an older worker, which has
 * no such class, fails on loading this one and nothing else.
 */
final class WorkerPluginMetrics implements MetricsTarget {
  private final PluginMetrics plugin;

  private WorkerPluginMetrics(PluginMetrics plugin) {
    this.plugin = plugin;
  }

  /** The worker's plugin metrics, or null when the context offers none. */
  static MetricsTarget of(SinkTaskContext context) {
    PluginMetrics plugin = context.pluginMetrics();
    return plugin == null ? null : new WorkerPluginMetrics(plugin);
  }

  @Override
  public MetricName metricName(String name, String description) {
    return plugin.metricName(name, description, new LinkedHashMap<>());
  }

  @Override
  public void addMetric(MetricName name, Measurable value) {
    plugin.addMetric(name, value);
  }

  @Override
  public void removeMetric(MetricName name) {
    plugin.removeMetric(name);
  }
}
