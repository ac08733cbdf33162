package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker without plugin metrics (before Kafka 4.1; TestContext throws as Kafka 4.x's default
 * method does when there are none): the task publishes under the same JMX name by itself.
 */
class OwnJmxMetricsTest {
  private TestEndpoint endpoint;
  private final List<Long> waits = new ArrayList<>();
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @BeforeEach
  void start() throws Exception {
    endpoint = new TestEndpoint();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private HttpSinkTask task(String connector, int index) {
    HttpSinkTask task = new HttpSinkTask(waits::add, Clock.systemUTC());
    task.initialize(new TestContext(false));
    task.start(HttpSinkConfigTest.props("http.api.url", endpoint.url("/e"), "name", connector,
        HttpSinkConfig.TASK_INDEX, String.valueOf(index)));
    return task;
  }

  private double attribute(ObjectName name, String metric) throws Exception {
    return ((Number) server.getAttribute(name, metric)).doubleValue();
  }

  @Test
  void eachTaskIsPublishedUnderTheWorkersNameAndRemovedOnStop() throws Exception {
    ObjectName task0 = new ObjectName("kafka.connect:type=plugins,connector=older-worker,task=0");
    ObjectName task1 = new ObjectName("kafka.connect:type=plugins,connector=older-worker,task=1");
    HttpSinkTask a = task("older-worker", 0);
    HttpSinkTask b = task("older-worker", 1);
    a.put(List.of(new SinkRecord("t", 0, null, null, null, "{\"n\":1}", 0)));
    b.put(List.of(new SinkRecord("t", 1, null, null, null, "{\"n\":2}", 0),
        new SinkRecord("t", 1, null, null, null, "{\"n\":3}", 1)));
    assertEquals(1.0, attribute(task0, TaskMetrics.EVENTS_DELIVERED));
    assertEquals(2.0, attribute(task1, TaskMetrics.EVENTS_DELIVERED));
    assertEquals(2.0, attribute(task1, TaskMetrics.REQUESTS)); // batch.max.size 1 by default

    a.stop();
    assertFalse(server.isRegistered(task0), "task 0 unregistered on its stop");
    assertTrue(server.isRegistered(task1), "task 1 still published");
    b.stop();
    assertFalse(server.isRegistered(task1));
  }

  @Test
  void aRestartedTaskTakesOverOnceItsPreviousInstanceStops() throws Exception {
    ObjectName name = new ObjectName("kafka.connect:type=plugins,connector=older-restart,task=0");
    HttpSinkTask old = task("older-restart", 0);
    old.put(List.of(new SinkRecord("t", 0, null, null, null, "{}", 0)));
    HttpSinkTask restarted = task("older-restart", 0);
    restarted.put(List.of(new SinkRecord("t", 0, null, null, null, "{}", 1),
        new SinkRecord("t", 0, null, null, null, "{}", 2)));
    // The old instance still holds the name: the new one does not take it from under it.
    assertEquals(1.0, attribute(name, TaskMetrics.EVENTS_DELIVERED));
    old.stop();
    restarted.put(List.of());
    assertEquals(2.0, attribute(name, TaskMetrics.EVENTS_DELIVERED));
    restarted.stop();
    assertFalse(server.isRegistered(name));
  }

  @Test
  void theConnectorNumbersItsTasks() {
    HttpSinkConnector connector = new HttpSinkConnector();
    connector.start(HttpSinkConfigTest.props("http.api.url", "http://127.0.0.1:9/e", "name", "c"));
    List<Map<String, String>> configs = connector.taskConfigs(3);
    for (int i = 0; i < 3; i++) {
      assertEquals(String.valueOf(i), configs.get(i).get(HttpSinkConfig.TASK_INDEX));
      assertEquals("3", configs.get(i).get(HttpSinkConfig.TASK_COUNT));
    }
  }
}
