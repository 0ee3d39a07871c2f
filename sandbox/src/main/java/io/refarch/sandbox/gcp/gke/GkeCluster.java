package io.refarch.sandbox.gcp.gke;

import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import io.refarch.sandbox.kube.KubeApiServer;
import io.refarch.sandbox.kube.KubeStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One GKE cluster as the emulator keeps it: the API's Cluster message, and the Kubernetes API it
 * serves.
 */
final class GkeCluster {
  final String project;
  final String location;
  final String path;
  final KubeStore store;
  Cluster cluster;
  KubeApiServer kube;

  /**
   * When each pool last became RUNNING, for the node registration delay. Not saved: after a sandbox
   * restart every running pool's nodes have registered.
   */
  final Map<String, Instant> poolRunningSince = new HashMap<>();

  GkeCluster(String project, String location, String path, KubeStore store) {
    this.project = project;
    this.location = location;
    this.path = path;
    this.store = store;
  }

  Optional<NodePool> pool(String name) {
    return cluster.getNodePoolsList().stream().filter(p -> p.getName().equals(name)).findFirst();
  }

  void replacePool(NodePool pool) {
    Cluster.Builder c = cluster.toBuilder();
    for (int i = 0; i < c.getNodePoolsCount(); i++) {
      if (c.getNodePools(i).getName().equals(pool.getName())) {
        c.setNodePools(i, pool);
      }
    }
    cluster = c.build();
  }

  void stopKube() {
    if (kube != null) {
      kube.close();
      kube = null;
    }
  }
}
