package io.refarch.workflow;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;

/** Reads the user-facing type and message out of a Temporal failure chain. */
final class Failures {
  private Failures() {}

  /** The ApplicationFailure type, or Timeout / Cancelled for those failures. */
  static String type(Throwable failure) {
    Throwable root = root(failure);
    if (root instanceof ApplicationFailure app) {
      return app.getType();
    }
    if (root instanceof TimeoutFailure) {
      return "Timeout";
    }
    if (root instanceof CanceledFailure) {
      return "Cancelled";
    }
    return root.getClass().getSimpleName();
  }

  /** The message the activity raised, without Temporal's wrapping. */
  static String message(Throwable failure) {
    Throwable root = root(failure);
    if (root instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    if (root instanceof TimeoutFailure timeout) {
      return "timed out (" + timeout.getTimeoutType() + ")";
    }
    if (root instanceof CanceledFailure) {
      return "cancelled";
    }
    return String.valueOf(root.getMessage());
  }

  static String describe(Throwable failure) {
    return type(failure) + ": " + message(failure);
  }

  /** The failure that says what went wrong: the activity's own, below the ActivityFailure. */
  private static Throwable root(Throwable failure) {
    Throwable t = failure;
    while (t instanceof ActivityFailure && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
