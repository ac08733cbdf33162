package tracking.connect.http;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records synchronously inside put(), one partition's records per request, in offset
 * order: when put() returns, every record it was given was accepted (2xx), dead-lettered, or
 * skipped by `behavior.on.error`, so the offsets Connect then commits never run ahead of what
 * the endpoint accepted (at-least-once, with the idempotency key to recognise a re-send).
 */
public final class HttpSinkTask extends SinkTask {
  private static final Logger log = LoggerFactory.getLogger(HttpSinkTask.class);
  static final String HEADER_STATUS = "http.sink.error.status";
  static final String HEADER_RESPONSE = "http.sink.error.response";
  static final String HEADER_URL = "http.sink.error.url";

  private HttpSinkConfig config;
  private RequestBody bodies;
  private Sender sender;
  private ErrantRecordReporter reporter;
  private Sender.Sleeper sleeper = Thread::sleep;
  private Clock clock = Clock.systemUTC();
  private TaskMetrics metrics = new TaskMetrics();
  private StopOffsets stops = StopOffsets.of("");

  public HttpSinkTask() {}

  /** For unit tests: waits and time under the test's control. */
  HttpSinkTask(Sender.Sleeper sleeper, Clock clock) {
    this.sleeper = sleeper;
    this.clock = clock;
  }

  @Override
  public String version() {
    return HttpSinkConnector.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new HttpSinkConfig(props);
    bodies = new RequestBody(config);
    stops = StopOffsets.of(config.getString(StopOffsets.KEY));
    HttpClient client =
        HttpClient.newBuilder()
            // Plain HTTP/1.1: no h2c upgrade attempt that analytics endpoints may mishandle.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(config.getInt(HttpSinkConfig.CONNECT_TIMEOUT_MS)))
            .build();
    RetryPolicy retries = new RetryPolicy(config, () -> ThreadLocalRandom.current().nextDouble());
    metrics = new TaskMetrics();
    registerMetrics();
    sender = new Sender(config, client, retries, sleeper, clock, metrics);
    reporter = null;
    if (config.deadLetterOnFailure() && context != null) {
      try {
        reporter = context.errantRecordReporter();
      } catch (NoSuchMethodError | NoClassDefFoundError e) {
        log.warn("This Connect worker has no errant record reporter (before 2.6); failed requests "
            + "follow behavior.on.error");
      }
    }
  }

  /**
   * The worker's plugin metrics (KIP-877, Kafka 4.1+), else a JMX registry of our own under the
   * same names: a worker before 4.1 has neither the method nor the PluginMetrics class.
   */
  private void registerMetrics() {
    if (context == null) return;
    MetricsTarget target = null;
    try {
      target = WorkerPluginMetrics.of(context);
    } catch (NoSuchMethodError | NoClassDefFoundError | AbstractMethodError
        | UnsupportedOperationException e) {
      log.info("This Connect worker offers no plugin metrics (Kafka 4.1+ does); the task "
          + "publishes its metrics in JMX itself");
    }
    if (target == null) target = OwnJmxMetrics.forTask(config.connectorName(), config.taskIndex());
    metrics.register(target);
  }

