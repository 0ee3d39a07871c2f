package io.refarch.activities.eks.nodegroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.spec.NodePool;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;

/** Launch template data, user data, image parameters and tags of the seed's node groups. */
class NodeGroupPartsTest {
  private static final Map<String, String> LABELS = new LinkedHashMap<>();

  static {
    LABELS.put("gitpod.io/workload_meta", "true");
    LABELS.put("gitpod.io/workload_ide", "true");
  }

  private static final NodePool SERVICES =
      new NodePool("services", "m6i.xlarge", 1, 4, 2, "gp3", 300, 6000, 500, LABELS, 110);

  private static final UserData.ClusterInfo CLUSTER =
      new UserData.ClusterInfo(
          "gitpod", "https://ABC.gr7.eu-west-1.eks.amazonaws.com", "Q0E=", "10.100.0.0/16");

  @Test
  void launchTemplateCarriesTheSeedsVolumeImdsAndEbsOptimization() {
    RequestLaunchTemplateData data =
        LaunchTemplates.data(SERVICES, "Ubuntu2004", "ami-1", "dXNlcmRhdGE=", Map.of("k", "v"));
    assertThat(data.instanceTypeAsString()).isEqualTo("m6i.xlarge");
    assertThat(data.imageId()).isEqualTo("ami-1");
    assertThat(data.ebsOptimized()).isTrue();
    LaunchTemplateBlockDeviceMappingRequest root = data.blockDeviceMappings().get(0);
    assertThat(root.deviceName()).isEqualTo("/dev/sda1");
    assertThat(root.ebs().volumeSize()).isEqualTo(300);
    assertThat(root.ebs().volumeTypeAsString()).isEqualTo("gp3");
    assertThat(root.ebs().iops()).isEqualTo(6000);
    assertThat(root.ebs().throughput()).isEqualTo(500);
    assertThat(root.ebs().deleteOnTermination()).isTrue();
    // disableIMDSv1: false — v1 still answers; hop limit 2 lets pods reach it.
    assertThat(data.metadataOptions().httpTokensAsString()).isEqualTo("optional");
    assertThat(data.metadataOptions().httpPutResponseHopLimit()).isEqualTo(2);
    assertThat(data.userData()).isEqualTo("dXNlcmRhdGE=");
    assertThat(data.tagSpecifications())
        .extracting(t -> t.resourceTypeAsString())
        .containsExactly("instance", "volume");
    assertThat(LaunchTemplates.rootDevice("AmazonLinux2023")).isEqualTo("/dev/xvda");
  }

  @Test
  void ubuntuUserDataRunsTheSeedsPreBootstrapCommandsThenBootstrapWithMaxPods110() {
    String script = UserData.script("Ubuntu2004", CLUSTER, 110, LABELS);
    assertThat(script).startsWith("#!/bin/bash\n");
    int pre = script.indexOf("echo \"export USE_MAX_PODS=false\" >> /etc/profile.d/bootstrap.sh");
    assertThat(pre).isPositive();
    assertThat(script)
        .contains("echo \"export CONTAINER_RUNTIME=containerd\" >> /etc/profile.d/bootstrap.sh")
        .contains(
            "sed -i '/^set -o errexit/a\\\\nsource /etc/profile.d/bootstrap.sh'"
                + " /etc/eks/bootstrap.sh");
    int bootstrap = script.indexOf("/etc/eks/bootstrap.sh 'gitpod'");
    assertThat(bootstrap).isGreaterThan(pre);
    assertThat(script)
        .contains("--apiserver-endpoint 'https://ABC.gr7.eu-west-1.eks.amazonaws.com'")
        .contains("--b64-cluster-ca 'Q0E='")
        .contains("--use-max-pods false")
        .contains(
            "--kubelet-extra-args '--max-pods=110"
                + " --node-labels=gitpod.io/workload_ide=true,gitpod.io/workload_meta=true'");
    String decoded =
        new String(
            Base64.getDecoder().decode(UserData.base64("Ubuntu2004", CLUSTER, 110, LABELS)),
            StandardCharsets.UTF_8);
    assertThat(decoded).isEqualTo(script);
  }

  @Test
  void amazonLinux2023JoinsWithANodeConfigSettingMaxPods() {
    String data = UserData.script("AmazonLinux2023", CLUSTER, 110, LABELS);
    assertThat(data)
        .contains("Content-Type: application/node.eks.aws")
        .contains("kind: NodeConfig")
        .contains("name: \"gitpod\"")
        .contains("cidr: \"10.100.0.0/16\"")
        .contains("maxPods: 110")
        .contains("--node-labels=gitpod.io/workload_ide=true,gitpod.io/workload_meta=true")
        .doesNotContain("/etc/eks/bootstrap.sh");
  }

  @Test
  void shellQuotingSurvivesAQuote() {
    assertThat(UserData.quote("it's")).isEqualTo("'it'\\''s'");
  }

  @Test
  void imagesComeFromCanonicalsAndAmazonsSsmParameters() {
    assertThat(SsmNodeImages.parameter("Ubuntu2004", "1.22", "x86_64"))
        .isEqualTo(
            "/aws/service/canonical/ubuntu/eks/20.04/1.22/stable/current/amd64/hvm/ebs-gp2/ami-id");
    assertThat(SsmNodeImages.parameter("AmazonLinux2023", "1.30", "arm64"))
        .isEqualTo(
            "/aws/service/eks/optimized-ami/1.30/amazon-linux-2023/arm64/standard/recommended/image_id");
    assertThat(NodeImages.architecture("m6i.2xlarge")).isEqualTo("x86_64");
    assertThat(NodeImages.architecture("m6g.xlarge")).isEqualTo("arm64");
    assertThat(NodeImages.architecture("c7gn.large")).isEqualTo("arm64");
  }

  @Test
  void nodeGroupsCarryTheAutoscalerTagsAndTheirGroupsTheNodeTemplateLabels() {
    Map<String, String> tags = NodeGroupTags.autoscaler("gitpod");
    assertThat(tags)
        .containsEntry("k8s.io/cluster-autoscaler/enabled", "true")
        .containsEntry("k8s.io/cluster-autoscaler/gitpod", "owned");
    assertThat(NodeGroupTags.forAutoScalingGroup(tags, LABELS))
        .containsEntry("k8s.io/cluster-autoscaler/enabled", "true")
        .containsEntry(
            "k8s.io/cluster-autoscaler/node-template/label/gitpod.io/workload_ide", "true");
  }
}
