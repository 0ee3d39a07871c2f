package io.refarch.activities.eks.nodegroup;

import java.util.Map;

/** Tags on the Auto Scaling group EKS made for a node group (eksctl's propagateASGTags). */
@FunctionalInterface
public interface AutoScalingGroupTags {
  void tag(String autoScalingGroup, Map<String, String> tags);
}
