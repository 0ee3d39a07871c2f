package io.refarch.activities.eks.nodegroup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags of a node group beyond the ownership ones: the seed's cluster-autoscaler tags (which
 * groups the autoscaler may scale) and, with propagateASGTags, the node-template label tags that
 * let the autoscaler scale a group up from zero nodes.
 */
public final class NodeGroupTags {
  private NodeGroupTags() {}

  public static Map<String, String> autoscaler(String cluster) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("k8s.io/cluster-autoscaler/enabled", "true");
    tags.put("k8s.io/cluster-autoscaler/" + cluster, "owned");
    return tags;
  }

  /** What eksctl's propagateASGTags puts on the Auto Scaling group. */
  public static Map<String, String> forAutoScalingGroup(
      Map<String, String> nodeGroupTags, Map<String, String> labels) {
    Map<String, String> tags = new LinkedHashMap<>(nodeGroupTags);
    labels.forEach((k, v) -> tags.put("k8s.io/cluster-autoscaler/node-template/label/" + k, v));
    return tags;
  }
}
