package io.refarch.activities.kubernetes.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import io.refarch.workflow.kubernetes.NodeReport;
import io.refarch.workflow.kubernetes.PoolExpectation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Gitpod requires of a node (its installer's {@code validate cluster} and the self-hosted
 * docs): its pool's workload labels, containerd >= 1.5, kernel >= 5.4, the pool's max pods, kubelet
 * >= 1.21, and Ready.
 */
public final class NodeRequirements {
  /** The label each cloud puts on a node naming its pool. */
  static final List<String> POOL_LABELS =
      List.of("cloud.google.com/gke-nodepool", "eks.amazonaws.com/nodegroup", "agentpool");

  static final Version CONTAINERD = Version.of(1, 5);
  static final Version KERNEL = Version.of(5, 4);
  static final Version KUBELET = Version.of(1, 21);

  private NodeRequirements() {}

  public static String pool(Node node) {
    Map<String, String> labels = labels(node);
    return POOL_LABELS.stream().map(labels::get).filter(p -> p != null).findFirst().orElse(null);
  }

  public static boolean ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** The node's row of the report; {@code expectation} is empty for a node of no expected pool. */
  public static NodeReport.Node check(Node node, Optional<PoolExpectation> expectation) {
    NodeSystemInfo info =
        node.getStatus() != null && node.getStatus().getNodeInfo() != null
            ? node.getStatus().getNodeInfo()
            : new NodeSystemInfo();
    String maxPods = capacityPods(node);
    boolean ready = ready(node);
    List<String> problems = new ArrayList<>();
    if (!ready) {
      problems.add("not Ready");
    }
    expectation.ifPresent(
        e -> {
          Map<String, String> labels = labels(node);
          e.labels()
              .forEach(
                  (k, v) -> {
                    if (!v.equals(labels.get(k))) {
                      problems.add(
                          "label "
                              + k
                              + "="
                              + v
                              + " missing"
                              + (labels.containsKey(k) ? " (has " + labels.get(k) + ")" : ""));
                    }
                  });
          if (!String.valueOf(e.maxPods()).equals(maxPods)) {
            problems.add("max pods " + maxPods + ", needs " + e.maxPods());
          }
        });
    checkRuntime(info.getContainerRuntimeVersion(), problems);
    atLeast("kernel", info.getKernelVersion(), KERNEL, problems);
    atLeast("kubelet", info.getKubeletVersion(), KUBELET, problems);
    return new NodeReport.Node(
        node.getMetadata().getName(),
        pool(node),
        info.getContainerRuntimeVersion(),
        maxPods,
        info.getKernelVersion(),
        info.getOsImage(),
        info.getKubeletVersion(),
        node.getSpec() == null ? null : node.getSpec().getProviderID(),
        ready,
        List.copyOf(problems));
  }

  private static void checkRuntime(String runtime, List<String> problems) {
    // containerRuntimeVersion reads "containerd://1.6.9".
    if (runtime == null || !runtime.startsWith("containerd://")) {
      problems.add("runtime " + runtime + " is not containerd");
      return;
    }
    atLeast("containerd", runtime.substring("containerd://".length()), CONTAINERD, problems);
  }

  private static void atLeast(String what, String actual, Version minimum, List<String> problems) {
    Optional<Version> v = Version.parse(actual);
    if (v.isEmpty()) {
      problems.add(what + " version " + actual + " unreadable, needs >= " + minimum);
    } else if (v.get().compareTo(minimum) < 0) {
      problems.add(what + " " + actual + " is older than " + minimum);
    }
  }

  private static String capacityPods(Node node) {
    if (node.getStatus() == null || node.getStatus().getCapacity() == null) {
      return null;
    }
    Quantity pods = node.getStatus().getCapacity().get("pods");
    return pods == null
        ? null
        : pods.getAmount() + (pods.getFormat() == null ? "" : pods.getFormat());
  }

  private static Map<String, String> labels(Node node) {
    Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }
}
