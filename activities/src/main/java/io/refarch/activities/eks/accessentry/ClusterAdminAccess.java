package io.refarch.activities.eks.accessentry;

import io.refarch.activities.eks.AwsErrors;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * cluster-admin for the spec's {@code clusterAdmin} through an EKS access entry with the
 * AmazonEKSClusterAdminPolicy on the whole cluster. The entry goes with the cluster, so it has no
 * delete of its own.
 */
public final class ClusterAdminAccess {
  private final AccessEntries entries;

  public ClusterAdminAccess(AccessEntries entries) {
    this.entries = entries;
  }

  public void ensure(String cluster, String principalArn, Map<String, String> tags) {
    try {
      if (!entries.exists(cluster, principalArn)) {
        try {
          entries.create(cluster, principalArn, tags);
        } catch (SdkException e) {
          // The creator's own entry exists already when clusterAdmin is the worker's identity.
          if (!AwsErrors.isAlreadyExists(e)) {
            throw e;
          }
        }
      }
      if (!entries.hasClusterAdmin(cluster, principalArn)) {
        entries.associateClusterAdmin(cluster, principalArn);
      }
    } catch (SdkException e) {
      throw AwsErrors.translate("granting cluster-admin on " + cluster + " to " + principalArn, e);
    }
  }
}
