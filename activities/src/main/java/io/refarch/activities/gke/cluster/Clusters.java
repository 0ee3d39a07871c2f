package io.refarch.activities.gke.cluster;

import com.google.container.v1.Cluster;
import com.google.container.v1.Operation;
import java.util.List;
import java.util.Optional;

/** The GKE calls a cluster needs; names are full resource names. */
public interface Clusters {
  Optional<Cluster> find(String name);

  Operation create(String parent, Cluster cluster);

  /** The clusters under {@code parent}, "projects/P/locations/-" for all of a project's. */
  List<Cluster> list(String parent);

  /** Empty when the cluster was already gone. */
  Optional<Operation> delete(String name);
}
