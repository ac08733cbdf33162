package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record the worker gave put() keeps the consumer record it was made from; the task reports
 * that record, so the worker writes the original key and value bytes to the dead-letter topic
 * (not the value after converters and SMTs), with the error headers added to it. The worker's
 * real InternalSinkRecord is checked on the real worker by test/integration/trackingSinkDlq.
 */
class DeadLetterOriginalTest {
  /** Shaped as the worker's InternalSinkRecord: context().original() is the consumer record. */
  public static final class WorkerRecord extends SinkRecord {
    private final Context context;

    WorkerRecord(ConsumerRecord<byte[], byte[]> original, Object transformedValue) {
      super(original.topic(), original.partition(), null, "k-1", null, transformedValue,
          original.offset());
      this.context = new Context(original);
    }

    public Context context() {
      return context;
    }
  }

  public static final class Context {
    private final ConsumerRecord<byte[], byte[]> original;

    Context(ConsumerRecord<byte[], byte[]> original) {
      this.original = original;
    }

    public ConsumerRecord<byte[], byte[]> original() {
      return original;
    }
  }

  private TestEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    endpoint = new TestEndpoint();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    List<String> values = new ArrayList<>();
    r.headers().headers(key).forEach(h -> values.add(new String(h.value(), StandardCharsets.UTF_8)));
    assertEquals(1, values.size(), key + " present once");
    return values.get(0);
  }

  @Test
  void reportsTheWorkersRecordWithTheOriginalBytesAndTheErrorHeaders() {
    endpoint.answer(400, "{\"error\":\"bad kind\"}", Map.of());
    byte[] key = utf8("\"k-1\"");
    byte[] value = utf8("{ \"id\": \"e0\",  \"kind\": \"refused\" }"); // as produced, spaces kept
    RecordHeaders produced = new RecordHeaders();
    produced.add("trace", utf8("abc"));
    ConsumerRecord<byte[], byte[]> original = new ConsumerRecord<>("t", 0, 7L, 0L,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME, key.length, value.length, key,
        value, produced, java.util.Optional.empty());
    // What put() sees after an SMT: another value than what was produced.
    WorkerRecord record = new WorkerRecord(original, Map.of("id", "e0", "kind", "refused", "added", 1));

    TestContext context = new TestContext(true);
    Map<String, String> props = HttpSinkConfigTest.props("http.api.url", endpoint.url("/e?api_key=s3cr3t"),
        "errors.tolerance", "all", "retry.on.status.codes", "500-");
    HttpSinkTask task = new HttpSinkTask(ms -> { }, java.time.Clock.systemUTC());
    task.initialize(context);
    task.start(props);
    task.put(List.of(record));

    assertEquals(1, context.reported.size());
    assertSame(record, context.reported.get(0), "the worker's own record is reported");
    assertArrayEquals(key, original.key());
    assertArrayEquals(value, original.value());
    assertEquals("abc", header(original, "trace"));
    assertEquals("400", header(original, HttpSinkTask.HEADER_STATUS));
    assertEquals("{\"error\":\"bad kind\"}", header(original, HttpSinkTask.HEADER_RESPONSE));
    assertEquals(endpoint.url("/e?…"), header(original, HttpSinkTask.HEADER_URL));

    // Reported again (a put() retried by the worker): still one header of each.
    HttpSinkTask.deadLetter(record, new Sender.Outcome(false, 503, "later", "m"), endpoint.url("/e"));
    assertEquals("503", header(original, HttpSinkTask.HEADER_STATUS));
    assertEquals("later", header(original, HttpSinkTask.HEADER_RESPONSE));
  }

  @Test
  void aRecordThatIsNotTheWorkersIsReportedAsACopyWithTheHeaders() {
    SinkRecord plain = new SinkRecord("t", 0, null, null, null, "{\"id\":\"e0\"}", 3L);
    assertNull(OriginalRecord.of(plain));
    SinkRecord dead =
        HttpSinkTask.deadLetter(plain, new Sender.Outcome(false, 400, "no", "m"), endpoint.url("/e"));
    assertEquals("400", dead.headers().lastWithName(HttpSinkTask.HEADER_STATUS).value());
    assertEquals(0, plain.headers().size(), "the given record is left as it was");
  }
}
