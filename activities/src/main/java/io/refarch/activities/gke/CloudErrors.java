package io.refarch.activities.gke;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.regex.Pattern;

/**
 * Turns a Google Cloud error into the failure Temporal acts on: retried when waiting can help (a
 * busy cluster, a flaky network), not retried when only a person can (bad argument, missing
 * permission, exhausted quota).
 */
public final class CloudErrors {
  /** GKE runs one cluster operation at a time: "Operation ... is currently creating ...". */
  private static final Pattern BUSY =
      Pattern.compile("(?is).*(is currently|please wait and try again|concurrent|too many operations).*");

  private CloudErrors() {}

  /** {@code doing} says what was attempted, e.g. "creating node pool workload-services". */
  public static ApplicationFailure translate(String doing, ApiException e) {
    StatusCode.Code code = e.getStatusCode().getCode();
    String cloudMessage = shorten(e.getMessage());
    String message = doing + " failed: " + code + ": " + cloudMessage;
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS ->
          Failures.permanent(FailureTypes.INVALID_ARGUMENT, message);
      case PERMISSION_DENIED, UNAUTHENTICATED ->
          Failures.permanent(FailureTypes.PERMISSION_DENIED, message);
      case RESOURCE_EXHAUSTED ->
          BUSY.matcher(cloudMessage).matches()
              ? Failures.retryable(Failures.CLUSTER_BUSY, message)
              : Failures.permanent(FailureTypes.QUOTA_EXCEEDED, doing + " failed: quota exceeded: " + cloudMessage);
      case FAILED_PRECONDITION, ABORTED -> Failures.retryable(Failures.CLUSTER_BUSY, message);
      default -> Failures.retryable(Failures.TRANSIENT, message);
    };
  }

  public static boolean isNotFound(ApiException e) {
    return e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND;
  }

  public static boolean isAlreadyExists(ApiException e) {
    return e.getStatusCode().getCode() == StatusCode.Code.ALREADY_EXISTS;
  }

  /** Errors can carry whole JSON bodies; the first few hundred characters say what matters. */
  static String shorten(String message) {
    if (message == null) {
      return "";
    }
    String oneLine = message.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + "...";
  }
}
