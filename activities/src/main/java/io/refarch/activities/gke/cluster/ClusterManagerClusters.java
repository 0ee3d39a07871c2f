package io.refarch.activities.gke.cluster;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.Cluster;
import com.google.container.v1.Operation;
import io.refarch.activities.gke.CloudErrors;
import java.util.List;
import java.util.Optional;

/** {@link Clusters} over the GKE ClusterManager API. */
public final class ClusterManagerClusters implements Clusters {
  private final ClusterManagerClient gke;

  public ClusterManagerClusters(ClusterManagerClient gke) {
    this.gke = gke;
  }

  @Override
  public Optional<Cluster> find(String name) {
    try {
      return Optional.of(gke.getCluster(name));
    } catch (ApiException e) {
      if (CloudErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Operation create(String parent, Cluster cluster) {
    return gke.createCluster(parent, cluster);
  }

  @Override
  public List<Cluster> list(String parent) {
    return gke.listClusters(parent).getClustersList();
  }

  @Override
  public Optional<Operation> delete(String name) {
    try {
      return Optional.of(gke.deleteCluster(name));
    } catch (ApiException e) {
      if (CloudErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
