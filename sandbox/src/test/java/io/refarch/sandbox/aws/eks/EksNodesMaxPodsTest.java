package io.refarch.sandbox.aws.eks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.aws.ec2.Ec2;
import io.refarch.sandbox.core.Latency;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An EKS node's max pods comes from its node group's launch template user data, as on EKS. */
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

    assertThat(EksNodes.maxPods(bootstrap, "eu-west-1", ec2)).isEqualTo(60);
    assertThat(EksNodes.maxPods(nodeConfig, "eu-west-1", ec2)).isEqualTo(110);
    assertThat(EksNodes.maxPods(silent, "eu-west-1", ec2))
        .isEqualTo(EksNodes.KUBELET_DEFAULT_MAX_PODS);
    assertThat(EksNodes.maxPods(JSON.createObjectNode(), "eu-west-1", ec2))
        .as("no launch template")
        .isEqualTo(EksNodes.KUBELET_DEFAULT_MAX_PODS);
  }
}
