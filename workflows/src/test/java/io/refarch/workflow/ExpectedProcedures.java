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
          "preflight",
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
          "preflight",
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

  /**
   * Whether {@code call} runs together with its neighbours of the same kind (EKS node groups are
   * created, compensated and torn down in parallel), so their order among themselves is not fixed.
   */
  static boolean together(String call) {
    return call.startsWith("ensureNodeGroup ") || call.startsWith("deleteNodeGroup ");
  }

  /**
   * {@code calls} with each run of consecutive calls made together sorted, so two sequences that
   * differ only in the order of parallel calls compare equal.
   */
  static List<String> withParallelCallsSorted(List<String> calls) {
    List<String> sorted = new java.util.ArrayList<>();
    int i = 0;
    while (i < calls.size()) {
      int j = i + 1;
      String verb = calls.get(i).split(" ")[0];
      while (together(calls.get(i))
          && j < calls.size()
          && together(calls.get(j))
          && calls.get(j).split(" ")[0].equals(verb)) {
        j++;
      }
      calls.subList(i, j).stream().sorted().forEach(sorted::add);
      i = j;
    }
    return sorted;
  }

  /** The index of the last step made together with step {@code i} (itself if it runs alone). */
  static int endOfGroup(List<String> procedure, int i) {
    int end = i;
    while (together(procedure.get(i))
        && end + 1 < procedure.size()
        && together(procedure.get(end + 1))) {
      end++;
    }
    return end;
  }
}
