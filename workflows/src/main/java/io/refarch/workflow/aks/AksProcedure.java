package io.refarch.workflow.aks;

import io.refarch.spec.AzureOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.NodePool;
import io.refarch.workflow.Procedure;
import io.refarch.workflow.Step;
import io.refarch.workflow.Steps;
import io.refarch.workflow.kubernetes.ClusterAccess;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import java.util.List;

/**
 * The Azure section: resource group, the cluster with the services pool, then the workspace pools.
 */
public final class AksProcedure implements Procedure {
  private final AksActivities aks;
  private final KubernetesActivities kube;

  public AksProcedure(AksActivities aks, KubernetesActivities kube) {
    this.aks = aks;
    this.kube = kube;
  }

  @Override
  public Provisioned run(ClusterSpec spec, Steps steps) {
    AzureOptions azure = spec.azure();
    List<NodePool> pools = spec.nodePools();
    NodePool services = pools.get(0);

    steps.create(
        Step.of(
            "Create resource group",
            "resource-group/" + azure.resourceGroup(),
            "resourceGroups.createOrUpdate " + azure.resourceGroup() + " in " + spec.region()),
        () -> aks.ensureResourceGroup(spec),
        () -> aks.deleteResourceGroup(spec));
    steps.create(
        Step.of(
            "Create cluster",
            "aks-cluster/" + spec.name(),
            "managedClusters.createOrUpdate "
                + spec.name()
                + " version "
                + spec.kubernetesVersion()
                + ", network "
                + azure.networkPlugin()
                + "/"
                + azure.networkPolicy()
                + ", system pool "
                + services.name()
                + " "
                + services.machineType()),
        () -> aks.ensureCluster(spec),
        () -> aks.deleteCluster(spec));
    for (NodePool pool : pools.subList(1, pools.size())) {
      steps.create(
          Step.of(
              "Create agent pool " + pool.name(),
              "agent-pool/" + pool.name(),
              "agentPools.createOrUpdate "
                  + pool.name()
                  + ": "
                  + pool.machineType()
                  + " "
                  + pool.minNodes()
                  + ".."
                  + pool.maxNodes()
                  + " max pods "
                  + pool.maxPods()
                  + " labels "
                  + pool.labels()),
          () -> aks.ensureAgentPool(spec, pool.name()),
          () -> aks.deleteAgentPool(spec, pool.name()));
    }
    // Runs of this version write no kubeconfig on a worker (see ClusterAccess.NO_KUBECONFIG_STEP);
    // runs started before keep the step, so their histories replay.
    KubeconfigRef kubeconfig = null;
    if (ClusterAccess.writesKubeconfig(steps)) {
      kubeconfig =
          steps.create(
              Step.of(
                  "Write kubeconfig",
                  "kubeconfig/" + spec.name(),
                  "managedClusters.listClusterAdminCredentials -> 0600 file on the worker"),
              () -> aks.writeKubeconfig(spec),
              () -> aks.deleteKubeconfig(spec));
    }
    return ClusterAccess.bindAdminAndVerifyNodes(spec, steps, kube, kubeconfig);
  }
}
