package io.refarch.activities.eks.nodegroup;

import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.eks.AwsErrors;
import io.refarch.activities.eks.Ownership;
import io.refarch.activities.eks.Waiter;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.FailureTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.CapacityTypes;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupStatus;

/**
 * One managed node group: its launch template (see {@link LaunchTemplates}), then the node group on
 * the private subnets, waited to ACTIVE, then its Auto Scaling group tagged as eksctl's
 * propagateASGTags does. Described first; a retried attempt resumes the wait.
 */
public final class NodeGroupReconciler {
  private final EksClient eks;
  private final Ec2Client ec2;
  private final AutoScalingGroupTags groupTags;
  private final Waiter waiter;

  public NodeGroupReconciler(
      EksClient eks, Ec2Client ec2, AutoScalingGroupTags groupTags, Waiter waiter) {
    this.eks = eks;
    this.ec2 = ec2;
    this.groupTags = groupTags;
    this.waiter = waiter;
  }

  /** What a node group should be. */
  public record NodeGroupSpec(
      String cluster,
      String name,
      String nodeRoleArn,
      List<String> subnetIds,
      int minSize,
      int maxSize,
      int desiredSize,
      Map<String, String> labels,
      Map<String, String> tags,
      RequestLaunchTemplateData launchTemplate) {

    /** The launch template's name: one per node group. */
    public String launchTemplateName() {
      return cluster + "-" + name;
    }
  }

  public Nodegroup ensure(NodeGroupSpec wanted, Heartbeat heartbeat) {
    String doing = "creating node group " + wanted.name() + " of " + wanted.cluster();
    try {
      Optional<Nodegroup> existing = find(wanted.cluster(), wanted.name());
      if (existing.isEmpty()) {
        LaunchTemplate template = ensureLaunchTemplate(wanted);
        try {
          eks.createNodegroup(
              r ->
                  r.clusterName(wanted.cluster())
                      .nodegroupName(wanted.name())
                      .nodeRole(wanted.nodeRoleArn())
                      .subnets(wanted.subnetIds())
                      .scalingConfig(
                          s ->
                              s.minSize(wanted.minSize())
                                  .maxSize(wanted.maxSize())
                                  .desiredSize(wanted.desiredSize()))
                      .labels(wanted.labels())
                      .tags(wanted.tags())
                      .capacityType(CapacityTypes.ON_DEMAND)
                      .launchTemplate(
                          l ->
                              l.id(template.launchTemplateId())
                                  .version(String.valueOf(template.latestVersionNumber()))));
        } catch (SdkException e) {
          if (!AwsErrors.isAlreadyExists(e) || find(wanted.cluster(), wanted.name()).isEmpty()) {
            throw e;
          }
        }
      } else {
        check(existing.get(), wanted);
      }
      Nodegroup active =
          waiter.until(
              heartbeat,
              "eks.CREATE_NODEGROUP",
              "waiting for node group " + wanted.name() + " to be ACTIVE",
              () -> {
                Nodegroup n =
                    find(wanted.cluster(), wanted.name())
                        .orElseThrow(
                            () ->
                                Failures.retryable(
                                    Failures.NOT_READY,
                                    "node group " + wanted.name() + " disappeared while creating"));
                if (n.status() == NodegroupStatus.CREATE_FAILED
                    || n.status() == NodegroupStatus.DEGRADED
                    || n.status() == NodegroupStatus.DELETE_FAILED) {
                  throw Failures.permanent(
                      FailureTypes.OPERATION_FAILED,
                      "node group "
                          + wanted.name()
                          + " is "
                          + n.status()
                          + (n.health() == null ? "" : ": " + n.health().issues()));
                }
                if (n.status() == NodegroupStatus.DELETING) {
                  throw Failures.retryable(
                      Failures.NOT_READY,
                      "node group " + wanted.name() + " is being deleted; trying again");
                }
                return n.status() == NodegroupStatus.ACTIVE ? Optional.of(n) : Optional.empty();
              });
      propagateTags(active, wanted);
      return active;
    } catch (SdkException e) {
      throw AwsErrors.translate(doing, e);
    }
  }

