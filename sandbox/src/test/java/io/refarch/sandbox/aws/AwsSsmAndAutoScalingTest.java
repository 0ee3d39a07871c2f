package io.refarch.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.waiters.EksWaiter;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** SSM's AMI parameters over JSON 1.1 and the node groups' Auto Scaling groups over Query. */
class AwsSsmAndAutoScalingTest {

  @TempDir Path state;
  Sandbox sandbox;

  @BeforeEach
  void start() throws Exception {
    sandbox =
        Sandbox.start(SandboxOptions.defaults(state).withOperationDuration(Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void amiParametersOfEksNodes() {
    try (SsmClient ssm = AwsClients.ssm(sandbox)) {
      String ubuntu =
          "/aws/service/canonical/ubuntu/eks/20.04/1.31/stable/current/amd64/hvm/ebs-gp2/ami-id";
      String al2023 =
          "/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id";
      var parameter = ssm.getParameter(r -> r.name(ubuntu)).parameter();
      assertThat(parameter.name()).isEqualTo(ubuntu);
      assertThat(parameter.value()).matches("ami-[0-9a-f]{17}");
      // The same parameter names the same image each time; another names another.
      assertThat(ssm.getParameter(r -> r.name(ubuntu)).parameter().value())
          .isEqualTo(parameter.value());
      assertThat(ssm.getParameter(r -> r.name(al2023)).parameter().value())
          .matches("ami-[0-9a-f]{17}")
          .isNotEqualTo(parameter.value());

      assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/aws/service/nothing/here")))
          .isInstanceOfSatisfying(
              ParameterNotFoundException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ParameterNotFound");
              });
    }
  }

  @Test
  void nodeGroupsAutoScalingGroupsCanBeFoundAndTagged() throws Exception {
    try (IamClient iam = AwsClients.iam(sandbox);
        Ec2Client ec2 = AwsClients.ec2(sandbox);
        EksClient eks = AwsClients.eks(sandbox);
        AutoScalingClient autoScaling = AwsClients.autoScaling(sandbox);
        EksWaiter waiter =
            EksWaiter.builder()
                .client(eks)
                .overrideConfiguration(AwsClients.quickWaiter())
                .build()) {
      AwsClients.ClusterNetwork network = AwsClients.clusterNetwork(iam, ec2);
      String role = network.roleArn();
      List<String> subnets = network.subnets();
      eks.createCluster(
          r -> r.name("gitpod").roleArn(role).resourcesVpcConfig(v -> v.subnetIds(subnets)));
      waiter.waitUntilClusterActive(r -> r.name("gitpod"));
      String asg =
          eks.createNodegroup(
                  r ->
                      r.clusterName("gitpod")
                          .nodegroupName("workspaces")
                          .nodeRole(role)
                          .subnets(subnets)
                          .scalingConfig(s -> s.minSize(1).maxSize(10).desiredSize(2)))
              .nodegroup()
              .resources()
              .autoScalingGroups()
              .get(0)
              .name();

      AutoScalingGroup group =
          autoScaling
              .describeAutoScalingGroups(r -> r.autoScalingGroupNames(asg))
              .autoScalingGroups()
              .get(0);
      assertThat(group.autoScalingGroupName()).isEqualTo(asg);
      assertThat(group.minSize()).isEqualTo(1);
      assertThat(group.maxSize()).isEqualTo(10);
      assertThat(group.desiredCapacity()).isEqualTo(2);
      assertThat(group.availabilityZones()).containsExactly("us-east-1a", "us-east-1b");
      assertThat(group.vpcZoneIdentifier()).isEqualTo(String.join(",", subnets));
      assertThat(group.tags())
          .extracting(TagDescription::key)
          .contains("eks:cluster-name", "eks:nodegroup-name", "k8s.io/cluster-autoscaler/enabled");

      // eksctl's way to let the cluster autoscaler scale from zero: node labels as group tags.
      autoScaling.createOrUpdateTags(
          r ->
              r.tags(
                  Tag.builder()
                      .resourceId(asg)
                      .resourceType("auto-scaling-group")
                      .key(
                          "k8s.io/cluster-autoscaler/node-template/label/gitpod.io/workload_workspace_regular")
                      .value("true")
                      .propagateAtLaunch(false)
                      .build()));
      List<AutoScalingGroup> byTag =
          autoScaling
              .describeAutoScalingGroups(
                  r ->
                      r.filters(
                          Filter.builder()
                              .name("tag:eks:nodegroup-name")
                              .values("workspaces")
                              .build()))
              .autoScalingGroups();
      assertThat(byTag)
          .singleElement()
          .satisfies(
              g ->
                  assertThat(tagMap(g))
                      .containsEntry(
                          "k8s.io/cluster-autoscaler/node-template/label/gitpod.io/workload_workspace_regular",
                          "true"));
      assertThat(
              autoScaling
                  .describeAutoScalingGroups(
                      r ->
                          r.filters(
                              Filter.builder()
                                  .name("tag:eks:nodegroup-name")
                                  .values("other")
                                  .build()))
                  .autoScalingGroups())
          .isEmpty();
    }
  }

  static Map<String, String> tagMap(AutoScalingGroup group) {
    return group.tags().stream()
        .collect(java.util.stream.Collectors.toMap(TagDescription::key, TagDescription::value));
  }
}
