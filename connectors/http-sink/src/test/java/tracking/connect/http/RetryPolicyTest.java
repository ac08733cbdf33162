package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  static RetryPolicy policy(double random, String... kv) {
    return new RetryPolicy(new HttpSinkConfig(HttpSinkConfigTest.props(kv)), () -> random);
  }

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void retryAfterInSecondsOrAsAnHttpDate() {
    assertEquals(Optional.of(2000L), RetryPolicy.parseRetryAfter("2", NOW));
    assertEquals(Optional.of(90_000L),
        RetryPolicy.parseRetryAfter("Tue, 01 Dec 2026 10:01:30 GMT", NOW));
    assertEquals(Optional.of(0L), RetryPolicy.parseRetryAfter("Tue, 01 Dec 2026 09:00:00 GMT", NOW));
    assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("soon", NOW));
  }

  @Test
  void retryAfterCountsFor429And503OnlyCappedByTheMaximum() {
    RetryPolicy p = policy(1.0, "retry.backoff.ms", "100", "retry.after.max.ms", "5000");
    assertEquals(2000L, p.waitMs(1, 429, "2", NOW));
    assertEquals(2000L, p.waitMs(1, 503, "2", NOW));
    assertEquals(5000L, p.waitMs(1, 429, "3600", NOW));
    assertEquals(100L, p.waitMs(1, 500, "2", NOW)); // a 500's Retry-After is not a promise
    assertEquals(100L, p.waitMs(1, 429, null, NOW));
  }

  @Test
  void exponentialBackoffWithJitterStaysInItsBand() {
    RetryPolicy low = policy(0.0, "retry.backoff.ms", "1000", "retry.backoff.max.ms", "6000");
    RetryPolicy high = policy(0.999999, "retry.backoff.ms", "1000", "retry.backoff.max.ms", "6000");
    long[] full = {1000, 2000, 4000, 6000, 6000};
    for (int n = 1; n <= full.length; n++) {
      assertEquals(full[n - 1] / 2, low.backoff(n));
      assertTrue(high.backoff(n) <= full[n - 1] && high.backoff(n) >= full[n - 1] - 1);
    }
  }

  @Test
  void constantBackoff() {
    RetryPolicy p = policy(0.3, "retry.backoff.ms", "700", "retry.backoff.policy", "CONSTANT_VALUE");
    assertEquals(700L, p.backoff(1));
    assertEquals(700L, p.backoff(9));
  }

  @Test
  void statusRanges() {
    RetryPolicy p = policy(0, "retry.on.status.codes", "408,429,500-");
    assertTrue(p.retryable(408));
    assertTrue(p.retryable(429));
    assertTrue(p.retryable(503));
    assertTrue(!p.retryable(400));
    assertTrue(!p.retryable(404));
  }
}
