package io.refarch.activities.gke.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schedule as a function: how long after {@code elapsed} the next read comes. */
class PollScheduleTest {

  static final PollSchedule REAL = PollSchedule.gke(Duration.ofSeconds(2), Duration.ofSeconds(10));
  static final Optional<Duration> CREATE_CLUSTER = REAL.expected("gke.CREATE_CLUSTER");

  @Test
  void earlyReadsBackOffToTheLongestWait() {
    assertThat(REAL.next(CREATE_CLUSTER, Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    assertThat(REAL.next(CREATE_CLUSTER, Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(4));
    assertThat(REAL.next(CREATE_CLUSTER, Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theBackOffNeverSkipsTheStartOfTheNearPhase() {
    // 80 % of six minutes is 288 s: a read at 283 s waits 5 s, not 10.
    assertThat(REAL.next(CREATE_CLUSTER, Duration.ofSeconds(283))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void nearTheExpectedEndEverySecondAndOnceExactlyAtIt() {
    assertThat(REAL.next(CREATE_CLUSTER, Duration.ofSeconds(288))).isEqualTo(Duration.ofSeconds(1));
    assertThat(REAL.next(CREATE_CLUSTER, Duration.ofMillis(359_400)))
        .isEqualTo(Duration.ofMillis(600));
    assertThat(REAL.next(CREATE_CLUSTER, Duration.ofSeconds(500))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void farPastTheExpectedEndBackToTheLongestWait() {
    assertThat(REAL.next(CREATE_CLUSTER, Duration.ofSeconds(721)))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void anOperationOfUnknownTypeBacksOffThroughout() {
    assertThat(REAL.expected("gke.UPGRADE_MASTER")).isEmpty();
    assertThat(REAL.next(Optional.empty(), Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    assertThat(REAL.next(Optional.empty(), Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(8));
    assertThat(REAL.next(Optional.empty(), Duration.ofSeconds(300)))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aSixMinuteCreateCostsAboutAHundredReads() {
    List<Duration> reads = readsUntil(REAL, CREATE_CLUSTER, Duration.ofMinutes(6));
    assertThat(reads).hasSizeBetween(95, 110);
    // None in the last 20 % is more than a second from the one before.
    for (int i = 1; i < reads.size(); i++) {
      if (reads.get(i).compareTo(Duration.ofSeconds(288)) > 0) {
        assertThat(reads.get(i).minus(reads.get(i - 1))).isLessThanOrEqualTo(Duration.ofSeconds(1));
      }
    }
    assertThat(reads.get(reads.size() - 1)).isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void scaledEverythingShrinksByTheFactor() {
    PollSchedule sixtieth = REAL.scaled(1.0 / 60);
    assertThat(sixtieth.expected("gke.CREATE_CLUSTER")).contains(Duration.ofSeconds(6));
    assertThat(sixtieth.near()).isEqualTo(Duration.ofNanos(16_666_667));
    assertThat(sixtieth.max()).isEqualTo(Duration.ofNanos(166_666_667));
    // As many reads, give or take the rounding of waits to whole milliseconds.
    int real = readsUntil(REAL, CREATE_CLUSTER, Duration.ofMinutes(6)).size();
    assertThat(readsUntil(sixtieth, sixtieth.expected("gke.CREATE_CLUSTER"), Duration.ofSeconds(6)))
        .hasSizeBetween(real - 2, real + 2);
  }

  /** When the reads come, from the first (at 0) until one at or after {@code end}. */
  static List<Duration> readsUntil(
      PollSchedule schedule, Optional<Duration> expected, Duration end) {
    List<Duration> reads = new ArrayList<>();
    Duration t = Duration.ZERO;
    reads.add(t);
    while (t.compareTo(end) < 0) {
      t = t.plus(schedule.next(expected, t));
      reads.add(t);
    }
    return reads;
  }

  /**
   * The EKS waiter's typical durations fill in what a schedule lacks, never what it has: a sandbox
   * run's schedule expects the sandbox's scaled durations, so its reads come near those ends.
   */
  @Test
  void typicalDurationsFillOnlyWhatTheScheduleLacks() {
    PollSchedule sandbox =
        PollSchedule.gke(Duration.ofMillis(30), Duration.ofMillis(160))
            .withExpected(java.util.Map.of("eks.CREATE_CLUSTER", Duration.ofSeconds(10)));

    PollSchedule merged =
        sandbox.withDefaults(
            java.util.Map.of(
                "eks.CREATE_CLUSTER", Duration.ofMinutes(10),
                "eks.CREATE_NODEGROUP", Duration.ofMinutes(3)));

    assertThat(merged.expected("eks.CREATE_CLUSTER")).contains(Duration.ofSeconds(10));
    assertThat(merged.expected("eks.CREATE_NODEGROUP")).contains(Duration.ofMinutes(3));
  }
}
