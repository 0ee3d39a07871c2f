package io.refarch.activities.eks.nodegroup;

import io.refarch.activities.Failures;
import java.util.Map;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Tag;

/** {@link AutoScalingGroupTags} through the Auto Scaling API. */
public final class AwsAutoScalingGroupTags implements AutoScalingGroupTags {
  private final AutoScalingClient autoScaling;

  public AwsAutoScalingGroupTags(AutoScalingClient autoScaling) {
    this.autoScaling = autoScaling;
  }

  @Override
  public void tag(String group, Map<String, String> tags) {
    boolean exists =
        !autoScaling
            .describeAutoScalingGroups(r -> r.autoScalingGroupNames(group))
            .autoScalingGroups()
            .isEmpty();
    if (!exists) {
      // EKS names the group once the node group is ACTIVE; a group not visible yet soon is.
      throw Failures.retryable(
          Failures.NOT_READY, "Auto Scaling group " + group + " is not visible yet");
    }
    autoScaling.createOrUpdateTags(
        r ->
            r.tags(
                tags.entrySet().stream()
                    .map(
                        e ->
                            Tag.builder()
                                .resourceId(group)
                                .resourceType("auto-scaling-group")
                                .key(e.getKey())
                                .value(e.getValue())
                                // Instances get their tags from the launch template.
                                .propagateAtLaunch(false)
                                .build())
                    .toList()));
  }
}
