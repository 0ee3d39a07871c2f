package io.refarch.activities.gke.nodepool;

import com.google.api.gax.rpc.ApiException;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.gke.CloudErrors;
import io.refarch.activities.gke.ClusterPath;
import io.refarch.activities.gke.Ownership;
import io.refarch.activities.gke.operation.OperationWaiter;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import java.util.Optional;

/**
 * {@code gcloud container node-pools create/delete}: describe first, then create, adopt or refuse.
 * The pools refarch creates carry its {@link Ownership} labels (as resource labels of their nodes);
 * a delete keeps a pool that is not its caller's.
 */
public final class NodePoolReconciler {
  private final NodePools pools;
  private final OperationWaiter waiter;

  public NodePoolReconciler(NodePools pools, OperationWaiter waiter) {
    this.pools = pools;
    this.waiter = waiter;
  }

  /** Creates {@code wanted} or adopts an equal pool: CREATED only if this run made it. */
  public Ensured ensure(ClusterPath path, NodePool wanted, Caller caller, Heartbeat heartbeat) {
    String name = wanted.getName();
    String doing = "creating node pool " + name + " in cluster " + path.cluster();
    waiter.resume(heartbeat, doing);
    try {
      Optional<NodePool> existing = pools.find(path.nodePool(name));
      if (existing.isEmpty()) {
        try {
          Operation op = createWhenIdle(path, wanted, heartbeat);
          waiter.await(path.operation(op.getName()), heartbeat, doing);
          return Ensured.CREATED;
        } catch (ApiException e) {
          if (!CloudErrors.isAlreadyExists(e)) {
            throw e;
          }
          existing = pools.find(path.nodePool(name));
          if (existing.isEmpty()) {
            throw e;
          }
        }
      }
      NodePoolRequest.compare(existing.get(), wanted).failIfAny();
      awaitRunning(path, name, existing.get(), heartbeat);
      return Ownership.madeBy(existing.get().getConfig().getResourceLabelsMap(), caller)
          ? Ensured.CREATED
          : Ensured.ADOPTED;
    } catch (ApiException e) {
      throw CloudErrors.translate(doing, e);
    }
  }

  /** Deletes the pool if it is {@code caller}'s (see {@link Ownership#keepReason}). */
  public Deletion delete(ClusterPath path, String name, Caller caller, Heartbeat heartbeat) {
    return delete(
        path,
        name,
        heartbeat,
        existing ->
            Ownership.keepReason(
                existing.getConfig().getResourceLabelsMap(), path.cluster(), caller));
  }

  /** Deletes GKE's default pool, which refarch never labels: the caller decides whether it may. */
  public Deletion delete(
      ClusterPath path,
      String name,
      Heartbeat heartbeat,
      java.util.function.Function<NodePool, Optional<String>> keepReason) {
    String doing = "deleting node pool " + name + " of cluster " + path.cluster();
    waiter.resume(heartbeat, doing);
    try {
      Optional<NodePool> existing = pools.find(path.nodePool(name));
      if (existing.isEmpty()) {
        return Deletion.DELETED;
      }
      Optional<String> keep = keepReason.apply(existing.get());
      if (keep.isPresent()) {
        return Deletion.kept(keep.get());
      }
      // A create still running (a cancelled or crashed attempt's, or another tool's) makes GKE
      // refuse the
      // delete; waiting for it here, heartbeating, does not use up the delete's retries however
      // long it takes.
      NodePool pool = settle(path, name, existing.get(), heartbeat);
      if (pool.getStatus() == NodePool.Status.STOPPING) {
        waiter.poll(
            heartbeat,
            path.nodePool(name),
            () -> pools.find(path.nodePool(name)).isEmpty() ? Optional.of(true) : Optional.empty());
        return Deletion.DELETED;
      }
      Optional<Operation> op = pools.delete(path.nodePool(name));
      if (op.isPresent()) {
        waiter.await(path.operation(op.get().getName()), heartbeat, doing);
      }
      return Deletion.DELETED;
    } catch (ApiException e) {
      throw CloudErrors.translate(doing, e);
    }
  }

  /**
   * Creates the pool once the cluster runs no other operation. GKE refuses a create while the
   * master upgrades or repairs, or another pool is created; retrying would spend the activity's
   * attempts (and fail the run) on a wait that can take many minutes, so the activity waits here,
   * heartbeating, as long as its timeout allows.
   */
  private Operation createWhenIdle(ClusterPath path, NodePool wanted, Heartbeat heartbeat) {
    Optional<Operation> accepted = createUnlessBusy(path, wanted);
    if (accepted.isPresent()) {
      return accepted.get();
    }
    // Heartbeat details name an operation only once there is one (a retried attempt resumes it).
    return waiter.poll(
        heartbeat,
        path.name() + " busy, waiting to create node pool " + wanted.getName(),
        () -> createUnlessBusy(path, wanted));
  }

  private Optional<Operation> createUnlessBusy(ClusterPath path, NodePool wanted) {
    try {
      return Optional.of(pools.create(path.name(), wanted));
    } catch (ApiException e) {
      if (CloudErrors.isClusterBusy(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** An adopted pool may still be coming up from an earlier attempt or another tool. */
  private void awaitRunning(ClusterPath path, String name, NodePool found, Heartbeat heartbeat) {
    NodePool pool = settle(path, name, found, heartbeat);
    switch (pool.getStatus()) {
      case STOPPING ->
          throw Failures.retryable(
              Failures.NOT_READY, "node pool " + name + " is being deleted; trying again");
      case ERROR ->
          throw Failures.permanent(
              FailureTypes.OPERATION_FAILED,
              "node pool " + name + " is in ERROR: " + pool.getStatusMessage());
      default -> {}
    }
  }

  /** The pool once no operation runs on it; a pool deleted meanwhile comes back as STOPPING. */
  private NodePool settle(ClusterPath path, String name, NodePool found, Heartbeat heartbeat) {
    if (!busy(found)) {
      return found;
    }
    return waiter.poll(
        heartbeat,
        path.nodePool(name),
        () -> {
          Optional<NodePool> now = pools.find(path.nodePool(name));
          if (now.isEmpty()) {
            return Optional.of(
                NodePool.newBuilder()
                    .setStatus(NodePool.Status.STOPPING)
                    .build()); // deleted meanwhile
          }
          return busy(now.get()) ? Optional.empty() : now;
        });
  }

  private static boolean busy(NodePool pool) {
    return pool.getStatus() == NodePool.Status.PROVISIONING
        || pool.getStatus() == NodePool.Status.RECONCILING;
  }
}
