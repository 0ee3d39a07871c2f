package io.refarch.sandbox.aws.autoscaling;

import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.aws.core.AwsProtocol;
import io.refarch.sandbox.aws.core.AwsRequest;
import io.refarch.sandbox.aws.core.AwsService;
import io.refarch.sandbox.aws.core.FormParams;
import io.refarch.sandbox.aws.core.QueryAnswer;
import io.refarch.sandbox.aws.core.XmlWriter;
import io.refarch.sandbox.aws.ec2.Ec2;
import io.refarch.sandbox.aws.ec2.Ec2Network;
import io.refarch.sandbox.aws.eks.Eks;
import io.refarch.sandbox.core.Faults;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EC2 Auto Scaling over Query, for the groups EKS node groups run on (the only groups there are
 * here): DescribeAutoScalingGroups (by name, or {@code tag:KEY}/{@code tag-key} filters) and
 * CreateOrUpdateTags, with which eksctl tags a group for the cluster autoscaler. A group's sizes
 * are its node group's scaling config; it has no instances.
 */
public final class AutoScaling implements AwsService {

  private static final String XMLNS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

  public static final Set<String> ACTIONS =
      Set.of("DescribeAutoScalingGroups", "CreateOrUpdateTags");

  private final Eks eks;
  private final Ec2 ec2;
  private final Faults faults;
  private final String account;

  public AutoScaling(Eks eks, Ec2 ec2, Faults faults, String account) {
    this.eks = eks;
    this.ec2 = ec2;
    this.faults = faults;
    this.account = account;
  }

  @Override
  public String signingName() {
    return "autoscaling";
  }

  @Override
  public AwsProtocol protocol() {
    return AwsProtocol.QUERY;
  }

  @Override
  public String handle(AwsRequest request) {
    FormParams p = request.form();
    String action = p.require("Action");
    String region = request.region();
    if (!ACTIONS.contains(action)) {
      throw AwsError.client(
          "InvalidAction", "Could not find operation " + action + " for version 2011-01-01");
    }
    if (action.equals("CreateOrUpdateTags")) {
      Map<String, Map<String, String>> byGroup = new LinkedHashMap<>();
      for (FormParams tag : p.structs("Tags.member")) {
        byGroup
            .computeIfAbsent(tag.require("ResourceId"), k -> new LinkedHashMap<>())
            .put(tag.require("Key"), tag.get("Value", ""));
      }
      faults.check(action, byGroup.keySet().toArray(String[]::new));
      byGroup.forEach((group, tags) -> eks.tagAutoScalingGroup(region, group, tags));
      return QueryAnswer.empty(action, XMLNS);
    }
    List<String> names = p.list("AutoScalingGroupNames.member");
    faults.check(action, names.toArray(String[]::new));
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (FormParams f : p.structs("Filters.member")) {
      filters.put(f.require("Name"), f.list("Values.member"));
    }
    List<Map.Entry<String, Eks.Nodegroup>> groups = new ArrayList<>();
    eks.autoScalingGroups(region)
        .forEach(
            (name, group) -> {
              if (!names.isEmpty() && !names.contains(name)) {
                return;
              }
              if (filters.entrySet().stream().allMatch(f -> matches(name, group, f))) {
                groups.add(Map.entry(name, group));
              }
            });
    return QueryAnswer.of(
        action,
        XMLNS,
        x -> {
          x.start("AutoScalingGroups");
          groups.forEach(g -> group(x.start("member"), region, g.getKey(), g.getValue()).end());
          x.end();
        });
  }

  private static boolean matches(
      String name, Eks.Nodegroup group, Map.Entry<String, List<String>> filter) {
    String key = filter.getKey();
    List<String> values = filter.getValue();
    if (key.equals("auto-scaling-group")) {
      return values.contains(name);
    }
    if (key.equals("tag-key")) {
      return values.stream().anyMatch(group.autoScalingGroupTags::containsKey);
    }
    if (key.equals("tag-value")) {
      return values.stream().anyMatch(group.autoScalingGroupTags::containsValue);
    }
    if (key.startsWith("tag:")) {
      return values.contains(group.autoScalingGroupTags.get(key.substring(4)));
    }
    throw AwsError.client("ValidationError", "Filter name " + key + " is not supported.");
  }

  private XmlWriter group(XmlWriter x, String region, String name, Eks.Nodegroup group) {
    var nodegroup = group.nodegroup;
    var scaling = nodegroup.path("scalingConfig");
    List<String> subnets = new ArrayList<>();
    nodegroup.path("subnets").forEach(s -> subnets.add(s.asText()));
    x.leaf("AutoScalingGroupName", name)
        .leaf(
            "AutoScalingGroupARN",
            "arn:aws:autoscaling:"
                + region
                + ":"
                + account
                + ":autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/"
                + name)
        .leaf("MinSize", scaling.path("minSize").asInt())
        .leaf("MaxSize", scaling.path("maxSize").asInt())
        .leaf("DesiredCapacity", scaling.path("desiredSize").asInt())
        .leaf("DefaultCooldown", 300)
        .start("AvailabilityZones");
    subnets.stream()
        .map(ec2::subnet)
        .flatMap(java.util.Optional::stream)
        .map((Ec2Network.Subnet s) -> s.availabilityZone)
        .distinct()
        .forEach(z -> x.leaf("member", z));
    x.end()
        .leaf("HealthCheckType", "EC2")
        .leaf("HealthCheckGracePeriod", 15)
        .start("Instances")
        .end()
        .leaf(
            "CreatedTime",
            Instant.ofEpochMilli(Math.round(nodegroup.path("createdAt").asDouble() * 1000)))
        .leaf("VPCZoneIdentifier", String.join(",", subnets))
        .start("Tags");
    group.autoScalingGroupTags.forEach(
        (k, v) ->
            x.start("member")
                .leaf("ResourceId", name)
                .leaf("ResourceType", "auto-scaling-group")
                .leaf("Key", k)
                .leaf("Value", v)
                .leaf("PropagateAtLaunch", "true")
                .end());
    return x.end()
        .leaf(
            "ServiceLinkedRoleARN",
            "arn:aws:iam::"
                + account
                + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
  }
}
