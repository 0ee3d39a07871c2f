package io.refarch.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;

/** Kubernetes API errors as Temporal failures: refusals are permanent, the rest are retried. */
public final class KubernetesErrors {
  private KubernetesErrors() {}

  public static ApplicationFailure translate(String doing, KubernetesClientException e) {
    String message =
        doing + " failed: " + (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + reason(e);
    return switch (e.getCode()) {
      case 401, 403 -> Failures.permanent(FailureTypes.PERMISSION_DENIED, message);
      case 400, 404, 422 -> Failures.permanent(FailureTypes.INVALID_ARGUMENT, message);
      default -> Failures.retryable(Failures.TRANSIENT, message);
    };
  }

  private static String reason(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return String.valueOf(cause.getMessage());
  }
}
