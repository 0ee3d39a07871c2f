package io.refarch.activities.gke.nodepool;

import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import java.util.Optional;

/** The GKE calls a node pool needs; names are full resource names. */
public interface NodePools {
  Optional<NodePool> find(String name);

  Operation create(String clusterName, NodePool pool);

  /** Empty when the pool was already gone. */
  Optional<Operation> delete(String name);
}
