package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSinkTaskTest {
  private TestEndpoint endpoint;
  private final List<Long> waits = new ArrayList<>();

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
    props.putIfAbsent("http.api.url", endpoint.url("/e"));
    if (props.get("http.api.url").startsWith("https://collect")) props.put("http.api.url", endpoint.url("/e"));
    HttpSinkTask task = new HttpSinkTask(waits::add, Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
    task.initialize(context);
    task.start(props);
    return task;
  }

  private static SinkRecord record(int partition, long offset, Object value) {
    return new SinkRecord("t", partition, null, null, null, value, offset);
  }

  private static String json(int n) {
    return "{\"id\":\"e" + n + "\"}";
  }

  @Test
  void honoursRetryAfterAndKeepsTheIdempotencyKeyAcrossRetries() {
    endpoint.answer(429, "slow down", Map.of("Retry-After", "2"));
    endpoint.answer(503, "", Map.of("Retry-After", "Tue, 01 Dec 2026 10:00:05 GMT"));
    endpoint.answer(500, "oops", Map.of());
    HttpSinkTask task = task(new TestContext(false), "batch.max.size", "2", "retry.backoff.ms", "100",
        "retry.backoff.policy", "CONSTANT_VALUE");
    task.put(List.of(record(0, 5, json(5)), record(0, 6, json(6))));
    assertEquals(List.of(2000L, 5000L, 100L), waits);
    List<TestEndpoint.Seen> seen = endpoint.requests("/e");
    assertEquals(4, seen.size());
    String key = seen.get(0).header("Idempotency-Key");
    assertEquals(Batch.key("t", 0, 5, 6), key);
    for (int i = 0; i < seen.size(); i++) {
      assertEquals(key, seen.get(i).header("Idempotency-Key"));
      assertEquals(String.valueOf(i + 1), seen.get(i).header("X-Delivery-Attempt"));
      assertEquals(json(5) + "," + json(6), seen.get(i).body);
    }
  }

  @Test
  void oneRequestPerPartitionInOffsetOrderWithDistinctKeys() {
    HttpSinkTask task = task(new TestContext(false), "batch.max.size", "10", "batch.json.as.array", "true");
    task.put(List.of(record(0, 0, json(0)), record(1, 0, json(100)), record(0, 1, json(1)),
        record(1, 1, json(101)), record(0, 2, json(2))));
    List<TestEndpoint.Seen> seen = endpoint.requests("/e");
    assertEquals(2, seen.size());
    assertEquals("[" + json(0) + "," + json(1) + "," + json(2) + "]", seen.get(0).body);
    assertEquals("[" + json(100) + "," + json(101) + "]", seen.get(1).body);
    assertNotEquals(seen.get(0).header("Idempotency-Key"), seen.get(1).header("Idempotency-Key"));
  }

  @Test
  void refusedRequestsGoToTheDeadLetterTopicWithStatusExcerptAndRedactedUrl() {
    endpoint.answer(400, "{\"error\":\"bad kind\"}", Map.of());
    TestContext context = new TestContext(true);
    String url = endpoint.url("/e?api_key=s3cr3t").replace("http://", "http://u:pw@");
    HttpSinkTask task = task(context, "http.api.url", url, "errors.tolerance", "all",
        "retry.on.status.codes", "429,500-");
    task.put(List.of(record(0, 0, json(0)), record(0, 1, json(1))));
    assertEquals(1, context.reported.size());
    SinkRecord dead = context.reported.get(0);
    assertEquals(0L, dead.kafkaOffset());
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : dead.headers()) headers.put(h.key(), String.valueOf(h.value()));
    assertEquals("400", headers.get(HttpSinkTask.HEADER_STATUS));
    assertEquals("{\"error\":\"bad kind\"}", headers.get(HttpSinkTask.HEADER_RESPONSE));
    String redacted = headers.get(HttpSinkTask.HEADER_URL);
    assertTrue(redacted.endsWith("/e?…") && !redacted.contains("pw") && !redacted.contains("s3cr3t"), redacted);
    assertTrue(!context.errors.get(0).getMessage().contains("s3cr3t"));
    assertEquals(2, endpoint.requests("/e").size()); // the second record was delivered
    assertEquals(List.of(), waits); // 400 is not retried here
  }

  @Test
  void behaviorOnErrorFailStillFailsWithoutTolerance() {
    endpoint.answer(400, "no", Map.of());
    HttpSinkTask task = task(new TestContext(true), "retry.on.status.codes", "500-");
    ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of(record(0, 0, json(0)))));
    assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
  }

  @Test
  void behaviorOnErrorLogSkips() {
    endpoint.answer(400, "no", Map.of());
    HttpSinkTask task = task(new TestContext(false), "retry.on.status.codes", "500-", "behavior.on.error", "log");
    task.put(List.of(record(0, 0, json(0)), record(0, 1, json(1))));
    assertEquals(2, endpoint.requests("/e").size());
  }

  @Test
  void retriesAreBoundedByMaxRetries() {
    for (int i = 0; i < 5; i++) endpoint.answer(500, "down", Map.of());
    HttpSinkTask task = task(new TestContext(false), "max.retries", "2", "retry.backoff.ms", "10");
    assertThrows(ConnectException.class, () -> task.put(List.of(record(0, 0, json(0)))));
    assertEquals(3, endpoint.requests("/e").size());
    assertEquals(2, waits.size());
  }

  @Test
  void theRateLimitIsSplitAcrossTasksAndSpacesEveryRequest() {
    endpoint.answer(500, "once", Map.of());
    // A clock that the waits advance, as real time would.
    long[] now = {Instant.parse("2026-12-01T10:00:00Z").toEpochMilli()};
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return Instant.ofEpochMilli(now[0]); }
    };
    HttpSinkTask task = new HttpSinkTask(ms -> { waits.add(ms); now[0] += ms; }, clock);
    task.initialize(new TestContext(false));
    Map<String, String> props = HttpSinkConfigTest.props("http.api.url", endpoint.url("/e"),
        "request.rate.limit.per.second", "4", HttpSinkConfig.TASK_COUNT, "2",
        "retry.backoff.ms", "0", "retry.backoff.policy", "CONSTANT_VALUE");
    task.start(props);
    task.put(List.of(record(0, 0, json(0)), record(0, 1, json(1)), record(0, 2, json(2))));
    // 4 requests (one retry) at 4/s shared by 2 tasks: one every 500 ms from this task.
    assertEquals(List.of(0L, 500L, 500L, 500L), waits);
    assertEquals(4, endpoint.requests("/e").size());
  }

  @Test
  void theConnectorTellsEachTaskHowManyShareTheLimit() {
    HttpSinkConnector connector = new HttpSinkConnector();
    connector.start(HttpSinkConfigTest.props());
    List<Map<String, String>> configs = connector.taskConfigs(3);
    assertEquals(3, configs.size());
    for (Map<String, String> c : configs) assertEquals("3", c.get(HttpSinkConfig.TASK_COUNT));
  }

  @Test
  void gzipBodiesDecodeToWhatWasSent() {
    HttpSinkTask task = task(new TestContext(false), "request.body.compression", "gzip", "batch.max.size", "3");
    task.put(List.of(record(0, 0, json(0)), record(0, 1, "{\"é\":\"ü\"}")));
    TestEndpoint.Seen s = endpoint.requests("/e").get(0);
    assertEquals("gzip", s.header("Content-Encoding"));
    assertEquals(json(0) + ",{\"é\":\"ü\"}", s.body);
  }

  @Test
  void newlineSeparatedBatchesKeepTheirNewlines() {
    // NDJSON: Connect would trim the separator to nothing and run the records together.
    HttpSinkTask task =
        task(new TestContext(false), "batch.max.size", "3", "batch.prefix", "", "batch.suffix", "\n",
            "batch.separator", "\n");
    task.put(List.of(record(0, 0, json(0)), record(0, 1, json(1)), record(0, 2, json(2))));
    assertEquals(json(0) + "\n" + json(1) + "\n" + json(2) + "\n", endpoint.requests("/e").get(0).body);
  }

  @Test
  void structuredValuesArriveAsJson() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("id", "e1");
    value.put("email", "");
    value.put("n", 3L);
    value.put("tags", List.of("a", "b\"c"));
    HttpSinkTask task = task(new TestContext(false));
    task.put(List.of(record(0, 0, value)));
    assertEquals("{\"id\":\"e1\",\"email\":\"\",\"n\":3,\"tags\":[\"a\",\"b\\\"c\"]}",
        endpoint.requests("/e").get(0).body);
  }

  @Test
  void basicAuthAndExtraHeaders() {
    HttpSinkTask task = task(new TestContext(false), "auth.type", "BASIC", "connection.user", "w",
        "connection.password", "p", "headers", "X-Api-Key:k1|X-Source:tracking");
    task.put(List.of(record(0, 0, json(0))));
    TestEndpoint.Seen s = endpoint.requests("/e").get(0);
    assertEquals("Basic dzpw", s.header("Authorization"));
    assertEquals("k1", s.header("X-Api-Key"));
    assertEquals("tracking", s.header("X-Source"));
    assertEquals("application/json", s.header("Content-Type"));
  }

  @Test
  void oauth2ClientCredentialsFetchesATokenAndRefreshesItAfterA401() {
    // token requests go to /token, events to /e; the script answers in arrival order
    endpoint.answer(200, "{\"access_token\":\"t1\",\"expires_in\":3600}", Map.of());
    endpoint.answer(401, "expired", Map.of());
    endpoint.answer(200, "{\"access_token\":\"t2\",\"expires_in\":3600}", Map.of());
    HttpSinkTask task = task(new TestContext(false), "auth.type", "OAUTH2",
        "oauth2.token.url", endpoint.url("/token"), "oauth2.client.id", "cid",
        "oauth2.client.secret", "csecret", "oauth2.client.scope", "write", "retry.on.status.codes", "500-");
    task.put(List.of(record(0, 0, json(0))));
    List<TestEndpoint.Seen> tokens = endpoint.requests("/token");
    assertEquals(2, tokens.size());
    assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("cid:csecret".getBytes(StandardCharsets.UTF_8)),
        tokens.get(0).header("Authorization"));
    assertTrue(tokens.get(0).body.contains("grant_type=client_credentials"));
    assertTrue(tokens.get(0).body.contains("scope=write"));
    List<TestEndpoint.Seen> events = endpoint.requests("/e");
    assertEquals("Bearer t1", events.get(0).header("Authorization"));
    assertEquals("Bearer t2", events.get(1).header("Authorization"));
  }

  @Test
  void nullValuesFollowBehaviorOnNullValues() {
    HttpSinkTask ignore = task(new TestContext(false));
    ignore.put(List.of(record(0, 0, null)));
    assertEquals(0, endpoint.requests("/e").size());
    HttpSinkTask fail = task(new TestContext(false), "behavior.on.null.values", "fail");
    assertThrows(ConnectException.class, () -> fail.put(List.of(record(0, 0, null))));
    HttpSinkTask delete = task(new TestContext(false), "behavior.on.null.values", "delete",
        "http.api.url", endpoint.url("/e/${key}"));
    delete.put(List.of(new SinkRecord("t", 0, null, "u 1+/é", null, null, 3)));
    TestEndpoint.Seen s = endpoint.requests("/e").get(0);
    assertEquals("DELETE", s.method);
    // One path segment, percent-encoded: a space is %20 (never `+`), a plus and a slash escaped.
    assertEquals("/e/u%201%2B%2F%C3%A9", s.path);
  }

  @Test
  void keyAndTopicInTheUrlAreReplacedForEveryRequestAndSplitBatches() {
    HttpSinkTask task = task(new TestContext(false), "http.api.url", endpoint.url("/e/${topic}/${key}"),
        "batch.max.size", "10", "behavior.on.null.values", "delete");
    task.put(List.of(new SinkRecord("t", 0, null, "a", null, json(0), 0),
        new SinkRecord("t", 0, null, "a", null, json(1), 1),
        new SinkRecord("t", 0, null, "b c", null, json(2), 2),
        new SinkRecord("t", 0, null, "a", null, null, 3),
        new SinkRecord("t", 0, null, "a", null, json(4), 4)));
    List<TestEndpoint.Seen> seen = endpoint.requests("/e");
    List<String> got = new ArrayList<>();
    for (TestEndpoint.Seen s : seen) got.add(s.method + " " + s.path + " " + s.body);
    assertEquals(List.of("POST /e/t/a " + json(0) + "," + json(1), "POST /e/t/b%20c " + json(2),
        "DELETE /e/t/a ", "POST /e/t/a " + json(4)), got);
  }
}
