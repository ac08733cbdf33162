package tracking.connect.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * tracking-http-sink: sends each record's value to an HTTP endpoint, batched per partition and
 * retried; reads Confluent HTTP Sink's keys (see {@link HttpSinkConfig}). Keep VERSION equal to
 * the pom's version (a unit test checks it).
 */
public final class HttpSinkConnector extends SinkConnector {
  static final String VERSION = "0.4.0";
  private Map<String, String> props;

  @Override
  public String version() {
    return VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    new HttpSinkConfig(props); // fail the connector, not each task, on a bad config
    this.props = props;
  }

  @Override
  public Class<? extends Task> taskClass() {
    return HttpSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      Map<String, String> task = new java.util.HashMap<>(props);
      task.put(HttpSinkConfig.TASK_COUNT, String.valueOf(maxTasks));
      task.put(HttpSinkConfig.TASK_INDEX, String.valueOf(i));
      configs.add(task);
    }
    return configs;
  }

  @Override
  public void stop() {}

  /**
   * ConfigDef's per-key validation, then the rules between keys (see {@link CrossChecks}), each
   * error added to the key at fault so that the worker's validate endpoint names it.
   */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    Map<String, ConfigValue> byName = new java.util.HashMap<>();
    for (ConfigValue v : config.configValues()) byName.put(v.name(), v);
    CrossChecks.check(key -> {
      ConfigValue v = byName.get(key);
      return v == null || !v.errorMessages().isEmpty() ? null : v.value();
    }).forEach((key, messages) -> messages.forEach(byName.get(key)::addErrorMessage));
    return config;
  }

  @Override
  public ConfigDef config() {
    return HttpSinkConfig.DEF;
  }
}
