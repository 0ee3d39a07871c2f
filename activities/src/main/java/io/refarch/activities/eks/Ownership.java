package io.refarch.activities.eks;

import io.refarch.activities.Caller;
import io.refarch.activities.OwnershipTags;
import io.refarch.spec.ClusterSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tags refarch puts on everything it creates in AWS: the spec's own tags (the seed's department
 * and project), the cluster the resource was made for and the run that made it. A teardown deletes
 * what carries its cluster's tag, a failed run's compensation what carries its run id; nothing
 * untagged is ever deleted.
 */
public final class Ownership {
  /** The cluster (spec name) a resource was made for: what {@code down} of that cluster deletes. */
  public static final String CLUSTER = "refarch.io/cluster";

  /** The run that created it: what that run's compensation may delete. */
  public static final String RUN = "refarch.io/run";

  private Ownership() {}

  /** Every tag a resource made for {@code spec} by {@code caller}'s run carries. */
  public static Map<String, String> tags(ClusterSpec spec, Caller caller) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (spec.aws() != null && spec.aws().tags() != null) {
      tags.putAll(spec.aws().tags());
    }
    tags.put(CLUSTER, spec.name());
    tags.put(RUN, caller.runId());
    return tags;
  }

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
