package io.refarch.activities.gke.operation;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * When to read a cloud operation again, chosen from how long its type usually takes.
 *
 * <p>A blind exponential back-off notices an operation that ends just after a read up to its
 * longest wait late (30 s, once), and a GKE run is seven operations in a row. Reading every second
 * throughout would notice every end at once but spends read quota for nothing while a six-minute
 * cluster create is far from done. So the schedule reads:
 *
 * <ol>
 *   <li>early, while less than {@link #NEAR_FROM} of the expected duration has passed: backing off
 *       from {@code initial} to {@code max} (an operation that fails at once is still seen soon),
 *       but never past the start of the next phase;
 *   <li>near the expected end: every {@code near}, and once exactly at the expected end, so an
 *       operation that takes what it usually takes is seen done on the first read after its end;
 *   <li>late, past {@link #LATE_AFTER} times the expected duration: the expectation was wrong (a
 *       slow zone, an upgrade queued ahead), so back to every {@code max}, keeping reads few.
 * </ol>
 *
 * <p>An operation of unknown type backs off from {@code initial} to {@code max} throughout.
 *
 * <p>Read quota: with the defaults (2 s, 10 s, 1 s) a six-minute cluster create costs about 100
 * reads, the last 72 s at one a second; the five operations of a GKE run about 320 reads in 18
 * minutes. GKE runs one operation per cluster at a time, so a project reads at most once a second
 * per cluster being changed: ten clusters near their operations' ends at once stay at 600 reads a
 * minute, the lower of the default rate limits GKE's quotas page has given for the Kubernetes
 * Engine API per project (600, now 3000 requests a minute).
 *
 * @param initial the first wait of the back-off
 * @param max the longest wait between two reads
 * @param near the wait between reads around and after the expected end
 * @param expected how long each type of operation usually takes, by {@code cloud.TYPE} (e.g. {@code
 *     gke.CREATE_CLUSTER})
 */
public record PollSchedule(
    Duration initial, Duration max, Duration near, Map<String, Duration> expected) {

  /** The share of the expected duration after which reads come every {@code near}. */
  public static final double NEAR_FROM = 0.8;

  /** The multiple of the expected duration after which reads back off again. */
  public static final double LATE_AFTER = 2;

  /** Every second near the end: the 1 s within which an end is to be noticed. */
  public static final Duration NEAR = Duration.ofSeconds(1);

  /**
   * What GKE's operations usually take for the reference architecture's regional cluster (three
   * zones, one node per zone): typical figures, see docs/sandbox.md for where they come from. The
   * sandbox's {@code realistic} latency profile takes the same figures.
   */
  public static final Map<String, Duration> GKE_TYPICAL =
      Map.of(
          "gke.CREATE_CLUSTER", Duration.ofMinutes(6),
          "gke.DELETE_CLUSTER", Duration.ofMinutes(4),
          "gke.CREATE_NODE_POOL", Duration.ofMinutes(3),
          "gke.DELETE_NODE_POOL", Duration.ofMinutes(3));

  public PollSchedule {
    if (initial == null || max == null || near == null) {
      throw new IllegalArgumentException("initial, max and near are required");
    }
    if (!positive(initial) || !positive(near) || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "initial and near must be positive and max at least initial");
    }
    expected = Map.copyOf(expected == null ? Map.of() : expected);
  }

  /** For real GKE: back off from {@code initial} to {@code max}, every second near the end. */
  public static PollSchedule gke(Duration initial, Duration max) {
    return new PollSchedule(initial, max, NEAR, GKE_TYPICAL);
  }

  /**
   * Every wait and expected duration times {@code factor}: for a sandbox whose operations are that
   * much shorter than the real ones, so a run's ratios are those of a real run.
   */
  public PollSchedule scaled(double factor) {
    Map<String, Duration> scaled = new java.util.HashMap<>();
    expected.forEach((type, d) -> scaled.put(type, times(d, factor)));
    return new PollSchedule(
        times(initial, factor), times(max, factor), times(near, factor), scaled);
  }

  /** The same waits, for operations that take {@code durations}. */
  public PollSchedule withExpected(Map<String, Duration> durations) {
    return new PollSchedule(initial, max, near, durations);
  }

  /**
   * {@code typical} for the types this schedule has no expectation of; its own (e.g. a sandbox's
   * scaled durations) are kept.
   */
  public PollSchedule withDefaults(Map<String, Duration> typical) {
    Map<String, Duration> merged = new java.util.HashMap<>(typical);
    merged.putAll(expected);
    return new PollSchedule(initial, max, near, Map.copyOf(merged));
  }

  /** How long an operation of {@code type} (e.g. {@code gke.CREATE_CLUSTER}) usually takes. */
  public Optional<Duration> expected(String type) {
    return Optional.ofNullable(expected.get(type));
  }

  /**
   * How long to wait before the next read of an operation that usually takes {@code expected} (if
   * known) and has run for {@code elapsed}. Always positive.
   */
  public Duration next(Optional<Duration> expected, Duration elapsed) {
    Duration backOff = clamp(elapsed, initial, max);
    if (expected.isEmpty()) {
      return backOff;
    }
    Duration end = expected.get();
    Duration nearFrom = times(end, NEAR_FROM);
    Duration wait;
    if (elapsed.compareTo(nearFrom) < 0) {
      wait = min(backOff, nearFrom.minus(elapsed));
    } else if (elapsed.compareTo(end) < 0) {
      wait = min(near, end.minus(elapsed));
    } else if (elapsed.compareTo(times(end, LATE_AFTER)) < 0) {
      wait = near;
    } else {
      wait = max;
    }
    // Whole milliseconds, rounded up: a pause sleeps whole milliseconds, and a read that came a
    // fraction of one early would find the operation running and read again at once.
    long millis = Math.max(1, (wait.toNanos() + 999_999) / 1_000_000);
    return Duration.ofMillis(millis);
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static Duration clamp(Duration d, Duration low, Duration high) {
    return d.compareTo(low) < 0 ? low : d.compareTo(high) > 0 ? high : d;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration times(Duration d, double factor) {
    return Duration.ofNanos(Math.round(d.toNanos() * factor));
  }
}
