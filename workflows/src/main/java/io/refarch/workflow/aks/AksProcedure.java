package io.refarch.workflow.aks;

import io.refarch.spec.AzureOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.NodePool;
import io.refarch.workflow.Procedure;
import io.refarch.workflow.Step;
import io.refarch.workflow.Steps;
import io.refarch.workflow.kubernetes.ClusterAccess;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import java.util.List;

/**
 * The Azure section, as Gitpod's AKS guide orders it: resource group, the cluster with the services
 * pool as its system pool, then the workspace pools one after another. AKS refuses an agent-pool
 * operation while another runs on the same cluster (409 OperationNotAllowed, "Another agentpool
 * operation ... is in progress"; seen in cilium/cilium#25944), so pools are not created together as
 * EKS node groups are; the activity retries that conflict.
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

    // Before anything is created: what would otherwise fail ten minutes in.
    steps.perform(
        Step.of(
            "Preflight",
            "preflight/" + spec.name(),
            "changes nothing: an ARM token for subscription "
                + azure.subscription()
                + "; kubernetesVersions offers "
                + spec.kubernetesVersion()
                + "; cluster "
                + spec.name()
                + " absent or tagged refarch.io/cluster="
                + spec.name()
                + "; Compute usages cover the pools' initial vCPUs; the VM sizes offered in "
                + spec.region()),
        () -> aks.preflight(spec));
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
    // In-cluster steps fetch the cluster's credential on each attempt (no kubeconfig on a worker's
    // disk): AKS runs have never had a kubeconfig step, so no older history needs one.
    return ClusterAccess.bindAdminAndVerifyNodes(spec, steps, kube, null);
  }
}
