package io.refarch.activities.eks.network;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags Kubernetes' AWS load balancer integrations look for on subnets: {@code
 * kubernetes.io/role/elb} on public subnets (internet-facing load balancers), {@code
 * kubernetes.io/role/internal-elb} on private ones, and {@code kubernetes.io/cluster/NAME} saying
 * the subnets belong to the cluster.
 */
public final class SubnetTags {
  private SubnetTags() {}

  public static Map<String, String> of(String cluster, boolean isPublic) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(isPublic ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb", "1");
    tags.put("kubernetes.io/cluster/" + cluster, "owned");
    return tags;
  }
}
