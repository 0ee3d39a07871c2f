package io.refarch.workflow.kubernetes;

import io.refarch.spec.AwsOptions;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The in-cluster steps, the same on every cloud (fabric8 kubernetes-client). */
@ActivityInterface(namePrefix = "Kube")
public interface KubernetesActivities {

  /**
   * The seed's {@code kubectl create clusterrolebinding cluster-admin-binding}; adopts an equal
   * one. The binding it creates is labelled with the run that made it.
   */
  Ensured ensureClusterAdminBinding(KubeconfigRef kubeconfig, String user);

  /** Deletes the binding only if this run made it (compensation is its only caller). */
  Deletion deleteClusterAdminBinding(KubeconfigRef kubeconfig);

  /**
   * Waits (bounded, heartbeating) until every pool has its minimum Ready nodes, then checks each
   * node against Gitpod's requirements; fails with {@code NodeCheckFailed} naming every node that
   * falls short.
   */
  NodeReport verifyNodes(KubeconfigRef kubeconfig, List<PoolExpectation> pools);

  /** EKS: {@code kubectl delete daemonset -n kube-system aws-node}; already gone is fine. */
  void deleteAwsNode(KubeconfigRef kubeconfig);

  /** EKS: the tigera-operator manifest, pinned by its sha256. */
  void ensureTigeraOperator(KubeconfigRef kubeconfig, AwsOptions.Calico calico);

  void deleteTigeraOperator(KubeconfigRef kubeconfig, AwsOptions.Calico calico);

  /** EKS: the {@code Installation} named default: provider EKS, CNI Calico, BGP disabled. */
  void ensureCalicoInstallation(KubeconfigRef kubeconfig);

  void deleteCalicoInstallation(KubeconfigRef kubeconfig);

  /** EKS IRSA: the Kubernetes ServiceAccount annotated with its IAM role. */
  void ensureServiceAccount(
      KubeconfigRef kubeconfig, String namespace, String name, String roleArn);

  void deleteServiceAccount(KubeconfigRef kubeconfig, String namespace, String name);
}
