package io.refarch.workflow.kubernetes;

import io.refarch.spec.ClusterSpec;
import java.util.List;
import java.util.stream.Collectors;

/** What the node check expects, derived from the spec's pools. */
public final class PoolExpectations {
  private PoolExpectations() {}

  public static List<PoolExpectation> of(ClusterSpec spec) {
    return spec.nodePools().stream()
        .map(p -> new PoolExpectation(p.name(), p.gitpodLabels(), p.minNodes(), p.maxPods()))
        .toList();
  }

  public static String describe(ClusterSpec spec) {
    return "wait for Ready nodes ("
        + spec.nodePools().stream()
            .map(p -> p.name() + " >= " + p.minNodes())
            .collect(Collectors.joining(", "))
        + "), then check labels, containerd >= 1.5, kernel >= 5.4, max pods, kubelet >= 1.21";
  }
}
