package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `stop.at.offsets`: a bounded run sends up to each partition's end, pauses it, commits no further. */
class StopOffsetsTest {
  private TestEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    endpoint = new TestEndpoint();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private static SinkRecord record(String topic, int partition, long offset) {
    return new SinkRecord(topic, partition, null, null, null, "{\"id\":\"" + topic + partition + "-" + offset + "\"}", offset);
  }

  private HttpSinkTask task(TestContext context, String stops) {
    Map<String, String> props = HttpSinkConfigTest.props("batch.max.size", "100", "batch.json.as.array", "true",
        StopOffsets.KEY, stops);
    props.put("http.api.url", endpoint.url("/e"));
    HttpSinkTask task = new HttpSinkTask(ms -> {}, Clock.systemUTC());
    task.initialize(context);
    task.start(props);
    return task;
  }

  @Test
  void sendsOnlyWhatLiesBeforeEachEndThenPausesAndCommitsNoFurther() {
    TestContext context = new TestContext(false);
    HttpSinkTask task = task(context, "dlq.a:0:3, dlq.a:1:1");
    task.put(List.of(record("dlq.a", 0, 1), record("dlq.a", 1, 0)));
    // Partition 1 reached its end (offset 0 is the last before 1); partition 0 not yet.
    assertEquals(List.of(new TopicPartition("dlq.a", 1)), context.paused);
    assertEquals(1, context.commitRequests);
    task.put(List.of(record("dlq.a", 0, 2), record("dlq.a", 0, 3), record("dlq.a", 0, 4), record("dlq.a", 1, 1)));
    List<String> sent = new ArrayList<>();
    for (TestEndpoint.Seen s : endpoint.requests("/e")) sent.add(s.body);
    assertEquals(List.of("[{\"id\":\"dlq.a0-1\"}]", "[{\"id\":\"dlq.a1-0\"}]", "[{\"id\":\"dlq.a0-2\"}]"), sent);
    assertEquals(List.of(new TopicPartition("dlq.a", 1), new TopicPartition("dlq.a", 0)), context.paused);
    assertEquals(2, context.commitRequests);

    TopicPartition p0 = new TopicPartition("dlq.a", 0);
    TopicPartition p1 = new TopicPartition("dlq.a", 1);
    TopicPartition other = new TopicPartition("other", 0);
    Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of(
        p0, new OffsetAndMetadata(5), p1, new OffsetAndMetadata(1), other, new OffsetAndMetadata(9)));
    assertEquals(3, committed.get(p0).offset());
    assertEquals(1, committed.get(p1).offset());
    assertEquals(9, committed.get(other).offset());
  }

  @Test
  void withoutEndsEverythingIsSentAndCommitted() {
    TestContext context = new TestContext(false);
    HttpSinkTask task = task(context, "");
    task.put(List.of(record("t", 0, 7), record("t", 0, 8)));
    assertEquals(1, endpoint.requests("/e").size());
    assertTrue(context.paused.isEmpty());
    assertEquals(0, context.commitRequests);
    TopicPartition tp = new TopicPartition("t", 0);
    assertEquals(9, task.preCommit(Map.of(tp, new OffsetAndMetadata(9))).get(tp).offset());
  }

  @Test
  void aMalformedListNamesTheKey() {
    ConfigException bad = assertThrows(ConfigException.class, () -> StopOffsets.parse("dlq:0"));
    assertTrue(bad.getMessage().contains(StopOffsets.KEY), bad.getMessage());
    assertThrows(ConfigException.class, () -> StopOffsets.parse("dlq:x:1"));
    assertThrows(ConfigException.class, () -> StopOffsets.parse("dlq:0:-1"));
    assertEquals(Map.of(new TopicPartition("my.dlq-topic", 2), 10L), StopOffsets.parse("my.dlq-topic:2:10"));
  }
}
