package io.refarch.activities.gke;

import io.refarch.activities.Caller;
import io.refarch.spec.ClusterSpec;
import java.util.Map;
import java.util.Optional;

/**
 * The marks refarch puts on what it creates in GKE (cluster resource labels, node pool resource
 * labels): the cluster spec it was made for, the run that made it, and the service account the
 * cluster relies on. Label values allow lowercase letters, digits, '-' and '_', up to 63
 * characters: cluster names, account ids and Temporal run ids (UUIDs) all fit.
 */
public final class Ownership {
  /** The cluster (spec name) a resource was made for: what {@code down} of that cluster deletes. */
  public static final String CLUSTER = "refarch-cluster";

  /** The run that created it: what that run's compensation may delete. */
  public static final String RUN = "refarch-run";

  /** The project's service account the cluster relies on, so the account is kept while it is. */
  public static final String SERVICE_ACCOUNT = "refarch-service-account";

  private Ownership() {}

  public static Map<String, String> labels(ClusterSpec spec, Caller caller) {
    return Map.of(
        CLUSTER, spec.name(), RUN, caller.runId(), SERVICE_ACCOUNT, spec.gcp().serviceAccount());
  }

  /** Whether this run made a resource carrying {@code labels} (an earlier attempt of it, say). */
  public static boolean madeBy(Map<String, String> labels, Caller caller) {
    return caller.runId().equals(labels.get(RUN));
  }

  /**
   * Why the caller must keep a resource carrying {@code labels}, or empty when it may delete it: a
   * compensation deletes what its run made, a teardown what was made for its cluster.
   */
  public static Optional<String> keepReason(
      Map<String, String> labels, String clusterName, Caller caller) {
    if (caller.teardown()) {
      return clusterName.equals(labels.get(CLUSTER))
          ? Optional.empty()
          : Optional.of(
              "not made by refarch for cluster "
                  + clusterName
                  + " (no "
                  + CLUSTER
                  + "="
                  + clusterName
                  + " label); delete it yourself if it should go");
    }
    return madeBy(labels, caller)
        ? Optional.empty()
        : Optional.of("existed before this run (adopted); a failed run deletes only what it made");
  }
}
