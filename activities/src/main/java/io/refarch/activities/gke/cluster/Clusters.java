package io.refarch.activities.gke.cluster;

import com.google.container.v1.Cluster;
import com.google.container.v1.Operation;
import java.util.Optional;

/** The GKE calls a cluster needs; names are full resource names. */
public interface Clusters {
  Optional<Cluster> find(String name);

  Operation create(String parent, Cluster cluster);

  /** Empty when the cluster was already gone. */
  Optional<Operation> delete(String name);
}
