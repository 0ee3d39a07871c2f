package io.refarch.workflow.gke;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.temporal.activity.ActivityInterface;

/**
 * Google Cloud side effects of the GKE procedure, one ensure/delete pair per resource. Every ensure
 * adopts an existing resource that matches the spec (and says so: {@link Ensured#ADOPTED}) and
 * fails with {@code SpecMismatch} when it differs. What refarch creates carries ownership marks
 * (labels, the service account's description): the cluster it was made for and the run that made
 * it. Every delete treats NotFound as done and deletes only what is marked as its caller's: a
 * provisioning run's compensation what that run created, a teardown what was made for that cluster;
 * the service account and its project roles, which every cluster of the project shares, only when
 * no other cluster still uses them. What it does not delete it keeps and says why.
 */
@ActivityInterface(namePrefix = "Gke")
public interface GkeActivities {

  /**
   * Checks, changing nothing, what would otherwise fail deep into a run: the credentials (and as
   * whom), the APIs, the Kubernetes version, the region's CPU quota, the names. Fails with a
   * non-retryable {@code PreflightFailed} naming each failed check when one fails.
   */
  PreflightReport preflight(ClusterSpec spec);

  /** The seed's {@code gcloud iam service-accounts create}. */
  Ensured ensureServiceAccount(ClusterSpec spec);

  Deletion deleteServiceAccount(ClusterSpec spec);

  /** The four {@code add-iam-policy-binding}s, by read-modify-write of the project policy. */
  Ensured ensureRoleBindings(ClusterSpec spec);

  Deletion removeRoleBindings(ClusterSpec spec);

  /** {@code gcloud container clusters create} with the seed's flags; waits for the operation. */
  Ensured ensureCluster(ClusterSpec spec);

  /**
   * {@code gcp.poolsWithCluster}: the cluster with the spec's node pools in the one {@code
   * clusters.create} (no default pool); waits for the operation. An existing cluster is adopted
   * only if it matches and has every pool, matching; a pool it lacks is a {@code SpecMismatch} (the
   * seed's order adds pools to an existing cluster, this one creates them only with it).
   * Compensation and teardown are {@link #deleteCluster}, which takes the pools with it.
   */
  Ensured ensureClusterWithNodePools(ClusterSpec spec);

  /** Deletes the cluster with whatever node pools it has, however they were made. */
  Deletion deleteCluster(ClusterSpec spec);

  /**
   * The pool GKE insists on creating; the seed deletes it at once. Only on a cluster refarch made:
   * the default pool of a cluster it adopted is not its to delete.
   */
  void deleteDefaultNodePool(ClusterSpec spec);

  Ensured ensureNodePool(ClusterSpec spec, String pool);

  Deletion deleteNodePool(ClusterSpec spec, String pool);

  /** {@code get-credentials}: writes a 0600 kubeconfig on the worker and returns its path. */
  KubeconfigRef writeKubeconfig(ClusterSpec spec);

  void deleteKubeconfig(ClusterSpec spec);
}
