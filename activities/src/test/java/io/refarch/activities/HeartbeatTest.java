package io.refarch.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.refarch.workflow.AttemptReporter;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

  /** Records when each beat came, in ms since the test began. */
  private static final class Recorder implements Heartbeat {
    final long start = System.nanoTime();
    final List<Long> at = new ArrayList<>();
    final List<String> details = new ArrayList<>();
    final WorkerStopping stopping;

    Recorder() {
      this(new WorkerStopping());
    }

    Recorder(WorkerStopping stopping) {
      this.stopping = stopping;
    }

    @Override
    public void beat(String d) {
      at.add((System.nanoTime() - start) / 1_000_000);
      details.add(d);
    }

    @Override
    public Optional<String> previous() {
      return Optional.empty();
    }

    @Override
    public WorkerStopping stopping() {
      return stopping;
    }
  }

  @Test
  void aWorkerHandingBackEveryWaitEndsTheAttemptAtOnceAskingForTheNextReadAfterTheWait() {
    Recorder r = new Recorder(WorkerStopping.handingBackEveryWait());

    Throwable handedBack =
        catchThrowable(
            () -> Heartbeat.pause(r, Duration.ofSeconds(7), Duration.ofSeconds(5), "op-9"));

    assertThat(handedBack)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.WAITING);
              assertThat(f.isNonRetryable()).isFalse();
              assertThat(f.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
              assertThat(f.getCategory()).isEqualTo(ApplicationErrorCategory.BENIGN);
              assertThat(f.getOriginalMessage()).contains("op-9");
            });
    // The last beat names the operation for the next attempt, marked so no attempt is reported.
    assertThat(r.details).containsExactly(AttemptReporter.handedBack("op-9"));
    assertThat(r.at.get(0)).isLessThan(1000);
  }

  @Test
  void whenTheWorkerBeginsToStopAWaitHandsItsAttemptBackAtOnceWithItsLastBeat() throws Exception {
    Recorder r = new Recorder();
    Thread stopper =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              r.stopping.announce();
            });
    stopper.start();

    Throwable handedBack =
        catchThrowable(
            () -> Heartbeat.pause(r, Duration.ofMinutes(5), Duration.ofSeconds(5), "op-7"));
    stopper.join();

    assertThat(handedBack)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.WORKER_STOPPING);
              assertThat(f.isNonRetryable()).isFalse();
              assertThat(f.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(1));
              assertThat(f.getOriginalMessage()).contains("another worker").contains("op-7");
            });
    // It did not sleep out its 5 s slice, and beat on its way out so the next attempt resumes.
    assertThat(r.at).hasSize(1);
    assertThat(r.at.get(0)).isLessThan(3_000);
    assertThat(r.details).containsExactly("op-7");

    // Once stopping, a new wait hands back before sleeping at all.
    assertThat(
            catchThrowable(
                () -> Heartbeat.pause(r, Duration.ofSeconds(30), Duration.ofSeconds(5), "op-8")))
        .isInstanceOf(ApplicationFailure.class);
  }

  @Test
  void aWaitLongerThanTheBeatIntervalBeatsThroughout() {
    Recorder r = new Recorder();
    Heartbeat.pause(r, Duration.ofMillis(500), Duration.ofMillis(100), "waiting for op-1");

    assertThat(r.details).hasSize(5).containsOnly("waiting for op-1");
    long previous = 0;
    for (long t : r.at) {
      // Sleep may overrun a little; it never lets two beats drift a whole interval apart.
      assertThat(t - previous).isLessThan(200);
      previous = t;
    }
    assertThat(previous).isGreaterThanOrEqualTo(500);
  }

  @Test
  void aWaitShorterThanTheIntervalBeatsOnceWhenItEnds() {
    Recorder r = new Recorder();
    Heartbeat.pause(r, Duration.ofMillis(30), Duration.ofMillis(100), "x");
    assertThat(r.details).containsExactly("x");
  }

  @Test
  void theDefaultIntervalFitsTwiceIntoTheShortestHeartbeatTimeout() {
    // The workflow accepts heartbeat timeouts down to 10 s (SpecValidator), and polls back off to
    // 30 s.
    assertThat(Heartbeat.EVERY.multipliedBy(2)).isLessThanOrEqualTo(Duration.ofSeconds(10));
  }
}