  public Deletion delete(String cluster, String name, Caller caller, Heartbeat heartbeat) {
    String doing = "deleting node group " + name + " of " + cluster;
    try {
      Optional<Nodegroup> existing = find(cluster, name);
      if (existing.isPresent()) {
        Optional<String> keep = Ownership.keepReason(existing.get().tags(), cluster, caller);
        if (keep.isPresent()) {
          return Deletion.kept("node group " + name + ": " + keep.get());
        }
        if (existing.get().status() != NodegroupStatus.DELETING) {
          try {
            eks.deleteNodegroup(r -> r.clusterName(cluster).nodegroupName(name));
          } catch (SdkException e) {
            if (!AwsErrors.isNotFound(e)) {
              throw e;
            }
          }
        }
        waiter.until(
            heartbeat,
            "eks.DELETE_NODEGROUP",
            "waiting for node group " + name + " to be deleted",
            () -> {
              Optional<Nodegroup> now = find(cluster, name);
              if (now.isPresent() && now.get().status() == NodegroupStatus.DELETE_FAILED) {
                throw Failures.permanent(
                    FailureTypes.OPERATION_FAILED,
                    "node group "
                        + name
                        + " could not be deleted"
                        + (now.get().health() == null ? "" : ": " + now.get().health().issues()));
              }
              return now.isEmpty() ? Optional.of(true) : Optional.empty();
            });
      }
      String templateName = cluster + "-" + name;
      Optional<LaunchTemplate> template = findLaunchTemplate(templateName);
      if (template.isPresent()) {
        Optional<String> keep = Ownership.keepReason(map(template.get().tags()), cluster, caller);
        if (keep.isPresent()) {
          return Deletion.kept("launch template " + templateName + ": " + keep.get());
        }
        try {
          ec2.deleteLaunchTemplate(r -> r.launchTemplateName(templateName));
        } catch (SdkException e) {
          if (!AwsErrors.isNotFound(e)) {
            throw e;
          }
        }
      }
      return Deletion.DELETED;
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        // The cluster itself is gone, and its node groups with it.
        return Deletion.DELETED;
      }
      throw AwsErrors.translate(doing, e);
    }
  }

  private LaunchTemplate ensureLaunchTemplate(NodeGroupSpec wanted) {
    Optional<LaunchTemplate> existing = findLaunchTemplate(wanted.launchTemplateName());
    if (existing.isPresent()) {
      if (!Ownership.madeFor(map(existing.get().tags()), wanted.cluster())) {
        throw Failures.permanent(
            FailureTypes.SPEC_MISMATCH,
            "launch template "
                + wanted.launchTemplateName()
                + " exists but was not made by refarch for cluster "
                + wanted.cluster());
      }
      return existing.get();
    }
    List<Tag> tags = new ArrayList<>();
    wanted.tags().forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
    return ec2.createLaunchTemplate(
            r ->
                r.launchTemplateName(wanted.launchTemplateName())
                    .launchTemplateData(wanted.launchTemplate())
                    .tagSpecifications(
                        t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE).tags(tags)))
        .launchTemplate();
  }

  /**
   * eksctl's propagateASGTags: the node group's tags and its labels as node-template tags on the
   * Auto Scaling group EKS made for it, so the cluster autoscaler can scale it from zero.
   */
  private void propagateTags(Nodegroup group, NodeGroupSpec wanted) {
    if (group.resources() == null || group.resources().autoScalingGroups() == null) {
      return;
    }
    Map<String, String> tags = NodeGroupTags.forAutoScalingGroup(wanted.tags(), wanted.labels());
    group.resources().autoScalingGroups().forEach(asg -> groupTags.tag(asg.name(), tags));
  }

  private static void check(Nodegroup n, NodeGroupSpec wanted) {
    if (!Ownership.madeFor(n.tags(), wanted.cluster())) {
      throw Failures.permanent(
          FailureTypes.SPEC_MISMATCH,
          "node group "
              + wanted.name()
              + " exists but was not made by refarch for cluster "
              + wanted.cluster());
    }
    List<String> differences = new ArrayList<>();
    if (n.scalingConfig() != null) {
      if (n.scalingConfig().minSize() != wanted.minSize()) {
        differences.add(
            "minSize " + n.scalingConfig().minSize() + " (spec: " + wanted.minSize() + ")");
      }
      if (n.scalingConfig().maxSize() != wanted.maxSize()) {
        differences.add(
            "maxSize " + n.scalingConfig().maxSize() + " (spec: " + wanted.maxSize() + ")");
      }
    }
    Map<String, String> labels = n.labels() == null ? Map.of() : n.labels();
    if (!labels.equals(wanted.labels())) {
      differences.add("labels " + labels + " (spec: " + wanted.labels() + ")");
    }
    if (!differences.isEmpty()) {
      throw Failures.permanent(
          FailureTypes.SPEC_MISMATCH,
          "node group " + wanted.name() + " differs from the spec: " + differences);
    }
  }

  private Optional<Nodegroup> find(String cluster, String name) {
    try {
      return Optional.of(
          eks.describeNodegroup(r -> r.clusterName(cluster).nodegroupName(name)).nodegroup());
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private Optional<LaunchTemplate> findLaunchTemplate(String name) {
    try {
      return ec2
          .describeLaunchTemplates(r -> r.launchTemplateNames(name))
          .launchTemplates()
          .stream()
          .findFirst();
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static Map<String, String> map(List<Tag> tags) {
    Map<String, String> m = new LinkedHashMap<>();
    if (tags != null) {
      tags.forEach(t -> m.put(t.key(), t.value()));
    }
    return m;
  }
}
