package io.refarch.workflow;

import java.util.List;
import java.util.Map;

/**
 * The seeds' procedures as the fake activities record them, written out by hand from the reference
 * architecture so that a change of order in the workflow code fails a test.
 */
final class ExpectedProcedures {
  // Runs no longer write a kubeconfig on a worker; recorded histories that do still replay
  // (ReplayTest).
  private ExpectedProcedures() {}

  static final List<String> GKE =
      List.of(
          "preflight",
          "ensureServiceAccount",
          "ensureRoleBindings",
          "ensureCluster",
          "deleteDefaultNodePool",
          "ensureNodePool workload-services",
          "ensureNodePool workload-regular-workspaces",
          "ensureNodePool workload-headless-workspaces",
          "ensureClusterAdminBinding admin@example.com",
          "verifyNodes");

  /** gcp.poolsWithCluster: the cluster with its pools in one create, no default pool to delete. */
  static final List<String> GKE_POOLS_WITH_CLUSTER =
      List.of(
          "preflight",
          "ensureServiceAccount",
          "ensureRoleBindings",
          "ensureClusterWithNodePools",
          "ensureClusterAdminBinding admin@example.com",
          "verifyNodes");

  static final List<String> EKS =
      List.of(
          "ensureNetwork",
          "ensureClusterRole",
          "ensureNodeRole",
          "ensureControlPlane",
          "ensureOidcProvider",
          "ensureServiceAccountRole cluster-autoscaler",
          "ensureServiceAccount kube-system/cluster-autoscaler",
          "deleteAwsNode",
          "ensureTigeraOperator",
          "ensureCalicoInstallation",
          "ensureNodeGroup services",
          "ensureNodeGroup regular",
          "ensureNodeGroup headless",
          "ensureClusterAdminBinding admin@example.com",
          "verifyNodes");

  static final List<String> AKS =
      List.of(
          "ensureResourceGroup",
          "ensureCluster",
          "ensureAgentPool regularws",
          "ensureAgentPool headlessws",
          "ensureClusterAdminBinding admin@example.com",
          "verifyNodes");

  /** The compensating delete of each create; steps missing here have nothing to undo. */
  static final Map<String, String> UNDO =
      Map.ofEntries(
          Map.entry("ensureServiceAccount", "deleteServiceAccount"),
          Map.entry("ensureRoleBindings", "removeRoleBindings"),
          Map.entry("ensureCluster", "deleteCluster"),
          // The cluster's delete takes the pools made with it.
          Map.entry("ensureClusterWithNodePools", "deleteCluster"),
          Map.entry("ensureNodePool workload-services", "deleteNodePool workload-services"),
          Map.entry(
              "ensureNodePool workload-regular-workspaces",
              "deleteNodePool workload-regular-workspaces"),
          Map.entry(
              "ensureNodePool workload-headless-workspaces",
              "deleteNodePool workload-headless-workspaces"),
          Map.entry("ensureClusterAdminBinding admin@example.com", "deleteClusterAdminBinding"),
          Map.entry("ensureNetwork", "deleteNetwork"),
          Map.entry("ensureClusterRole", "deleteClusterRole"),
          Map.entry("ensureNodeRole", "deleteNodeRole"),
          Map.entry("ensureControlPlane", "deleteControlPlane"),
          Map.entry("ensureOidcProvider", "deleteOidcProvider"),
          Map.entry(
              "ensureServiceAccountRole cluster-autoscaler",
              "deleteServiceAccountRole cluster-autoscaler"),
          Map.entry(
              "ensureServiceAccount kube-system/cluster-autoscaler",
              "deleteServiceAccount kube-system/cluster-autoscaler"),
          Map.entry("ensureTigeraOperator", "deleteTigeraOperator"),
          Map.entry("ensureCalicoInstallation", "deleteCalicoInstallation"),
          Map.entry("ensureNodeGroup services", "deleteNodeGroup services"),
          Map.entry("ensureNodeGroup regular", "deleteNodeGroup regular"),
          Map.entry("ensureNodeGroup headless", "deleteNodeGroup headless"),
          Map.entry("ensureResourceGroup", "deleteResourceGroup"),
          Map.entry("ensureAgentPool regularws", "deleteAgentPool regularws"),
          Map.entry("ensureAgentPool headlessws", "deleteAgentPool headlessws"));

  /** Teardown skips what dies with the cluster; these are the in-cluster objects. */
  static final List<String> IN_CLUSTER =
      List.of(
          "ensureClusterAdminBinding admin@example.com",
          "ensureServiceAccount kube-system/cluster-autoscaler",
          "ensureTigeraOperator",
          "ensureCalicoInstallation");
}
