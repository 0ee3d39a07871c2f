package io.refarch.workflow;

import io.refarch.spec.Cloud;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the user-facing type and message out of a Temporal failure chain. */
final class Failures {
  private Failures() {}

  /** The SDK's message for an activity type the worker that took the task has not registered. */
  private static final Pattern NOT_REGISTERED =
      Pattern.compile(
          "Activity Type \"([^\"]+)\" is not registered with a worker\\. Known types are: ?(.*)",
          Pattern.DOTALL);

  /** The ApplicationFailure type, or Timeout / Cancelled for those failures. */
  static String type(Throwable failure) {
    if (notRegistered(failure) != null) {
      return FailureTypes.ACTIVITY_NOT_REGISTERED;
    }
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
    Matcher notRegistered = notRegistered(failure);
    if (notRegistered != null) {
      return notRegisteredMessage(failure, notRegistered.group(1), notRegistered.group(2));
    }
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

  /**
   * The match of the SDK's "not registered" message when {@code failure} is that failure (its type
   * is {@link FailureTypes#SDK_ACTIVITY_NOT_REGISTERED}, which an activity's own bad argument
   * shares, so the message decides); null otherwise.
   */
  private static Matcher notRegistered(Throwable failure) {
    if (root(failure) instanceof ApplicationFailure app
        && FailureTypes.SDK_ACTIVITY_NOT_REGISTERED.equals(app.getType())
        && app.getOriginalMessage() != null) {
      Matcher m = NOT_REGISTERED.matcher(app.getOriginalMessage());
      if (m.matches()) {
        return m;
      }
    }
    return null;
  }

  /**
   * "worker 12345@host refarch-worker[gcp] has no aws activities (EksEnsureNetwork is not
   * registered there; it can run: gcp) ...": the cloud, the worker and the way out.
   */
  private static String notRegisteredMessage(Throwable failure, String type, String knownTypes) {
    String worker = "the worker that took it";
    Throwable t = failure;
    while (t != null) {
      if (t instanceof ActivityFailure activity
          && activity.getIdentity() != null
          && !activity.getIdentity().isEmpty()) {
        worker = "worker " + activity.getIdentity();
        break;
      }
      t = t.getCause();
    }
    Set<String> known = new HashSet<>();
    for (String k : knownTypes.split(",")) {
      if (!k.isBlank()) {
        known.add(k.trim());
      }
    }
    Set<Cloud> can = WorkerCapabilities.cloudsOfTypes(known);
    String canRun = can.isEmpty() ? "none" : WorkerCapabilities.ids(can);
    Optional<Cloud> cloud = WorkerCapabilities.cloudOf(type);
    String missing =
        cloud
            .map(c -> "has no " + c.id() + " activities")
            .orElse("lacks an activity refarch needs");
    return worker
        + " "
        + missing
        + " ("
        + type
        + " is not registered there; it can run: "
        + canRun
        + "). Not retried: every worker of the task queue needs the activities of the clouds"
        + " sent to it";
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