  /** This task's counters (for tests). */
  TaskMetrics metrics() {
    return metrics;
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    metrics.ensureRegistered();
    Map<TopicPartition, List<SinkRecord>> byPartition = new LinkedHashMap<>();
    for (SinkRecord r : stops.within(records)) {
      int p = r.kafkaPartition() == null ? -1 : r.kafkaPartition();
      byPartition.computeIfAbsent(new TopicPartition(r.topic(), p), k -> new ArrayList<>()).add(r);
    }
    List<Future<Void>> reported = new ArrayList<>();
    try {
      for (List<SinkRecord> partition : byPartition.values()) putPartition(partition, reported);
      for (Future<Void> f : reported) f.get();
    } catch (InterruptedException e) {
      Sender.interrupted(e);
    } catch (ExecutionException e) {
      throw new ConnectException("Writing to the dead-letter topic failed", e.getCause());
    }
    // Only once what came before the end was sent: a bounded run's partition is done.
    List<TopicPartition> done = stops.newlyReached(records);
    if (!done.isEmpty() && context != null) {
      context.pause(done.toArray(new TopicPartition[0]));
      context.requestCommit();
      log.info("Reached `{}` for {}; paused", StopOffsets.KEY, done);
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    return stops.capped(currentOffsets);
  }

  /** A batch being filled: its records, their rendered text, and the body's size so far. */
  private static final class Pending {
    final List<SinkRecord> records = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    int bytes;
    String url;
  }

  private void putPartition(List<SinkRecord> records, List<Future<Void>> reported)
      throws InterruptedException {
    int max = config.getInt(HttpSinkConfig.BATCH_MAX_SIZE);
    int maxBytes = bodies.maxBytes();
    Pending batch = new Pending();
    for (SinkRecord record : records) {
      String url = urlFor(record);
      if (record.value() == null) {
        flush(batch, reported); // a partition's requests keep offset order
        onNull(record, url, reported);
        continue;
      }
      // As Confluent's: records whose `${key}` or `${topic}` differ go in separate requests.
      if (!batch.records.isEmpty() && !url.equals(batch.url)) flush(batch, reported);
      String event = bodies.event(record);
      int size = RequestBody.bytes(event);
      if (maxBytes > 0) {
        if (bodies.emptyBytes() + size > maxBytes) {
          flush(batch, reported);
          tooLarge(record, size, maxBytes, url, reported);
          continue;
        }
        int grown = batch.bytes + (batch.records.isEmpty() ? 0 : bodies.separatorBytes()) + size;
        if (!batch.records.isEmpty() && bodies.emptyBytes() + grown > maxBytes) {
          flush(batch, reported);
        }
      }
      if (!batch.records.isEmpty()) batch.bytes += bodies.separatorBytes();
      batch.records.add(record);
      batch.events.add(event);
      batch.bytes += size;
      batch.url = url;
      if (batch.records.size() >= max) flush(batch, reported);
    }
    flush(batch, reported);
  }

  /** A record whose body alone would pass `batch.max.bytes`: it fails as a refused request. */
  private void tooLarge(
      SinkRecord record, int size, int maxBytes, String url, List<Future<Void>> reported) {
    String at = record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    String message = "Record " + at + " makes a body of " + (bodies.emptyBytes() + size)
        + " bytes, over `batch.max.bytes` " + maxBytes + "; it was not sent";
    settle(new Batch(List.of(record), ""), new Sender.Outcome(false, 0, "", message), url,
        reported);
  }

  /**
   * `http.api.url` with `${topic}` and `${key}` replaced by the record's topic and key, each as
   * one percent-encoded path segment. URLEncoder writes form encoding, whose `+` for a space a
   * server reads as a plus in a path; it writes a real `+` as %2B, so every `+` left is a space.
   */
  private String urlFor(SinkRecord record) {
    String url = config.getString(HttpSinkConfig.URL);
    if (url.contains("${topic}")) url = url.replace("${topic}", segment(record.topic()));
    if (url.contains("${key}")) {
      url = url.replace("${key}", segment(record.key() == null ? "" : JsonText.render(record.key())));
    }
    return url;
  }

  private static String segment(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void flush(Pending batch, List<Future<Void>> reported) throws InterruptedException {
    if (batch.records.isEmpty()) return;
    Batch b = new Batch(batch.records, bodies.body(batch.events));
    String url = batch.url;
    batch.records.clear();
    batch.events.clear();
    batch.bytes = 0;
    settle(b, sender.send(b, url), url, reported);
  }

  private void onNull(SinkRecord record, String url, List<Future<Void>> reported)
      throws InterruptedException {
    String behavior = config.lower(HttpSinkConfig.BEHAVIOR_ON_NULL);
    String at = record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    if (behavior.equals("fail")) {
      throw new ConnectException(
          "Record " + at + " has a null value and `behavior.on.null.values` is fail");
    }
    if (!behavior.equals("delete")) return;
    Batch b = new Batch(List.of(record), "");
    settle(b, sender.send(b, "DELETE", url, null), url, reported);
  }

  /** What a batch that failed for good becomes: dead letters, or behavior.on.error. */
  private void settle(Batch batch, Sender.Outcome outcome, String url, List<Future<Void>> reported) {
    int n = batch.records.size();
    if (outcome.ok) {
      metrics.delivered(n);
      return;
    }
    if (reporter != null) {
      ConnectException error = new ConnectException(outcome.message);
      for (SinkRecord r : batch.records) reported.add(reporter.report(deadLetter(r, outcome, url), error));
      metrics.deadLettered(n);
      log.warn("{}; {} record(s) sent to the dead-letter topic", outcome.message, batch.records.size());
      return;
    }
    switch (config.lower(HttpSinkConfig.BEHAVIOR_ON_ERROR)) {
      case "log":
        log.error("{}; skipped because `behavior.on.error` is log", outcome.message);
        metrics.skipped(n);
        return;
      case "ignore":
        metrics.skipped(n);
        return;
      default:
        throw new ConnectException(outcome.message + " (`behavior.on.error` is fail)");
    }
  }

  /**
   * The record to report for a batch that failed for good, carrying the status, a response
   * excerpt and the URL without credentials as headers. The worker writes a record of its own
   * (the one put() was given) to the dead-letter topic as it was consumed, key and value byte for
   * byte, before converters and SMTs; a plain SinkRecord it would write re-serialized from the
   * transformed value. So when the worker's original consumer record can be reached, the headers
   * are added to it and the worker's record is reported; otherwise (another runtime, or a record
   * that is not the worker's) a plain SinkRecord with the headers is.
   */
  static SinkRecord deadLetter(SinkRecord r, Sender.Outcome outcome, String url) {
    Map<String, String> error = new LinkedHashMap<>();
    error.put(HEADER_STATUS, String.valueOf(outcome.status));
    error.put(HEADER_RESPONSE, outcome.excerpt);
    error.put(HEADER_URL, Redact.url(url));
    ConsumerRecord<?, ?> original = OriginalRecord.of(r);
    if (original != null) {
      try {
        org.apache.kafka.common.header.Headers raw = original.headers();
        for (Map.Entry<String, String> h : error.entrySet()) {
          raw.remove(h.getKey()); // a record reported again keeps one of each
          raw.add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return r;
      } catch (IllegalStateException readOnly) {
        log.debug("The worker's record has read-only headers; reporting a copy");
      }
    }
    Headers headers = r.headers().duplicate();
    error.forEach(headers::addString);
    int partition = r.kafkaPartition() == null ? -1 : r.kafkaPartition();
    return new SinkRecord(r.topic(), partition, r.keySchema(), r.key(), r.valueSchema(), r.value(),
        r.kafkaOffset(), r.timestamp(), r.timestampType(), headers);
  }

  @Override
  public void stop() {
    metrics.close();
  }
}
