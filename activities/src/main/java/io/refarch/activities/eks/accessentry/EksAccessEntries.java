package io.refarch.activities.eks.accessentry;

import io.refarch.activities.eks.AwsErrors;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessScopeType;

/** {@link AccessEntries} through the EKS API. */
public final class EksAccessEntries implements AccessEntries {
  private final EksClient eks;

  public EksAccessEntries(EksClient eks) {
    this.eks = eks;
  }

  @Override
  public boolean exists(String cluster, String principalArn) {
    try {
      eks.describeAccessEntry(r -> r.clusterName(cluster).principalArn(principalArn));
      return true;
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void create(String cluster, String principalArn, Map<String, String> tags) {
    eks.createAccessEntry(r -> r.clusterName(cluster).principalArn(principalArn).tags(tags));
  }

  @Override
  public boolean hasClusterAdmin(String cluster, String principalArn) {
    return eks
        .listAssociatedAccessPolicies(r -> r.clusterName(cluster).principalArn(principalArn))
        .associatedAccessPolicies()
        .stream()
        .anyMatch(p -> CLUSTER_ADMIN_POLICY.equals(p.policyArn()));
  }

  @Override
  public void associateClusterAdmin(String cluster, String principalArn) {
    eks.associateAccessPolicy(
        r ->
            r.clusterName(cluster)
                .principalArn(principalArn)
                .policyArn(CLUSTER_ADMIN_POLICY)
                .accessScope(s -> s.type(AccessScopeType.CLUSTER)));
  }
}
