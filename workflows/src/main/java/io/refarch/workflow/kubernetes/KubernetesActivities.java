package io.refarch.workflow.kubernetes;

import io.refarch.spec.AwsOptions;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The in-cluster steps, the same on every cloud (fabric8 kubernetes-client). Each takes the
 * cluster's coordinates, never a kubeconfig: every attempt builds its client from the cloud
 * (endpoint and CA from its describe call, a fresh token from the worker's credentials), so an
 * attempt on another worker, or hours later, works as well as the first.
 */
@ActivityInterface(namePrefix = "Kube")
public interface KubernetesActivities {

  /**
   * The seed's {@code kubectl create clusterrolebinding cluster-admin-binding}; adopts an equal
   * one. The binding it creates is labelled with the run that made it.
   */
  Ensured ensureClusterAdminBinding(ClusterRef cluster, String user);

  /** Deletes the binding only if this run made it (compensation is its only caller). */
  Deletion deleteClusterAdminBinding(ClusterRef cluster);

  /**
   * Waits (bounded, heartbeating) until every pool has its minimum Ready nodes, then checks each
   * node against Gitpod's requirements; fails with {@code NodeCheckFailed} naming every node that
   * falls short.
   */
  NodeReport verifyNodes(ClusterRef cluster, List<PoolExpectation> pools);

  /** EKS: {@code kubectl delete daemonset -n kube-system aws-node}; already gone is fine. */
  void deleteAwsNode(ClusterRef cluster);

  /** EKS: the tigera-operator manifest, pinned by its sha256. */
  void ensureTigeraOperator(ClusterRef cluster, AwsOptions.Calico calico);

  void deleteTigeraOperator(ClusterRef cluster, AwsOptions.Calico calico);

  /** EKS: the {@code Installation} named default: provider EKS, CNI Calico, BGP disabled. */
  void ensureCalicoInstallation(ClusterRef cluster);

  void deleteCalicoInstallation(ClusterRef cluster);

  /** EKS IRSA: the Kubernetes ServiceAccount annotated with its IAM role. */
  void ensureServiceAccount(ClusterRef cluster, String namespace, String name, String roleArn);

  void deleteServiceAccount(ClusterRef cluster, String namespace, String name);
}
