package tracking.platform.httpsink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/** Sends each record's value to an HTTP endpoint; see {@link HttpSinkConfig} for the keys. */
public final class HttpSinkConnector extends SinkConnector {
  static final String VERSION = "1.0.0";
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
    for (int i = 0; i < maxTasks; i++) configs.add(props);
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return HttpSinkConfig.DEF;
  }
}
