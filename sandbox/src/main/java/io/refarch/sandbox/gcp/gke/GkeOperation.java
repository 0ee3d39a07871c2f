package io.refarch.sandbox.gcp.gke;

import com.google.container.v1.Operation;
import io.refarch.sandbox.core.LongRunningOperations;
import io.refarch.sandbox.gcp.GoogleApiError;

/**
 * One GKE operation: the API's Operation message, the cluster it runs on, and a failure it is to
 * end with.
 */
final class GkeOperation implements LongRunningOperations.Operation {
  final String project;
  final String location;
  final String clusterPath;
  final String targetName; // cluster or node pool short name
  final long doneAt;
  Operation op;
  GoogleApiError failure; // set when a ".done" fault makes this operation fail

  GkeOperation(
      String project,
      String location,
      String clusterPath,
      String targetName,
      Operation op,
      long doneAt) {
    this.project = project;
    this.location = location;
    this.clusterPath = clusterPath;
    this.targetName = targetName;
    this.op = op;
    this.doneAt = doneAt;
  }

  @Override
  public long dueAt() {
    return doneAt;
  }

  @Override
  public boolean finished() {
    return op.getStatus() == Operation.Status.DONE;
  }

  /** What GKE answers a second mutation while this one runs on the cluster. */
  GoogleApiError busy(String clusterName) {
    String doing =
        switch (op.getOperationType()) {
          case CREATE_CLUSTER -> "creating cluster";
          case DELETE_CLUSTER -> "deleting cluster";
          case CREATE_NODE_POOL -> "creating a node pool for cluster";
          case DELETE_NODE_POOL -> "deleting a node pool for cluster";
          default -> "operating on cluster";
        };
    return GoogleApiError.failedPrecondition(
        "Operation "
            + op.getName()
            + " is currently "
            + doing
            + " "
            + clusterName
            + ". Please wait and try again once it is done.");
  }
}
