package io.refarch.sandbox.kube;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a cluster's Kubernetes API shows of the cloud that runs it: the control plane's version and
 * the Nodes its node pools register. Each cloud answers from its own model (GKE's Cluster, EKS's
 * node groups...).
 */
public interface KubeCluster {

  /** The control plane's version, e.g. "1.32.4-gke.1106000"; empty once the cluster is gone. */
  Optional<String> version();

  /** When the cluster was created (the system namespaces' age); the epoch once it is gone. */
  Instant created();

  /** The nodes registered now, derived from the running node pools. */
  List<NodeObject> nodes();
}
