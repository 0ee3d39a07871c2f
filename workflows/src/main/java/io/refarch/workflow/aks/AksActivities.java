package io.refarch.workflow.aks;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.PreflightReport;
import io.temporal.activity.ActivityInterface;

/**
 * Azure side effects of the AKS procedure, one ensure/delete pair per resource. An ensure reads
 * before it writes: it adopts what exists and matches (and says so, so a failed run leaves it
 * alone); a delete returns what it kept and why (not made by this run, or not tagged as this
 * cluster's), which the run's outcome lists.
 */
@ActivityInterface(namePrefix = "Aks")
public interface AksActivities {

  /**
   * Reads, changes nothing: the credential, the Kubernetes version, the cluster name, the region's
   * vCPU quota per VM family and the VM sizes. Returns the report when every check passed; throws
   * the non-retryable {@code PreflightFailed} naming each failed check when one fails.
   */
  PreflightReport preflight(ClusterSpec spec);

  /** The resource group, created, or adopted when it exists. */
  Ensured ensureResourceGroup(ClusterSpec spec);

  /** Deletes the group, and everything in it, only when refarch made it for this cluster. */
  Deletion deleteResourceGroup(ClusterSpec spec);

  /** The managed cluster with its first pool (the services pool) as the system pool. */
  Ensured ensureCluster(ClusterSpec spec);

  Deletion deleteCluster(ClusterSpec spec);

  /** A further agent pool (the workspace pools), mode User. */
  Ensured ensureAgentPool(ClusterSpec spec, String pool);

  Deletion deleteAgentPool(ClusterSpec spec, String pool);
}
