package io.refarch.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** One labelled node pool (GKE node pool, EKS managed node group, AKS agent pool). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodePool(
    /** The pool's name, e.g. workload-services. */
    String name,
    /** Machine / instance / VM size, e.g. n2d-standard-4, m6i.xlarge, Standard_D4_v4. */
    String machineType,
    /** Autoscaling lower bound. */
    Integer minNodes,
    /** Autoscaling upper bound. */
    Integer maxNodes,
    /** Nodes at creation (the seed's --num-nodes, eksctl's desiredCapacity). */
    Integer initialNodes,
    /** Boot disk type: pd-ssd on GKE, gp3 on EKS, Managed on AKS. */
    String diskType,
    /** Boot disk size in GB. */
    Integer diskSizeGb,
    /** EKS gp3 volume IOPS. */
    Integer diskIops,
    /** EKS gp3 volume throughput in MiB/s. */
    Integer diskThroughput,
    /** Kubernetes node labels; the five gitpod.io/workload_* labels must appear across pools. */
    Map<String, String> labels,
    /** Max pods per node; Gitpod requires 110 on workspace nodes. */
    Integer maxPods) {

  /** The Gitpod workload labels this pool carries. */
  public Map<String, String> gitpodLabels() {
    Map<String, String> out = new java.util.TreeMap<>();
    if (labels != null) {
      labels.forEach(
          (k, v) -> {
            if (k.startsWith(Labels.PREFIX)) {
              out.put(k, v);
            }
          });
    }
    return out;
  }
}
