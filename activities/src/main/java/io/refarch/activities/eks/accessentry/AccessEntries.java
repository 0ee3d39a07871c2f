package io.refarch.activities.eks.accessentry;

import java.util.Map;

/** The EKS access-entry calls the cluster-admin grant needs (moto has none of them). */
public interface AccessEntries {
  /** The policy that makes a principal cluster-admin. */
  String CLUSTER_ADMIN_POLICY =
      "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

  boolean exists(String cluster, String principalArn);

  void create(String cluster, String principalArn, Map<String, String> tags);

  boolean hasClusterAdmin(String cluster, String principalArn);

  void associateClusterAdmin(String cluster, String principalArn);
}
