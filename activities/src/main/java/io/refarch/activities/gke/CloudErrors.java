package io.refarch.activities.gke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a Google Cloud error into the failure Temporal acts on: retried when waiting can help (a
 * busy cluster, a flaky network), not retried when only a person can (bad argument, missing
 * permission, exhausted quota).
 */
public final class CloudErrors {
  /** GKE runs one cluster operation at a time: "Operation ... is currently creating ...". */
  private static final Pattern BUSY =
      Pattern.compile(
          "(?is).*(is currently|please wait and try again|concurrent|too many operations).*");

  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudErrors() {}

  /** {@code doing} says what was attempted, e.g. "creating node pool workload-services". */
  public static ApplicationFailure translate(String doing, ApiException e) {
    StatusCode.Code code = code(e);
    String cloudMessage = shorten(message(e));
    String message = doing + " failed: " + code + ": " + cloudMessage;
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS ->
          Failures.permanent(FailureTypes.INVALID_ARGUMENT, message);
      case PERMISSION_DENIED, UNAUTHENTICATED ->
          Failures.permanent(FailureTypes.PERMISSION_DENIED, message);
      case RESOURCE_EXHAUSTED ->
          BUSY.matcher(cloudMessage).matches()
              ? Failures.retryable(Failures.CLUSTER_BUSY, message)
              : Failures.permanent(
                  FailureTypes.QUOTA_EXCEEDED, doing + " failed: quota exceeded: " + cloudMessage);
      case FAILED_PRECONDITION -> Failures.retryable(Failures.CLUSTER_BUSY, message);
      default -> Failures.retryable(Failures.TRANSIENT, message);
    };
  }

  public static boolean isNotFound(ApiException e) {
    return code(e) == StatusCode.Code.NOT_FOUND;
  }

  public static boolean isAlreadyExists(ApiException e) {
    return code(e) == StatusCode.Code.ALREADY_EXISTS;
  }

  /**
   * The error's google.rpc code. Over HTTP/JSON gax maps by HTTP status alone (GKE's 400
   * FAILED_PRECONDITION arrives as INVALID_ARGUMENT, 409 ALREADY_EXISTS as ABORTED); the body's
   * {@code error.status} says what Google meant.
   */
  public static StatusCode.Code code(ApiException e) {
    return restError(e)
        .map(error -> error.path("status").asText(""))
        .filter(status -> !status.isEmpty())
        .flatMap(CloudErrors::parseCode)
        .orElse(e.getStatusCode().getCode());
  }

  /**
   * Google's own message: the body's {@code error.message} over HTTP/JSON, the status text over
   * gRPC.
   */
  public static String message(ApiException e) {
    return restError(e)
        .map(error -> error.path("message").asText(""))
        .filter(message -> !message.isEmpty())
        .orElse(e.getMessage());
  }

  private static Optional<JsonNode> restError(ApiException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException http && http.getContent() != null) {
        try {
          JsonNode error = JSON.readTree(http.getContent()).path("error");
          return error.isObject() ? Optional.of(error) : Optional.empty();
        } catch (IOException | RuntimeException notJson) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<StatusCode.Code> parseCode(String status) {
    try {
      return Optional.of(StatusCode.Code.valueOf(status));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
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
