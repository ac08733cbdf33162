package tracking.connect.http;

import java.time.Clock;

/**
 * Spaces a task's requests so that the connector as a whole stays under
 * `request.rate.limit.per.second`: each of the connector's N tasks may send one request every
 * N / limit seconds (retries included), so N tasks together never exceed the limit over any
 * second by more than one request each.
 */
final class RateLimit {
  private final long intervalNanos;
  private final Clock clock;
  private final Sender.Sleeper sleeper;
  private long next = Long.MIN_VALUE;

  RateLimit(double perSecond, int tasks, Clock clock, Sender.Sleeper sleeper) {
    this.intervalNanos = perSecond <= 0 ? 0 : (long) Math.ceil(tasks * 1e9 / perSecond);
    this.clock = clock;
    this.sleeper = sleeper;
  }

  private long nowNanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** Waits until the next request may go. */
  void acquire() throws InterruptedException {
    if (intervalNanos == 0) return;
    long now = nowNanos();
    if (next != Long.MIN_VALUE && now < next) {
      long waitMs = (next - now + 999_999) / 1_000_000;
      sleeper.sleep(waitMs);
      now = Math.max(nowNanos(), next);
    }
    next = now + intervalNanos;
  }
}
