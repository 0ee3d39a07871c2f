package io.refarch.activities.eks.nodegroup;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A node's user data, as eksctl writes it for a managed node group on a custom AMI (EKS adds
 * nothing then: the script must join the node itself). Ubuntu and Amazon Linux 2 run the seed's
 * preBootstrapCommands, then {@code /etc/eks/bootstrap.sh} with max pods {@code maxPods} and the
 * node labels; Amazon Linux 2023 joins with a nodeadm NodeConfig instead.
 */
public final class UserData {
  /**
   * The seed's preBootstrapCommands: bootstrap.sh must not derive max pods from the ENI limits (the
   * VPC CNI's), and must use containerd.
   */
  public static final List<String> SEED_PRE_BOOTSTRAP =
      List.of(
          "echo \"export USE_MAX_PODS=false\" >> /etc/profile.d/bootstrap.sh",
          "echo \"export CONTAINER_RUNTIME=containerd\" >> /etc/profile.d/bootstrap.sh",
          "sed -i '/^set -o errexit/a\\\\nsource /etc/profile.d/bootstrap.sh' /etc/eks/bootstrap.sh");

  /** What a node needs to join: the cluster's name, endpoint, CA (base64) and service CIDR. */
  public record ClusterInfo(String name, String endpoint, String caBase64, String serviceCidr) {}

  private UserData() {}

  /** The user data, base64-encoded as the launch template takes it. */
  public static String base64(
      String amiFamily, ClusterInfo cluster, int maxPods, Map<String, String> labels) {
    return Base64.getEncoder()
        .encodeToString(
            script(amiFamily, cluster, maxPods, labels).getBytes(StandardCharsets.UTF_8));
  }

  public static String script(
      String amiFamily, ClusterInfo cluster, int maxPods, Map<String, String> labels) {
    return amiFamily.equals("AmazonLinux2023")
        ? nodeConfig(cluster, maxPods, labels)
        : bootstrapScript(cluster, maxPods, labels);
  }

  static String bootstrapScript(ClusterInfo cluster, int maxPods, Map<String, String> labels) {
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/bash\n");
    s.append("set -o errexit\nset -o pipefail\nset -o nounset\n\n");
    for (String command : SEED_PRE_BOOTSTRAP) {
      s.append(command).append('\n');
    }
    String kubeletArgs = "--max-pods=" + maxPods;
    if (!labels.isEmpty()) {
      kubeletArgs += " --node-labels=" + labelList(labels);
    }
    s.append("\n/etc/eks/bootstrap.sh ")
        .append(quote(cluster.name()))
        .append(" --apiserver-endpoint ")
        .append(quote(cluster.endpoint()))
        .append(" --b64-cluster-ca ")
        .append(quote(cluster.caBase64()))
        .append(" --container-runtime containerd")
        .append(" --use-max-pods false")
        .append(" --kubelet-extra-args ")
        .append(quote(kubeletArgs))
        .append('\n');
    return s.toString();
  }

  static String nodeConfig(ClusterInfo cluster, int maxPods, Map<String, String> labels) {
    StringBuilder s = new StringBuilder();
    s.append("MIME-Version: 1.0\n");
    s.append("Content-Type: multipart/mixed; boundary=\"//\"\n\n");
    s.append("--//\n");
    s.append("Content-Type: application/node.eks.aws\n\n");
    s.append("---\n");
    s.append("apiVersion: node.eks.aws/v1alpha1\n");
    s.append("kind: NodeConfig\n");
    s.append("spec:\n");
    s.append("  cluster:\n");
    s.append("    name: ").append(yaml(cluster.name())).append('\n');
    s.append("    apiServerEndpoint: ").append(yaml(cluster.endpoint())).append('\n');
    s.append("    certificateAuthority: ").append(yaml(cluster.caBase64())).append('\n');
    s.append("    cidr: ").append(yaml(cluster.serviceCidr())).append('\n');
    s.append("  kubelet:\n");
    s.append("    config:\n");
    s.append("      maxPods: ").append(maxPods).append('\n');
    if (!labels.isEmpty()) {
      s.append("    flags:\n");
      s.append("      - ").append(yaml("--node-labels=" + labelList(labels))).append('\n');
    }
    s.append("\n--//--\n");
    return s.toString();
  }

  private static String labelList(Map<String, String> labels) {
    return new java.util.TreeMap<>(labels)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }

  /** A shell word in single quotes. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String yaml(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
