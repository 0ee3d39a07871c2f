package io.refarch.activities.gke.operation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.container.v1.Operation;
import io.refarch.activities.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The waiter against an operation that ends at a given time, on a clock the waiter's pauses move
 * (nothing sleeps): when does it see the operation done?
 */
class OperationWaiterTest {

  static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  static final PollSchedule REAL = PollSchedule.gke(Duration.ofSeconds(2), Duration.ofSeconds(10));

  /** A clock that stands still until a pause moves it. */
  static final class Moved extends Clock {
    Instant now = START;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** Pauses move the clock; beats are counted. */
  static final class Pauses implements Heartbeat {
    final Moved clock;
    int reads;

    Pauses(Moved clock) {
      this.clock = clock;
    }

    @Override
    public void beat(String details) {}

    @Override
    public Optional<String> previous() {
      return Optional.empty();
    }

    @Override
    public void pause(Duration wait, String details) {
      clock.now = clock.now.plus(wait);
    }
  }

  /** The instant the waiter returns, for a create-cluster operation that ends {@code after}. */
  static Instant noticed(Duration after, Pauses pauses) {
    Instant end = START.plus(after);
    Operations operations =
        name -> {
          pauses.reads++;
          boolean done = !pauses.clock.now.isBefore(end);
          return Operation.newBuilder()
              .setName(name)
              .setOperationType(Operation.Type.CREATE_CLUSTER)
              .setStartTime(START.toString())
              .setStatus(done ? Operation.Status.DONE : Operation.Status.RUNNING)
              .build();
        };
    new OperationWaiter(operations, REAL, pauses.clock)
        .await("projects/p/locations/r/operations/op-1", pauses, "creating cluster gitpod");
    return pauses.clock.now;
  }

  @Test
  void anOperationThatTakesWhatItUsuallyTakesIsSeenDoneAtItsEnd() {
    Pauses pauses = new Pauses(new Moved());
    assertThat(noticed(Duration.ofMinutes(6), pauses)).isEqualTo(START.plus(Duration.ofMinutes(6)));
  }

  @Test
  void anyEndFromNearTheExpectedToTwiceItIsSeenWithinASecond() {
    for (long ms = 288_000; ms <= 720_000; ms += 3_337) {
      Pauses pauses = new Pauses(new Moved());
      Instant end = START.plus(Duration.ofMillis(ms));
      assertThat(Duration.between(end, noticed(Duration.ofMillis(ms), pauses)))
          .as("ended %d ms after it started", ms)
          .isBetween(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  @Test
  void anEarlyEndIsSeenWithinTheLongestWait() {
    for (long ms = 0; ms < 288_000; ms += 4_999) {
      Pauses pauses = new Pauses(new Moved());
      Instant end = START.plus(Duration.ofMillis(ms));
      assertThat(Duration.between(end, noticed(Duration.ofMillis(ms), pauses)))
          .as("ended %d ms after it started", ms)
          .isLessThanOrEqualTo(Duration.ofSeconds(10));
    }
  }

  @Test
  void aResumedAttemptCountsFromTheOperationsStartNotFromItsOwn() {
    Moved clock = new Moved();
    clock.now = START.plus(Duration.ofSeconds(355)); // the first attempt died 5 s before the end
    Pauses pauses = new Pauses(clock);
    assertThat(noticed(Duration.ofMinutes(6), pauses)).isEqualTo(START.plus(Duration.ofMinutes(6)));
    assertThat(pauses.reads).isEqualTo(6);
  }
}
