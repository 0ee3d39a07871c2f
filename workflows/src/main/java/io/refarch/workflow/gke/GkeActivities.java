package io.refarch.workflow.gke;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.temporal.activity.ActivityInterface;

/**
 * Google Cloud side effects of the GKE procedure, one ensure/delete pair per resource. Every ensure
 * adopts an existing resource that matches the spec and fails with {@code SpecMismatch} when it
 * differs; every delete treats NotFound as done.
 */
@ActivityInterface(namePrefix = "Gke")
public interface GkeActivities {

  /** The seed's {@code gcloud iam service-accounts create}; returns the account's email. */
  String ensureServiceAccount(ClusterSpec spec);

  void deleteServiceAccount(ClusterSpec spec);

  /** The four {@code add-iam-policy-binding}s, by read-modify-write of the project policy. */
  void ensureRoleBindings(ClusterSpec spec);

  void removeRoleBindings(ClusterSpec spec);

  /** {@code gcloud container clusters create} with the seed's flags; waits for the operation. */
  void ensureCluster(ClusterSpec spec);

  void deleteCluster(ClusterSpec spec);

  /** The pool GKE insists on creating; the seed deletes it at once. */
  void deleteDefaultNodePool(ClusterSpec spec);

  void ensureNodePool(ClusterSpec spec, String pool);

  void deleteNodePool(ClusterSpec spec, String pool);

  /** {@code get-credentials}: writes a 0600 kubeconfig on the worker and returns its path. */
  KubeconfigRef writeKubeconfig(ClusterSpec spec);

  void deleteKubeconfig(ClusterSpec spec);
}
