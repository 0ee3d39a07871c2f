package io.refarch.activities;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Override
    public void beat(String d) {
      at.add((System.nanoTime() - start) / 1_000_000);
      details.add(d);
    }

    @Override
    public Optional<String> previous() {
      return Optional.empty();
    }
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
