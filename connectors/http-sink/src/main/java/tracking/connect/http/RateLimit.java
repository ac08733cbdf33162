package tracking.connect.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * This task's share of the connector's limits, `request.rate.limit.per.second` (R) and
 * `request.rate.limit.events.per.second` (E), over its N tasks: R/N requests and E/N events per
 * second, fractions kept (10 requests/s over 3 tasks is 3.33 each, one request every 300 ms).
 *
 * <p>Each limit is a schedule (the generic cell rate algorithm): a request may go once both
 * schedules have reached the present; it then moves the request schedule on by N/R seconds and
 * the event schedule by k·N/E seconds for its k events. So a request is paid for after it is
 * sent: a batch larger than a task's per-second share still goes out, and the task's next
 * request waits until the share has paid for it. Times are kept as doubles from a fixed origin
 * and the schedule advances from where it was due, not from when a sleep happened to end, so
 * rounding and late wake-ups never add up: over any stretch of T seconds a task sends at most
 * 1 + T·R/N requests and one batch plus T·E/N events; the connector, N times the first term.
 * An idle task does not save up: the schedule never starts in the past.
 */
final class RateLimit {
  private final double requestNanos;
  private final double eventNanos;
  private final Clock clock;
  private final Sender.Sleeper sleeper;
  private final Instant origin;
  /** When the next request may go by each schedule, in nanoseconds since origin. */
  private double nextByRequests = Double.NEGATIVE_INFINITY;
  private double nextByEvents = Double.NEGATIVE_INFINITY;

  RateLimit(double requestsPerSecond, double eventsPerSecond, int tasks, Clock clock,
      Sender.Sleeper sleeper) {
    this.requestNanos = interval(requestsPerSecond, tasks);
    this.eventNanos = interval(eventsPerSecond, tasks);
    this.clock = clock;
    this.sleeper = sleeper;
    this.origin = clock.instant();
  }

  /** Nanoseconds per permit for one of `tasks` sharing `perSecond`; 0 for no limit. */
  private static double interval(double perSecond, int tasks) {
    return perSecond <= 0 ? 0 : Math.max(1, tasks) * 1e9 / perSecond;
  }

  boolean limited() {
    return requestNanos > 0 || eventNanos > 0;
  }

  private double now() {
    Duration d = Duration.between(origin, clock.instant());
    return d.getSeconds() * 1e9 + d.getNano();
  }

  /**
   * Waits until a request carrying `events` records may go, and books it; returns the time
   * waited in milliseconds.
   */
  long acquire(int events) throws InterruptedException {
    if (!limited()) return 0;
    double now = now();
    double due = Math.max(nextByRequests, nextByEvents);
    long waited = 0;
    // Sleeps are whole milliseconds, rounded up; under a nanosecond is the rounding of the
    // schedule's doubles, not a wait.
    if (due - now >= 1) {
      waited = (long) Math.ceil((due - now - 0.5) / 1e6);
      sleeper.sleep(waited);
    }
    // From when it was due (not when the sleep ended), unless the task came later than that.
    double at = Math.max(due, now);
    if (requestNanos > 0) nextByRequests = at + requestNanos;
    if (eventNanos > 0) nextByEvents = at + Math.max(0, events) * eventNanos;
    return waited;
  }
}
