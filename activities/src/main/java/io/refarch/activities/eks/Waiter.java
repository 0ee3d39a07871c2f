package io.refarch.activities.eks;

import io.refarch.activities.Heartbeat;
import io.refarch.activities.gke.operation.PollSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for an AWS resource to reach a state by describing it again, beating the heartbeat on every
 * read and between reads (AWS has no operation objects like GKE's: the resource's status is the
 * operation). A retried attempt describes first and so resumes the wait without creating twice.
 */
public final class Waiter {
  /**
   * What EKS and EC2 usually take: the figures docs/sandbox.md cites, which the sandbox's realistic
   * profile takes too; reads come every second near them.
   */
  public static final Map<String, Duration> AWS_TYPICAL =
      Map.of(
          "eks.CREATE_CLUSTER", Duration.ofMinutes(10),
          "eks.DELETE_CLUSTER", Duration.ofMinutes(4),
          "eks.CREATE_NODEGROUP", Duration.ofMinutes(4),
          "eks.DELETE_NODEGROUP", Duration.ofMinutes(5),
          "ec2.CREATE_NAT_GATEWAY", Duration.ofSeconds(90),
          "ec2.DELETE_NAT_GATEWAY", Duration.ofMinutes(1));

  private final PollSchedule schedule;
  private final Clock clock;

  public Waiter(PollSchedule schedule) {
    this(schedule, Clock.systemUTC());
  }

  public Waiter(PollSchedule schedule, Clock clock) {
    // The schedule's own expectations win: a sandbox run's are its scaled latencies.
    this.schedule = schedule.withDefaults(AWS_TYPICAL);
    this.clock = clock;
  }

  /**
   * Reads {@code check} until it gives a value, pausing between reads with beats of {@code details}
   * (which name the resource, never a secret).
   */
  public <T> T until(
      Heartbeat heartbeat, String type, String details, Supplier<Optional<T>> check) {
    // A wait handed back read by read keeps its place in the schedule across attempts.
    Instant start = heartbeat.firstScheduled().orElse(clock.instant());
    Optional<Duration> expected = schedule.expected(type);
    while (true) {
      heartbeat.beat(details);
      Optional<T> done = check.get();
      if (done.isPresent()) {
        return done.get();
      }
      Duration elapsed = Duration.between(start, clock.instant());
      heartbeat.pause(schedule.next(expected, elapsed), details);
    }
  }
}
