package io.refarch.activities;

import io.temporal.failure.ApplicationFailure;

/** The two kinds of activity failure: Temporal retries the first and never the second. */
public final class Failures {
  /** Another operation runs on the cluster; GKE allows one at a time. */
  public static final String CLUSTER_BUSY = "ClusterBusy";

  /** The cloud could not answer now (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL...). */
  public static final String TRANSIENT = "Transient";

  /** A resource is not in a state to continue yet (being deleted, no endpoint yet). */
  public static final String NOT_READY = "NotReady";

  private Failures() {}

  public static ApplicationFailure permanent(String type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  public static ApplicationFailure retryable(String type, String message) {
    return ApplicationFailure.newFailure(message, type);
  }
}
