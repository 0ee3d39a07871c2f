package io.refarch.activities.gke.cluster;

import com.google.api.gax.rpc.ApiException;
import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.gke.CloudErrors;
import io.refarch.activities.gke.ClusterPath;
import io.refarch.activities.gke.Ownership;
import io.refarch.activities.gke.nodepool.NodePoolRequest;
import io.refarch.activities.gke.operation.OperationWaiter;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code gcloud container clusters create/delete}: describe first, then create, adopt or refuse.
 * The cluster refarch creates carries its {@link Ownership} labels; a delete keeps a cluster that
 * is not its caller's.
 */
public final class ClusterReconciler {
  private final Clusters clusters;
  private final OperationWaiter waiter;

  public ClusterReconciler(Clusters clusters, OperationWaiter waiter) {
    this.clusters = clusters;
    this.waiter = waiter;
  }

  /**
   * Creates {@code wanted} with {@code caller}'s ownership labels, or adopts an existing cluster
   * that matches: CREATED only if this run made it (an earlier attempt may have).
   */
  public Ensured ensure(ClusterPath path, Cluster wanted, Caller caller, Heartbeat heartbeat) {
    String doing = "creating cluster " + path.cluster() + " in " + path.location();
    waiter.resume(heartbeat, doing);
    try {
      Optional<Cluster> existing = clusters.find(path.name());
      if (existing.isEmpty()) {
        try {
          Operation op = clusters.create(path.parent(), wanted);
          waiter.await(path.operation(op.getName()), heartbeat, doing);
          return Ensured.CREATED;
        } catch (ApiException e) {
          if (!CloudErrors.isAlreadyExists(e)) {
            throw e;
          }
          existing = clusters.find(path.name());
          if (existing.isEmpty()) {
            throw e;
          }
        }
      }
      ClusterRequest.compare(existing.get(), wanted).failIfAny();
      awaitRunning(path, existing.get(), heartbeat);
      return Ownership.madeBy(existing.get().getResourceLabelsMap(), caller)
          ? Ensured.CREATED
          : Ensured.ADOPTED;
    } catch (ApiException e) {
      throw CloudErrors.translate(doing, e);
    }
  }

  /** Deletes the cluster if it is {@code caller}'s (see {@link Ownership#keepReason}). */
  public Deletion delete(ClusterPath path, Caller caller, Heartbeat heartbeat) {
    String doing = "deleting cluster " + path.cluster() + " in " + path.location();
    waiter.resume(heartbeat, doing);
    try {
      Optional<Cluster> existing = clusters.find(path.name());
      if (existing.isEmpty()) {
        return Deletion.DELETED;
      }
      Optional<String> keep =
          Ownership.keepReason(existing.get().getResourceLabelsMap(), path.cluster(), caller);
      if (keep.isPresent()) {
        return Deletion.kept(keep.get());
      }
      if (existing.get().getStatus() == Cluster.Status.STOPPING) {
        waiter.poll(
            heartbeat,
            path.name(),
            () -> clusters.find(path.name()).isEmpty() ? Optional.of(true) : Optional.empty());
        return Deletion.DELETED;
      }
      Optional<Operation> op = clusters.delete(path.name());
      if (op.isPresent()) {
        waiter.await(path.operation(op.get().getName()), heartbeat, doing);
      }
      return Deletion.DELETED;
    } catch (ApiException e) {
      throw CloudErrors.translate(doing, e);
    }
  }

  /**
   * The cluster's pools include every one of {@code wanted}, matching (see {@link
   * NodePoolRequest#compare}) and not in ERROR; pools it has besides are left alone. For a cluster
   * made with its pools: one this run created has them; an existing one may lack some, which only
   * the seed's order (pools created one by one) adds.
   */
  public void checkNodePools(ClusterPath path, List<NodePool> wanted) {
    Cluster cluster = describe(path);
    List<String> missing = new ArrayList<>();
    for (NodePool pool : wanted) {
      Optional<NodePool> actual =
          cluster.getNodePoolsList().stream()
              .filter(p -> p.getName().equals(pool.getName()))
              .findFirst();
      if (actual.isEmpty()) {
        missing.add(pool.getName());
        continue;
      }
      NodePoolRequest.compare(actual.get(), pool).failIfAny();
      if (actual.get().getStatus() == NodePool.Status.ERROR) {
        throw Failures.permanent(
            FailureTypes.OPERATION_FAILED,
            "node pool " + pool.getName() + " is in ERROR: " + actual.get().getStatusMessage());
      }
    }
    if (!missing.isEmpty()) {
      throw Failures.permanent(
          FailureTypes.SPEC_MISMATCH,
          "cluster "
              + path.cluster()
              + " exists without node pools "
              + String.join(", ", missing)
              + ": with gcp.poolsWithCluster pools are created only with the cluster; set it to"
              + " false to add them to this cluster one by one, or delete the cluster");
    }
  }

  /** Every cluster of the project, in every location: who else may rely on shared resources. */
  public List<Cluster> inProject(String project) {
    try {
      return clusters.list("projects/" + project + "/locations/-");
    } catch (ApiException e) {
      throw CloudErrors.translate("listing the clusters of project " + project, e);
    }
  }

  /** Reads the cluster, which must exist; for the kubeconfig. */
  public Cluster describe(ClusterPath path) {
    try {
      return clusters
          .find(path.name())
          .orElseThrow(
              () ->
                  Failures.permanent(
                      FailureTypes.INVALID_ARGUMENT, "cluster " + path.name() + " does not exist"));
    } catch (ApiException e) {
      throw CloudErrors.translate("reading cluster " + path.cluster(), e);
    }
  }

  /** An adopted cluster may still be coming up, or upgrading its master after NetworkPolicy. */
  private void awaitRunning(ClusterPath path, Cluster found, Heartbeat heartbeat) {
    Cluster cluster = found;
    if (busy(cluster)) {
      cluster =
          waiter.poll(
              heartbeat,
              path.name(),
              () -> {
                Optional<Cluster> now = clusters.find(path.name());
                if (now.isEmpty()) {
                  return Optional.of(
                      Cluster.newBuilder().setStatus(Cluster.Status.STOPPING).build());
                }
                return busy(now.get()) ? Optional.empty() : now;
              });
    }
    switch (cluster.getStatus()) {
      case STOPPING ->
          throw Failures.retryable(
              Failures.NOT_READY, "cluster " + path.cluster() + " is being deleted; trying again");
      case ERROR ->
          throw Failures.permanent(
              FailureTypes.OPERATION_FAILED,
              "cluster " + path.cluster() + " is in ERROR: " + cluster.getStatusMessage());
      default -> {}
    }
  }

  private static boolean busy(Cluster cluster) {
    return cluster.getStatus() == Cluster.Status.PROVISIONING
        || cluster.getStatus() == Cluster.Status.RECONCILING;
  }
}
