package io.refarch.sandbox.gcp.gke;

import com.google.container.v1.NodePool;

/**
 * How many nodes a pool has in the sandbox: its initial count in total (not per zone), at least one
 * if autoscaling needs one.
 */
final class NodeCount {

  private NodeCount() {}

  static int of(NodePool pool) {
    if (pool.getStatus() != NodePool.Status.RUNNING
        && pool.getStatus() != NodePool.Status.RECONCILING) {
      return 0;
    }
    int count = pool.getInitialNodeCount();
    if (count == 0
        && pool.getAutoscaling().getEnabled()
        && pool.getAutoscaling().getMinNodeCount() > 0) {
      count = 1;
    }
    return count;
  }
}
