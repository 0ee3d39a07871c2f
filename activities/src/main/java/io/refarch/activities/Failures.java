package io.refarch.activities;

import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/** The two kinds of activity failure: Temporal retries the first and never the second. */
public final class Failures {
  /** Another operation runs on the cluster; GKE allows one at a time. */
  public static final String CLUSTER_BUSY = "ClusterBusy";

  /** The cloud could not answer now (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL...). */
  public static final String TRANSIENT = "Transient";

  /**
   * A resource is not in a state to continue yet (being deleted, no endpoint yet, a new service
   * account Google does not know everywhere yet).
   */
  public static final String NOT_READY = "NotReady";

  /** A per-minute (or per-second) request quota was hit: retried after a longer pause. */
  public static final String RATE_LIMITED = "RateLimited";

  private Failures() {}

  public static ApplicationFailure permanent(String type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  public static ApplicationFailure retryable(String type, String message) {
    return ApplicationFailure.newFailure(message, type);
  }

  /**
   * Retryable, with the pause before the next attempt set here instead of by the retry policy's
   * back-off (the attempt still counts towards the policy's maximum).
   */
  public static ApplicationFailure retryableAfter(
      String type, String message, Duration nextRetryDelay) {
    return retryableAfter(type, message, nextRetryDelay, ApplicationErrorCategory.UNSPECIFIED);
  }

  /**
   * {@link #retryableAfter(String, String, Duration)} in {@code category}: a {@link
   * ApplicationErrorCategory#BENIGN} one is logged at DEBUG without a stack trace and counted as no
   * failure in the SDK's metrics.
   */
  public static ApplicationFailure retryableAfter(
      String type, String message, Duration nextRetryDelay, ApplicationErrorCategory category) {
    return ApplicationFailure.newBuilder()
        .setType(type)
        .setMessage(message)
        .setNextRetryDelay(nextRetryDelay)
        .setCategory(category)
        .build();
  }
}
