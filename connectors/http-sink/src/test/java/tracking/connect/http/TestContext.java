package tracking.connect.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The SinkTaskContext interface of the Connect API (not the REST API), holding what the task
 * reports as errant; integration tests check the real reporter on the real worker.
 */
final class TestContext implements SinkTaskContext {
  final List<SinkRecord> reported = new ArrayList<>();
  final List<Throwable> errors = new ArrayList<>();
  final List<TopicPartition> paused = new ArrayList<>();
  int commitRequests;
  private final boolean withReporter;

  TestContext(boolean withReporter) {
    this.withReporter = withReporter;
  }

  @Override
  public ErrantRecordReporter errantRecordReporter() {
    if (!withReporter) return null;
    return (SinkRecord record, Throwable error) -> {
      reported.add(record);
      errors.add(error);
      Future<Void> done = CompletableFuture.completedFuture(null);
      return done;
    };
  }

  @Override
  public Map<String, String> configs() {
    return Map.of();
  }

  @Override
  public void offset(Map<TopicPartition, Long> offsets) {}

  @Override
  public void offset(TopicPartition tp, long offset) {}

  @Override
  public void timeout(long timeoutMs) {}

  @Override
  public Set<TopicPartition> assignment() {
    return Set.of();
  }

  @Override
  public void pause(TopicPartition... partitions) {
    paused.addAll(List.of(partitions));
  }

  @Override
  public void resume(TopicPartition... partitions) {}

  @Override
  public void requestCommit() {
    commitRequests++;
  }

  /** What the worker would hand the task: Kafka's own PluginMetricsImpl, if the test set one. */
  org.apache.kafka.common.metrics.PluginMetrics plugin;

  @Override
  public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
    if (plugin == null) throw new UnsupportedOperationException("this test gives no metrics");
    return plugin;
  }
}
