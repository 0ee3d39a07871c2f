package io.refarch.activities.gke.nodepool;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import io.refarch.activities.gke.CloudErrors;
import java.util.Optional;

/** {@link NodePools} over the GKE ClusterManager API. */
public final class ClusterManagerNodePools implements NodePools {
  private final ClusterManagerClient gke;

  public ClusterManagerNodePools(ClusterManagerClient gke) {
    this.gke = gke;
  }

  @Override
  public Optional<NodePool> find(String name) {
    try {
      return Optional.of(gke.getNodePool(name));
    } catch (ApiException e) {
      if (CloudErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Operation create(String clusterName, NodePool pool) {
    return gke.createNodePool(clusterName, pool);
  }

  @Override
  public Optional<Operation> delete(String name) {
    try {
      return Optional.of(gke.deleteNodePool(name));
    } catch (ApiException e) {
      if (CloudErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
