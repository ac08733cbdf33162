package tracking.platform.restproxy;

import com.google.common.util.concurrent.RateLimiter;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Confluent REST Proxy's request rate limit (kafka-rest's FixedCostRateLimitRequestFilter on its
 * default backend, Guava's {@link RateLimiter}), with Confluent's keys: `rate.limit.enable` (default
 * false), `rate.limit.permits.per.sec` (default 50) and `rate.limit.timeout.ms` (default 0: a
 * request over the limit is refused at once, never queued). Every request costs one permit. A
 * refused request is answered HTTP 429 with Confluent's body and sends nothing to Kafka.
 *
 * <p>`GET /` is exempt: it is what Kubernetes' liveness and readiness probes ask, and a probe
 * refused under load would take a busy proxy out of its Service (or restart it).
 *
 * <p>A value that is not a number (or, for the switch, not true or false), fewer than one permit
 * or a negative timeout stops the proxy at start with a message naming the key, as Confluent's
 * ConfigDef does; the values are checked whether or not the limit is enabled.
 */
final class RateLimit {
  static final String ENABLE = "rate.limit.enable";
  static final String PERMITS_PER_SEC = "rate.limit.permits.per.sec";
  static final String TIMEOUT_MS = "rate.limit.timeout.ms";

  /** Confluent's body for a refused request (its RateLimitExceededException). */
  static final String EXCEEDED_MESSAGE =
      "Request rate limit exceeded: The rate limit of requests per second has been exceeded.";

  /** Null when the limit is off. */
  private final RateLimiter limiter;
  private final long timeoutMs;

  private RateLimit(RateLimiter limiter, long timeoutMs) {
    this.limiter = limiter;
    this.timeoutMs = timeoutMs;
  }

  /** The limit the config asks for; throws IllegalArgumentException naming a bad key. */
  static RateLimit fromConfig(Properties config) {
    boolean enabled = bool(config, ENABLE, false);
    int permits =
        whole(config, PERMITS_PER_SEC, 50, 1, "set the requests per second the proxy admits");
    int timeout =
        whole(config, TIMEOUT_MS, 0, 0, "set how long in ms a request may wait for a permit");
    return new RateLimit(enabled ? RateLimiter.create(permits) : null, timeout);
  }

  /** Whether to serve this request: true without a limit, for `GET /`, or with a permit. */
  boolean admits(String method, String path) {
    if (limiter == null || method.equals("GET") && path.equals("/")) return true;
    return limiter.tryAcquire(1, timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** A one-line summary for the start-up log. */
  String describe() {
    return limiter == null
        ? "off"
        : String.format("%.0f requests/s, timeout %d ms", limiter.getRate(), timeoutMs);
  }

  private static boolean bool(Properties config, String key, boolean fallback) {
    String raw = config.getProperty(key);
    if (raw == null || raw.isBlank()) return fallback;
    String value = raw.trim();
    if (value.equalsIgnoreCase("true")) return true;
    if (value.equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException(
        "`" + key + "` must be true or false (got \"" + raw + "\"); set it to true to turn the"
            + " request rate limit on, or remove it to leave the limit off.");
  }

  private static int whole(Properties config, String key, int fallback, int min, String meaning) {
    String raw = config.getProperty(key);
    if (raw == null || raw.isBlank()) return fallback;
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      value = Integer.MIN_VALUE;
    }
    if (value < min) {
      throw new IllegalArgumentException(
          "`" + key + "` must be a whole number of at least " + min + " (got \"" + raw + "\"): "
              + meaning + ", or remove the key for its default of " + fallback + ".");
    }
    return value;
  }
}
