package tracking.connect.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one batch, retrying in place until it is accepted or fails for good. The calling task
 * waits, so no later batch of the partition is sent before this one is settled: retries never
 * reorder a partition's events.
 */
final class Sender {
  private static final Logger log = LoggerFactory.getLogger(Sender.class);
  static final String ATTEMPT_HEADER = "X-Delivery-Attempt";
  static final int EXCERPT_CHARS = 200;

  /** Waits; replaced in unit tests so that they record the waits instead of sleeping. */
  interface Sleeper {
    void sleep(long ms) throws InterruptedException;
  }

  /** How a batch ended: accepted, or failed for good with the last answer. */
  static final class Outcome {
    final boolean ok;
    /** The last HTTP status, or 0 when the last attempt got no answer. */
    final int status;
    final String excerpt;
    final String message;

    Outcome(boolean ok, int status, String excerpt, String message) {
      this.ok = ok;
      this.status = status;
      this.excerpt = excerpt;
      this.message = message;
    }

    static Outcome ok() {
      return new Outcome(true, 200, "", "");
    }
  }

  private final HttpSinkConfig config;
  private final HttpClient client;
  private final RetryPolicy retries;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Map<String, String> headers;
  private final String basic;
  private final OAuth2Tokens oauth2;
  private final String keyHeader;
  private final boolean gzip;
  private final Duration timeout;
  private final RateLimit rateLimit;
  private final TaskMetrics metrics;

  Sender(HttpSinkConfig config, HttpClient client, RetryPolicy retries, Sleeper sleeper,
      Clock clock, TaskMetrics metrics) {
    this.metrics = metrics;
    this.config = config;
    this.client = client;
    this.retries = retries;
    this.sleeper = sleeper;
    this.clock = clock;
    this.headers = config.headerMap();
    String auth = config.authType();
    if (auth.equals("BASIC")) {
      String pair = config.getString(HttpSinkConfig.USER) + ":"
          + config.secret(HttpSinkConfig.PASSWORD);
      basic = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    } else {
      basic = null;
    }
    oauth2 = auth.equals("OAUTH2") ? new OAuth2Tokens(config, client, clock) : null;
    keyHeader = config.getString(HttpSinkConfig.IDEMPOTENCY_KEY_HEADER);
    gzip = config.lower(HttpSinkConfig.COMPRESSION).equals("gzip");
    timeout = Duration.ofMillis(config.getInt(HttpSinkConfig.REQUEST_TIMEOUT_MS));
    rateLimit = new RateLimit(config.getDouble(HttpSinkConfig.RATE_LIMIT),
        config.getDouble(HttpSinkConfig.EVENT_RATE_LIMIT), config.taskCount(), clock, sleeper);
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(plain);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private HttpRequest request(Batch batch, String method, String url, byte[] body, int attempt)
      throws InterruptedException {
    HttpRequest.BodyPublisher publisher =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(timeout).method(method, publisher);
    if (body != null) b.setHeader("Content-Type", "application/json");
    if (body != null && gzip) b.setHeader("Content-Encoding", "gzip");
    headers.forEach(b::setHeader);
    if (!keyHeader.isEmpty()) b.setHeader(keyHeader, batch.idempotencyKey());
    b.setHeader(ATTEMPT_HEADER, String.valueOf(attempt));
    if (basic != null) b.setHeader("Authorization", basic);
    if (oauth2 != null) b.setHeader("Authorization", oauth2.authorization());
    return b.build();
  }

  /** Sends the batch's body with the configured method to the configured URL. */
  Outcome send(Batch batch) throws InterruptedException {
    return send(batch, config.getString(HttpSinkConfig.URL));
  }

  /** Sends the batch's body with the configured method to `url` (placeholders replaced). */
  Outcome send(Batch batch, String url) throws InterruptedException {
    byte[] plain = batch.body.getBytes(StandardCharsets.UTF_8);
    return send(batch, config.method(), url, gzip ? gzip(plain) : plain);
  }

  Outcome send(Batch batch, String method, String url, byte[] body) throws InterruptedException {
    int maxRetries = config.getInt(HttpSinkConfig.MAX_RETRIES);
    String where = Redact.url(url);
    int status = 0;
    String excerpt = "";
    String lastError = "";
    for (int attempt = 1; ; attempt++) {
      String retryAfter = null;
      boolean retry = false;
      metrics.waitedForRateLimit(rateLimit.acquire(batch.records.size()));
      HttpRequest request = null;
      try {
        request = request(batch, method, url, body, attempt);
      } catch (org.apache.kafka.connect.errors.RetriableException e) {
        // The OAuth2 token endpoint failed: nothing went to the destination; retry.
        status = 0;
        excerpt = "";
        lastError = e.getMessage();
        retry = true;
      }
      if (request != null) {
        metrics.sent(body == null ? 0 : body.length, attempt > 1);
        long started = System.nanoTime();
        try {
          HttpResponse<String> response =
              client.send(request, HttpResponse.BodyHandlers.ofString());
          status = response.statusCode();
          metrics.answered(status, (System.nanoTime() - started) / 1_000_000);
          if (status / 100 == 2) return Outcome.ok();
          excerpt = Redact.excerpt(response.body(), EXCERPT_CHARS);
          lastError = "HTTP " + status + ": " + excerpt;
          retryAfter = response.headers().firstValue("Retry-After").orElse(null);
          if (status == 401 && oauth2 != null) oauth2.invalidate();
          retry = retries.retryable(status) || (status == 401 && oauth2 != null && attempt == 1);
        } catch (IOException e) {
          // Connection refused or reset, a timeout: always worth a retry.
          metrics.unanswered((System.nanoTime() - started) / 1_000_000);
          status = 0;
          excerpt = "";
          lastError = e.toString();
          retry = true;
        }
      }
      if (!retry || attempt > maxRetries) {
        String message = "Sending " + batch.describe() + " to " + where + " failed after "
            + attempt + " attempt(s): " + lastError;
        return new Outcome(false, status, excerpt, message);
      }
      long wait = retries.waitMs(attempt, status, retryAfter, clock.instant());
      if (retries.honoursRetryAfter(status, retryAfter, clock.instant())) {
        metrics.waitedForRetryAfter(wait);
      }
      log.warn("Attempt {}/{} of {} to {} failed ({}); retrying in {} ms", attempt,
          maxRetries + 1, batch.describe(), where, lastError, wait);
      sleeper.sleep(wait);
    }
  }

  static void interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    throw new ConnectException("Interrupted while sending", e);
  }
}
