package io.refarch.workflow.aks;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.temporal.activity.ActivityInterface;

/** Azure side effects of the AKS procedure, one ensure/delete pair per resource. */
@ActivityInterface(namePrefix = "Aks")
public interface AksActivities {

  void ensureResourceGroup(ClusterSpec spec);

  void deleteResourceGroup(ClusterSpec spec);

  /** The managed cluster with its first pool (the services pool) as the system pool. */
  void ensureCluster(ClusterSpec spec);

  void deleteCluster(ClusterSpec spec);

  /** A further agent pool (the workspace pools). */
  void ensureAgentPool(ClusterSpec spec, String pool);

  void deleteAgentPool(ClusterSpec spec, String pool);

  KubeconfigRef writeKubeconfig(ClusterSpec spec);

  void deleteKubeconfig(ClusterSpec spec);
}
