package io.refarch.activities.aks;

import io.refarch.activities.Caller;
import io.refarch.activities.OwnershipTags;
import java.util.Map;
import java.util.Optional;

/**
 * The tags that say who made an Azure resource ({@link OwnershipTags}), with the same rules as on
 * AWS ({@link io.refarch.activities.eks.Ownership}): a teardown deletes what carries its cluster's
 * tag, a failed run's compensation what carries its run id, and nothing untagged is ever deleted.
 * The names differ: Azure refuses {@code /} in tag names, so AWS's {@code refarch.io/cluster} would
 * be rejected here.
 */
public final class Ownership {
  /** The cluster (spec name) a resource was made for: what {@code down} of that cluster deletes. */
  public static final String CLUSTER = "refarch-cluster";

  /** The run that created it: what that run's compensation may delete. */
  public static final String RUN = "refarch-run";

  private Ownership() {}

  private static final OwnershipTags TAGS = new OwnershipTags(CLUSTER, RUN);

  /** Whether this run made a resource carrying {@code tags} (an earlier attempt of it, say). */
  public static boolean madeBy(Map<String, String> tags, Caller caller) {
    return TAGS.madeBy(tags, caller);
  }

  /** Whether refarch made the resource for {@code clusterName}: what adoption accepts. */
  public static boolean madeFor(Map<String, String> tags, String clusterName) {
    return TAGS.madeFor(tags, clusterName);
  }

  /** See {@link OwnershipTags#keepReason}. */
  public static Optional<String> keepReason(
      Map<String, String> tags, String clusterName, Caller caller) {
    return TAGS.keepReason(tags, clusterName, caller);
  }
}
