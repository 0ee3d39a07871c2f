package io.refarch.activities.gke.operation;

import com.google.api.gax.rpc.ApiException;
import com.google.container.v1.Operation;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.gke.CloudErrors;
import io.refarch.workflow.FailureTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for a GKE operation inside the activity that started it, heartbeating the operation's name
 * (on every poll and every few seconds between polls) so that a retried attempt waits for the same
 * operation instead of starting another. Reads come as the {@link PollSchedule} says for the
 * operation's type: rarely early, every second around its expected end.
 */
public final class OperationWaiter {
  private final Operations operations;
  private final PollSchedule schedule;
  private final Clock clock;

  public OperationWaiter(Operations operations, PollSchedule schedule) {
    this(operations, schedule, Clock.systemUTC());
  }

  /** With the clock that elapsed times are read from (tests move it instead of sleeping). */
  public OperationWaiter(Operations operations, PollSchedule schedule, Clock clock) {
    this.operations = operations;
    this.schedule = schedule;
    this.clock = clock;
  }

  /**
   * If the previous attempt left an operation in its heartbeat, waits for it to finish. Its outcome
   * is not judged here: the caller describes the resource afterwards, which says what happened.
   */
  public void resume(Heartbeat heartbeat, String doing) {
    Optional<String> previous = heartbeat.previous().filter(name -> name.contains("/operations/"));
    if (previous.isEmpty()) {
      return;
    }
    try {
      await(previous.get(), heartbeat, doing, false);
    } catch (ApiException e) {
      if (!CloudErrors.isNotFound(e)) {
        throw CloudErrors.translate(doing, e);
      }
      // GKE forgets old operations; describing the resource tells us where it stands.
    }
  }

  /** Waits until the operation is DONE; an operation that ended in error fails the activity. */
  public Operation await(String operationName, Heartbeat heartbeat, String doing) {
    try {
      return await(operationName, heartbeat, doing, true);
    } catch (ApiException e) {
      throw CloudErrors.translate(doing, e);
    }
  }

  private Operation await(String operationName, Heartbeat heartbeat, String doing, boolean judge) {
    Instant firstRead = clock.instant();
    while (true) {
      heartbeat.beat(operationName);
      Operation op = operations.get(operationName);
      if (op.getStatus() == Operation.Status.DONE) {
        if (judge) {
          failIfError(op, doing);
        }
        return op;
      }
      Optional<Duration> expected = schedule.expected("gke." + op.getOperationType().name());
      Duration elapsed = Duration.between(started(op, firstRead), clock.instant());
      heartbeat.pause(schedule.next(expected, elapsed), operationName);
    }
  }

  /**
   * When the operation started, by the cloud's clock: a resumed attempt knows how long the
   * operation has run. The cloud's start is trusted only when it is not after our first read of it
   * (a clock far ahead of ours would make us wait too little, never too long).
   */
  private static Instant started(Operation op, Instant firstRead) {
    try {
      Instant start = Instant.parse(op.getStartTime());
      return start.isAfter(firstRead) ? firstRead : start;
    } catch (DateTimeParseException e) {
      return firstRead;
    }
  }

  /**
   * Polls {@code check}, backing off, until it yields a value, heartbeating {@code details}; for
   * resources busy with an operation we did not start (found PROVISIONING), whose end nothing
   * predicts.
   */
  public <T> T poll(Heartbeat heartbeat, String details, Supplier<Optional<T>> check) {
    Instant firstRead = heartbeat.firstScheduled().orElse(clock.instant());
    while (true) {
      heartbeat.beat(details);
      Optional<T> done = check.get();
      if (done.isPresent()) {
        return done.get();
      }
      Duration elapsed = Duration.between(firstRead, clock.instant());
      heartbeat.pause(schedule.next(Optional.empty(), elapsed), details);
    }
  }

  private static void failIfError(Operation op, String doing) {
    String error = "";
    int code = 0;
    if (op.hasError() && op.getError().getCode() != 0) {
      code = op.getError().getCode();
      error = op.getError().getMessage();
    } else if (!op.getStatusMessage().isEmpty()) {
      error = op.getStatusMessage();
    }
    if (code == 0 && error.isEmpty()) {
      return;
    }
    // google.rpc.Code 8 = RESOURCE_EXHAUSTED: GKE reports "Insufficient regional quota" this way.
    String type = code == 8 ? FailureTypes.QUOTA_EXCEEDED : FailureTypes.OPERATION_FAILED;
    throw Failures.permanent(type, doing + " failed: operation " + op.getName() + ": " + error);
  }
}
