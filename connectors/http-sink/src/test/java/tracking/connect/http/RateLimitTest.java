package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits on a fake clock that only the limiter's own sleeps (and the test) move. */
class RateLimitTest {
  /** Milliseconds since the start; sleeping advances it, as real time would. */
  static final class FakeTime extends Clock {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    long ms;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return START.plusMillis(ms);
    }

    void sleep(long wait) {
      sleeps.add(wait);
      ms += wait;
    }
  }

  private final FakeTime time = new FakeTime();

  private RateLimit limit(double requests, double events, int tasks) {
    return new RateLimit(requests, events, tasks, time, time::sleep);
  }

  /** When each of `n` requests of `events` records went, in ms since the start. */
  private List<Long> sendTimes(RateLimit limit, int n, int events) throws InterruptedException {
    List<Long> at = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      limit.acquire(events);
      at.add(time.ms);
    }
    return at;
  }

  @Test
  void noLimitNeverWaits() throws InterruptedException {
    assertEquals(List.of(0L, 0L, 0L), sendTimes(limit(0, 0, 3), 3, 1000));
    assertEquals(List.of(), time.sleeps);
  }

  @Test
  void tenPerSecondOverThreeTasksIsTenThirdsEachNotThree() throws InterruptedException {
    // 10/3 requests per second: one every 300 ms, so 31 requests take 9 s, not 10 (3 per second)
    List<Long> at = sendTimes(limit(10, 0, 3), 31, 1);
    for (int i = 0; i < at.size(); i++) assertEquals(300L * i, at.get(i));
  }

  @Test
  void aFractionalIntervalDoesNotDriftWithMillisecondSleeps() throws InterruptedException {
    // 7 per second over 3 tasks: one request every 3/7 s = 428.571… ms. Sleeps are whole ms, so
    // each is rounded up, but the schedule stays on the exact grid: request i goes at
    // ceil(i * 3000 / 7) ms, and request 70 at exactly 30 s (a per-request 429 ms would be 30.03).
    List<Long> at = sendTimes(limit(7, 0, 3), 71, 1);
    for (int i = 0; i < at.size(); i++) {
      assertEquals((long) Math.ceil(i * 3000.0 / 7 - 1e-9), at.get(i), "request " + i);
    }
    assertEquals(30_000L, at.get(70));
  }

  @Test
  void theWholeConnectorStaysUnderItsLimit() throws InterruptedException {
    // Three tasks' schedules side by side: over any 1 s window at most R + one request per task.
    double r = 10;
    List<Long> all = new ArrayList<>();
    for (int task = 0; task < 3; task++) {
      FakeTime own = new FakeTime();
      own.ms = task * 37; // tasks start at unrelated moments
      RateLimit l = new RateLimit(r, 0, 3, own, own::sleep);
      for (int i = 0; i < 40; i++) {
        l.acquire(1);
        all.add(own.ms);
      }
    }
    all.sort(null);
    for (long start : all) {
      long inWindow = all.stream().filter(t -> t >= start && t < start + 1000).count();
      assertTrue(inWindow <= r + 3, "window at " + start + ": " + inWindow);
    }
    long span = all.get(all.size() - 1) - all.get(0);
    assertTrue((all.size() - 3) * 1000.0 / span <= r, "overall " + all.size() + " in " + span);
  }

  @Test
  void aBatchOfKEventsTakesKPermits() throws InterruptedException {
    // 30 events/s over 3 tasks: 10 per second each, 100 ms per event; batches of 5 -> 500 ms
    assertEquals(List.of(0L, 500L, 1000L, 1500L), sendTimes(limit(0, 30, 3), 4, 5));
  }

  @Test
  void aBatchLargerThanTheBudgetStillGoesOutAndIsPaidForAfter() throws InterruptedException {
    RateLimit l = limit(0, 30, 3); // 10 events per second for this task
    l.acquire(2); // at 0, due again at 200 ms
    assertEquals(0, time.ms);
    l.acquire(25); // 25 events > 10 per second: goes at 200 ms, the next waits 2.5 s
    assertEquals(200, time.ms);
    l.acquire(1);
    assertEquals(2700, time.ms);
    assertEquals(List.of(200L, 2500L), time.sleeps);
  }

  @Test
  void theStricterOfTheTwoLimitsDecides() throws InterruptedException {
    // 3 requests/s and 20 events/s over 1 task: small batches wait for the request limit,
    // large ones for the event limit
    RateLimit l = limit(3, 20, 1);
    l.acquire(1); // at 0: next request at 333.3 ms, next event at 50 ms
    l.acquire(1);
    assertEquals(334, time.ms);
    l.acquire(10); // at 666.7 (request limit): 10 events, next at 666.7 + 500
    assertEquals(667, time.ms);
    l.acquire(1);
    assertEquals(1167, time.ms);
  }

  @Test
  void anIdleTaskSavesNothingUp() throws InterruptedException {
    RateLimit l = limit(2, 0, 1);
    l.acquire(1);
    time.ms += 10_000; // idle for 10 s
    List<Long> at = sendTimes(l, 3, 1);
    assertEquals(List.of(10_000L, 10_500L, 11_000L), at);
  }

  @Test
  void aTaskLaterThanItsScheduleIsNotHeldBack() throws InterruptedException {
    RateLimit l = limit(2, 0, 1);
    l.acquire(1);
    time.ms += 700; // the request took 700 ms; the next was due at 500
    assertEquals(0, l.acquire(1));
    assertEquals(700, time.ms);
    assertEquals(500, l.acquire(1));
  }
}
