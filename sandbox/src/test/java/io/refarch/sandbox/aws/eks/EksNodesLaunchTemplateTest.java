package io.refarch.sandbox.aws.eks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.aws.ec2.Ec2;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.kube.NodeObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node of a group with a launch template runs on the template's instance type and root volume, as
 * {@code kubectl get nodes} shows on EKS (the AWS CLI oracle found m5.large where the template said
 * m6i.xlarge).
 */
class EksNodesLaunchTemplateTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final Ec2 ec2 = new Ec2(Clock.systemUTC(), Latency.flat(Duration.ZERO), () -> {});

  ObjectNode cluster() {
    return JSON.createObjectNode()
        .put("arn", "arn:aws:eks:eu-west-1:000000000000:cluster/gitpod")
        .put("version", "1.22");
  }

  ObjectNode group(String name) {
    ObjectNode group = JSON.createObjectNode().put("nodegroupName", name).put("modifiedAt", 1.7e9);
    group.putObject("scalingConfig").put("desiredSize", 2);
    return group;
  }

  @Test
  void theLaunchTemplatesInstanceTypeAndVolumeElseTheGroupsOwn() {
    ObjectNode data = JSON.createObjectNode().put("InstanceType", "m6i.xlarge");
    data.putArray("BlockDeviceMappings")
        .addObject()
        .put("DeviceName", "/dev/sda1")
        .putObject("Ebs")
        .put("VolumeSize", 300)
        .put("VolumeType", "gp3");
    String id = ec2.createLaunchTemplate("eu-west-1", "gitpod-services", data, Map.of()).id;
    ObjectNode withTemplate = group("services");
    withTemplate.putObject("launchTemplate").put("id", id).put("version", "1");

    ObjectNode withoutTemplate = group("plain").put("diskSize", 50);
    withoutTemplate.putArray("instanceTypes").add("t3.large");

    List<NodeObject> templated = EksNodes.of(cluster(), withTemplate, ec2, "calico");
    assertThat(templated)
        .hasSize(2)
        .allSatisfy(
            n -> {
              assertThat(n.labels())
                  .containsEntry("node.kubernetes.io/instance-type", "m6i.xlarge");
              assertThat(n.diskGb()).isEqualTo(300);
            });
    assertThat(EksNodes.of(cluster(), withoutTemplate, ec2, "calico"))
        .allSatisfy(
            n -> {
              assertThat(n.labels()).containsEntry("node.kubernetes.io/instance-type", "t3.large");
              assertThat(n.diskGb()).isEqualTo(50);
            });
  }
}
