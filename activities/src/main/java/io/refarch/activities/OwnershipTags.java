package io.refarch.activities;

import java.util.Map;
import java.util.Optional;

/**
 * Who made a cloud resource, read off two of its tags: the cluster it was made for ({@code
 * cluster}) and the run that made it ({@code run}). A teardown deletes what carries its cluster's
 * tag, a failed run's compensation what carries its run id; nothing untagged is ever deleted. The
 * rule is the same on every cloud that tags; the names differ (Azure refuses {@code /} in tag
 * names).
 */
public record OwnershipTags(String cluster, String run) {

  /** Whether this run made a resource carrying {@code tags} (an earlier attempt of it, say). */
  public boolean madeBy(Map<String, String> tags, Caller caller) {
    return caller.runId().equals(tags.get(run));
  }

  /** Whether refarch made the resource for {@code clusterName}: what adoption accepts. */
  public boolean madeFor(Map<String, String> tags, String clusterName) {
    return clusterName.equals(tags.get(cluster));
  }

  /**
   * Why the caller must keep a resource carrying {@code tags}, or empty when it may delete it: a
   * compensation deletes what its run made, a teardown what was made for its cluster.
   */
  public Optional<String> keepReason(Map<String, String> tags, String clusterName, Caller caller) {
    if (caller.teardown()) {
      return madeFor(tags, clusterName)
          ? Optional.empty()
          : Optional.of(
              "not made by refarch for cluster "
                  + clusterName
                  + " (no "
                  + cluster
                  + "="
                  + clusterName
                  + " tag); delete it yourself if it should go");
    }
    return madeBy(tags, caller)
        ? Optional.empty()
        : Optional.of("existed before this run (adopted); a failed run deletes only what it made");
  }
}
