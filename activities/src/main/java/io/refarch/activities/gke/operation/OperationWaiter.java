package io.refarch.activities.gke.operation;

import com.google.api.gax.rpc.ApiException;
import com.google.container.v1.Operation;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.gke.CloudErrors;
import io.refarch.workflow.FailureTypes;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for a GKE operation inside the activity that started it, heartbeating the operation's name
 * (on every poll and every few seconds between polls) so that a retried attempt waits for the same
 * operation instead of starting another.
 */
public final class OperationWaiter {
  private final Operations operations;
  private final Duration initial;
  private final Duration max;

  public OperationWaiter(Operations operations, Duration initial, Duration max) {
    this.operations = operations;
    this.initial = initial;
    this.max = max;
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
    Duration interval = initial;
    while (true) {
      heartbeat.beat(operationName);
      Operation op = operations.get(operationName);
      if (op.getStatus() == Operation.Status.DONE) {
        if (judge) {
          failIfError(op, doing);
        }
        return op;
      }
      heartbeat.pause(interval, operationName);
      interval = interval.multipliedBy(2).compareTo(max) > 0 ? max : interval.multipliedBy(2);
    }
  }

  /**
   * Polls {@code check} with the same back-off until it yields a value, heartbeating {@code
   * details}; for resources busy with an operation we did not start (found PROVISIONING).
   */
  public <T> T poll(Heartbeat heartbeat, String details, Supplier<Optional<T>> check) {
    Duration interval = initial;
    while (true) {
      heartbeat.beat(details);
      Optional<T> done = check.get();
      if (done.isPresent()) {
        return done.get();
      }
      heartbeat.pause(interval, details);
      interval = interval.multipliedBy(2).compareTo(max) > 0 ? max : interval.multipliedBy(2);
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
