package io.refarch.activities.gke.operation;

import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.Operation;

/** {@link Operations} over the GKE ClusterManager API. */
public final class ClusterManagerOperations implements Operations {
  private final ClusterManagerClient gke;

  public ClusterManagerOperations(ClusterManagerClient gke) {
    this.gke = gke;
  }

  @Override
  public Operation get(String operationName) {
    return gke.getOperation(operationName);
  }
}
