package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The body keys for analytics APIs: the envelope with its secret, the id copy, the byte limit. */
class RequestBodyTest {
  private TestEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    endpoint = new TestEndpoint();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private HttpSinkTask task(TestContext context, String... kv) {
    Map<String, String> props = HttpSinkConfigTest.props(kv);
    props.put("http.api.url", endpoint.url("/e"));
    List<Long> waits = new ArrayList<>();
    HttpSinkTask task = new HttpSinkTask(waits::add,
        Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC));
    task.initialize(context);
    task.start(props);
    return task;
  }

  private static SinkRecord record(long offset, Object value) {
    return new SinkRecord("t", 0, null, null, null, value, offset);
  }

  @Test
  void wrapsTheBatchInAnObjectWithTheSecretInsideAndTheIdWhereTheApiDeduplicates() {
    HttpSinkTask task = task(new TestContext(false), "batch.max.size", "10",
        "batch.envelope.events.field", "events", "batch.envelope.secret.field", "api_key",
        "batch.envelope.secret", "k\"ey-1", "event.id.target", "insert_id");
    task.put(List.of(record(0, "{\"id\":\"e0\",\"event_type\":\"view\"}"),
        record(1, Map.of("id", "e1")), record(2, "{\"event_type\":\"no id\"}")));
    List<TestEndpoint.Seen> seen = endpoint.requests("/e");
    assertEquals(1, seen.size());
    assertEquals("{\"api_key\":\"k\\\"ey-1\",\"events\":[{\"insert_id\":\"e0\",\"id\":\"e0\","
        + "\"event_type\":\"view\"},{\"insert_id\":\"e1\",\"id\":\"e1\"},{\"event_type\":\"no id\"}]}",
        seen.get(0).body);
  }

  @Test
  void copiesTheIdIntoANestedMember() {
    HttpSinkTask task = task(new TestContext(false), "batch.json.as.array", "true",
        "batch.max.size", "10", "event.id.field", "uuid", "event.id.target", "properties.$insert_id");
    task.put(List.of(record(0, "{\"uuid\":\"u-0\",\"event\":\"view\",\"properties\":{\"time\":1}}")));
    assertEquals("[{\"uuid\":\"u-0\",\"event\":\"view\",\"properties\":{\"$insert_id\":\"u-0\","
        + "\"time\":1}}]", endpoint.requests("/e").get(0).body);
  }

  @Test
  void sendsEarlyRatherThanPassTheByteLimitAndDeadLettersARecordTooLargeAlone() {
    TestContext context = new TestContext(true);
    // Envelope {"events":[ + ]} is 13 bytes; each event below is 12 bytes; separators 1.
    HttpSinkTask task = task(context, "batch.max.size", "100", "errors.tolerance", "all",
        "batch.envelope.events.field", "events", "batch.max.bytes", "40");
    String big = "{\"id\":\"" + "x".repeat(40) + "\"}";
    task.put(List.of(record(0, "{\"id\":\"e00\"}"), record(1, "{\"id\":\"e01\"}"),
        record(2, "{\"id\":\"e02\"}"), record(3, big), record(4, "{\"id\":\"e04\"}")));
    List<String> bodies = new ArrayList<>();
    for (TestEndpoint.Seen s : endpoint.requests("/e")) bodies.add(s.body);
    assertEquals(List.of("{\"events\":[{\"id\":\"e00\"},{\"id\":\"e01\"}]}",
        "{\"events\":[{\"id\":\"e02\"}]}", "{\"events\":[{\"id\":\"e04\"}]}"), bodies);
    for (String b : bodies) assertTrue(b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 40, b);
    assertEquals(1, context.reported.size());
    SinkRecord dead = context.reported.get(0);
    assertEquals(3L, dead.kafkaOffset());
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : dead.headers()) headers.put(h.key(), String.valueOf(h.value()));
    assertEquals("0", headers.get(HttpSinkTask.HEADER_STATUS));
    String message = context.errors.get(0).getMessage();
    assertTrue(message.contains("`batch.max.bytes` 40") && message.contains("t-0@3"), message);
  }

  @Test
  void theSecretIsPasswordTypedSoTheWorkerMasksIt() {
    assertEquals(ConfigDef.Type.PASSWORD, HttpSinkConfig.DEF.configKeys().get("batch.envelope.secret").type);
    HttpSinkConfig config = new HttpSinkConfig(HttpSinkConfigTest.props(
        "batch.envelope.events.field", "events", "batch.envelope.secret.field", "api_key",
        "batch.envelope.secret", "s3cr3t"));
    assertFalse(config.values().get("batch.envelope.secret").toString().contains("s3cr3t"));
  }

  @Test
  void crossKeyRulesNameTheKeyToChange() {
    assertEquals(List.of("batch.prefix", "batch.suffix"), List.copyOf(CrossChecksTest.errors(
        "batch.envelope.events.field", "events", "batch.prefix", "[", "batch.suffix", "]").keySet()));
    assertTrue(CrossChecksTest.errors("batch.envelope.events.field", "events",
        "batch.json.as.array", "true").containsKey("batch.json.as.array"));
    assertTrue(CrossChecksTest.errors("batch.envelope.secret.field", "api_key",
        "batch.envelope.secret", "k").containsKey("batch.envelope.secret.field"));
    assertEquals(List.of("batch.envelope.secret"), List.copyOf(CrossChecksTest.errors(
        "batch.envelope.events.field", "events", "batch.envelope.secret.field", "api_key").keySet()));
    assertEquals(List.of("batch.envelope.secret"), List.copyOf(CrossChecksTest.errors(
        "batch.envelope.events.field", "events", "batch.envelope.secret", "k").keySet()));
    assertEquals(List.of("event.id.target"), List.copyOf(CrossChecksTest.errors(
        "event.id.target", "properties..x").keySet()));
    assertEquals(List.of("event.id.field"), List.copyOf(CrossChecksTest.errors(
        "event.id.field", "", "event.id.target", "insert_id").keySet()));
    assertEquals(List.of(), List.copyOf(CrossChecksTest.errors(
        "batch.envelope.events.field", "batch", "batch.envelope.secret.field", "api_key",
        "batch.envelope.secret", "k", "event.id.target", "uuid").keySet()));
  }
}
