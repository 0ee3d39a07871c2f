package io.refarch.sandbox.aws.eks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.aws.ec2.Ec2;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.kube.KubeStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An EKS node's max pods comes from its node group's launch template user data, as on EKS, unless
 * it joined while the VPC CNI ran.
 */
class EksNodesMaxPodsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final Ec2 ec2 = new Ec2(Clock.systemUTC(), Latency.flat(Duration.ZERO), () -> {});

  ObjectNode groupWithUserData(String name, String userData) {
    ObjectNode data = JSON.createObjectNode();
    if (userData != null) {
      data.put(
          "UserData",
          Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)));
    }
    String id = ec2.createLaunchTemplate("eu-west-1", name, data, Map.of()).id;
    ObjectNode group = JSON.createObjectNode();
    group.putObject("launchTemplate").put("id", id).put("version", "1");
    return group;
  }

  @Test
  void bootstrapScriptNodeConfigAndTheKubeletDefault() {
    ObjectNode bootstrap =
        groupWithUserData(
            "bootstrap",
            "#!/bin/bash\n/etc/eks/bootstrap.sh gitpod --kubelet-extra-args '--max-pods=60'"
                + " --use-max-pods false\n");
    ObjectNode nodeConfig =
        groupWithUserData(
            "nodeconfig",
            "MIME-Version: 1.0\n--//\nkind: NodeConfig\nspec:\n  kubelet:\n    config:\n"
                + "      maxPods: 110\n--//--\n");
    ObjectNode silent = groupWithUserData("silent", "#!/bin/bash\necho hi\n");

    assertThat(maxPods(bootstrap)).isEqualTo(60);
    assertThat(maxPods(nodeConfig)).isEqualTo(110);
    assertThat(maxPods(silent)).isEqualTo(EksNodes.KUBELET_DEFAULT_MAX_PODS);
    assertThat(maxPods(JSON.createObjectNode()))
        .as("no launch template")
        .isEqualTo(EksNodes.KUBELET_DEFAULT_MAX_PODS);
  }

  int maxPods(ObjectNode group) {
    return EksNodes.maxPods(EksNodes.launchTemplateData(group, "eu-west-1", ec2));
  }

  /**
   * The seed's reason for its order: a node that joins while the VPC CNI (aws-node) runs gets its
   * instance type's ENI-bound max pods whatever the user data says; once aws-node is gone and
   * Calico's Installation exists, the user data's 110.
   */
  @Test
  void nodesJoiningWithTheVpcCniGetTheEniLimitAndWithCalicoTheUserData() {
    KubeStore store = new KubeStore();
    EksAddons.bootstrap(store, "eu-west-1", "1.22");
    assertThat(EksNodes.podNetwork(store)).as("a new cluster runs aws-node").isEqualTo("aws-node");
    store.delete(EksNodes.DAEMON_SETS, "kube-system", "aws-node");
    assertThat(EksNodes.podNetwork(store)).as("no CNI in between").isEqualTo("none");
    ObjectNode installation = JSON.createObjectNode();
    installation.putObject("metadata").put("name", "default");
    store.create(EksNodes.INSTALLATIONS, null, installation);
    assertThat(EksNodes.podNetwork(store)).isEqualTo("calico");

    ObjectNode cluster = JSON.createObjectNode();
    cluster.put("arn", "arn:aws:eks:eu-west-1:000000000000:cluster/gitpod").put("version", "1.22");
    ObjectNode group =
        groupWithUserData(
            "services",
            "#!/bin/bash\n/etc/eks/bootstrap.sh gitpod --kubelet-extra-args '--max-pods=110'\n");
    group.put("nodegroupName", "services").putArray("instanceTypes").add("m6i.xlarge");
    group.putObject("scalingConfig").put("desiredSize", 1);

    assertThat(EksNodes.of(cluster, group, ec2, "aws-node").get(0).pods()).isEqualTo(58);
    assertThat(EksNodes.of(cluster, group, ec2, "calico").get(0).pods()).isEqualTo(110);
    group.putArray("instanceTypes").add("m6i.2xlarge");
    assertThat(EksNodes.of(cluster, group, ec2, "aws-node").get(0).pods()).isEqualTo(58);
    group.putArray("instanceTypes").add("m5.large");
    assertThat(EksNodes.of(cluster, group, ec2, "aws-node").get(0).pods()).isEqualTo(29);
  }
}
