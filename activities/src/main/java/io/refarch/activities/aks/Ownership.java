package io.refarch.activities.aks;

import io.refarch.activities.Caller;
import java.util.Map;
import java.util.Optional;

/**
 * The tags that say who made an Azure resource, with the same rules as on AWS ({@link
 * io.refarch.activities.eks.Ownership}): a teardown deletes what carries its cluster's tag, a
 * failed run's compensation what carries its run id, and nothing untagged is ever deleted. The
 * names differ: Azure refuses {@code /} in tag names, so AWS's {@code refarch.io/cluster} would be
 * rejected here.
 */
public final class Ownership {
  /** The cluster (spec name) a resource was made for: what {@code down} of that cluster deletes. */
  public static final String CLUSTER = "refarch-cluster";

  /** The run that created it: what that run's compensation may delete. */
  public static final String RUN = "refarch-run";

  private Ownership() {}

  public static boolean madeBy(Map<String, String> tags, Caller caller) {
    return caller.runId().equals(tags.get(RUN));
  }

  public static boolean madeFor(Map<String, String> tags, String clusterName) {
    return clusterName.equals(tags.get(CLUSTER));
  }

  /**
   * Why the caller must keep a resource carrying {@code tags}, or empty when it may delete it: a
   * compensation deletes what its run made, a teardown what was made for its cluster.
   */
  public static Optional<String> keepReason(
      Map<String, String> tags, String clusterName, Caller caller) {
    if (caller.teardown()) {
      return madeFor(tags, clusterName)
          ? Optional.empty()
          : Optional.of(
              "not made by refarch for cluster "
                  + clusterName
                  + " (no "
                  + CLUSTER
                  + "="
                  + clusterName
                  + " tag); delete it yourself if it should go");
    }
    return madeBy(tags, caller)
        ? Optional.empty()
        : Optional.of("existed before this run (adopted); a failed run deletes only what it made");
  }
}
