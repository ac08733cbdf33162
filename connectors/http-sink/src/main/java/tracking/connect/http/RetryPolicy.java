package tracking.connect.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before a retry. A `429` or `503` answer with `Retry-After` (delay-seconds or
 * an HTTP date) waits what the server asked, capped by `retry.after.max.ms`; every other
 * retryable failure follows `retry.backoff.policy`: CONSTANT_VALUE waits `retry.backoff.ms`,
 * EXPONENTIAL_WITH_JITTER waits a random time in [d/2, d] with d = `retry.backoff.ms` * 2^(n-1),
 * both capped by `retry.backoff.max.ms`.
 */
final class RetryPolicy {
  private final List<int[]> retryRanges;
  private final long backoffMs;
  private final boolean exponential;
  private final long backoffMaxMs;
  private final long retryAfterMaxMs;
  private final DoubleSupplier random;

  RetryPolicy(HttpSinkConfig config, DoubleSupplier random) {
    this.retryRanges = config.retryRanges();
    this.backoffMs = config.getInt(HttpSinkConfig.RETRY_BACKOFF_MS);
    this.exponential =
        config.getString(HttpSinkConfig.RETRY_BACKOFF_POLICY)
            .equalsIgnoreCase(HttpSinkConfig.POLICY_EXPONENTIAL);
    this.backoffMaxMs = config.getLong(HttpSinkConfig.RETRY_BACKOFF_MAX_MS);
    this.retryAfterMaxMs = config.getLong(HttpSinkConfig.RETRY_AFTER_MAX_MS);
    this.random = random;
  }

  boolean retryable(int status) {
    for (int[] range : retryRanges) {
      if (status >= range[0] && status <= range[1]) return true;
    }
    return false;
  }

  /** Backoff before retry number `retry` (1 for the first retry). */
  long backoff(int retry) {
    if (!exponential) return Math.min(backoffMs, backoffMaxMs);
    long full = backoffMs << Math.min(Math.max(retry - 1, 0), 30);
    if (full < 0) full = Long.MAX_VALUE;
    long capped = Math.min(full, backoffMaxMs);
    return capped / 2 + (long) (random.getAsDouble() * (capped - capped / 2));
  }

  /**
   * The wait before retry number `retry` after an answer with `status` and this Retry-After
   * header (may be null), as seen at `now`.
   */
  long waitMs(int retry, int status, String retryAfter, Instant now) {
    if (honoursRetryAfter(status, retryAfter, now)) {
      return Math.min(parseRetryAfter(retryAfter, now).orElseThrow(), retryAfterMaxMs);
    }
    return backoff(retry);
  }

  /** True when the wait after this answer is the server's Retry-After, not the backoff. */
  boolean honoursRetryAfter(int status, String retryAfter, Instant now) {
    return (status == 429 || status == 503) && parseRetryAfter(retryAfter, now).isPresent();
  }

  /** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`, in ms from `now`. */
  static Optional<Long> parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) return Optional.empty();
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Math.multiplyExact(Long.parseLong(v), 1000L));
      } catch (ArithmeticException | NumberFormatException e) {
        return Optional.of(Long.MAX_VALUE);
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(Math.max(0L, Duration.between(now, at).toMillis()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
