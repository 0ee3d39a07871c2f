package io.refarch.workflow.kubernetes;

import java.util.List;

/**
 * The node check's table, the columns of the seed's {@code kubectl get nodes -o custom-columns},
 * plus each node's pool and the requirements it falls short of (empty when it passes).
 */
public record NodeReport(List<Node> nodes) {

  public record Node(
      String name,
      String pool,
      String runtime,
      String maxPods,
      String kernel,
      String osImage,
      String kubelet,
      String providerId,
      boolean ready,
      List<String> problems) {}

  public boolean passed() {
    return nodes.stream().allMatch(n -> n.problems().isEmpty());
  }
}
