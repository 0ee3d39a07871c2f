package io.refarch.sandbox.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.polling.SyncPoller;
import com.azure.resourcemanager.containerservice.ContainerServiceManager;
import com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.AgentPoolMode;
import com.azure.resourcemanager.containerservice.models.AgentPoolType;
import com.azure.resourcemanager.containerservice.models.ContainerServiceNetworkProfile;
import com.azure.resourcemanager.containerservice.models.ContainerServiceVMSizeTypes;
import com.azure.resourcemanager.containerservice.models.KubernetesCluster;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAgentPoolProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterIdentity;
import com.azure.resourcemanager.containerservice.models.NetworkPlugin;
import com.azure.resourcemanager.containerservice.models.NetworkPolicy;
import com.azure.resourcemanager.containerservice.models.ResourceIdentityType;
import com.azure.resourcemanager.resources.ResourceManager;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AKS as the real Azure SDK (containerservice, resources, azure-identity over the JDK HTTP client)
 * drives it against the sandbox: a resource group, a managed cluster with its system pool, user
 * pools, credentials whose kubeconfig opens the cluster's API, AKS's 409 while a pool is busy,
 * faults, and the group's delete taking everything with it.
 */
class AzureAksTest {

  static final String SUB = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
  static final String RG = "refarch-rg";

  @TempDir Path state;
  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  static ManagedClusterInner cluster() {
    return new ManagedClusterInner()
        .withLocation("westeurope")
        .withTags(Map.of("owner", "test"))
        .withIdentity(new ManagedClusterIdentity().withType(ResourceIdentityType.SYSTEM_ASSIGNED))
        .withDnsPrefix("refarch")
        .withKubernetesVersion("1.32")
        .withAgentPoolProfiles(
            List.of(
                new ManagedClusterAgentPoolProfile()
                    .withName("services")
                    .withMode(AgentPoolMode.SYSTEM)
                    .withVmSize("Standard_D4_v4")
                    .withCount(1)
                    .withEnableAutoScaling(true)
                    .withMinCount(1)
                    .withMaxCount(3)
                    .withMaxPods(110)
                    .withOsDiskSizeGB(100)
                    .withType(AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS)
                    .withNodeLabels(Map.of("gitpod.io/workload_services", "true"))))
        .withNetworkProfile(
            new ContainerServiceNetworkProfile()
                .withNetworkPlugin(NetworkPlugin.AZURE)
                .withNetworkPolicy(NetworkPolicy.CALICO));
  }

  static AgentPoolInner workspacePool(int count) {
    return new AgentPoolInner()
        .withMode(AgentPoolMode.USER)
        .withVmSize("Standard_D16_v4")
        .withCount(count)
        .withEnableAutoScaling(true)
        .withMinCount(1)
        .withMaxCount(10)
        .withMaxPods(110)
        .withOsDiskSizeGB(300)
        .withTypePropertiesType(AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS)
        .withNodeLabels(Map.of("gitpod.io/workload_workspace_regular", "true"));
  }

  @Test
  void createsAClusterWithPoolsWhoseNodesTheKubeconfigShows() throws Exception {
    sandbox = Sandbox.start(SandboxOptions.defaults(state));
    ResourceManager resources = AzureClients.resources(sandbox, SUB);
    resources
        .resourceGroups()
        .define(RG)
        .withRegion("westeurope")
        .withTags(Map.of("owner", "test"))
        .create();
    assertThat(resources.resourceGroups().contain(RG)).isTrue();
    assertThat(resources.resourceGroups().getByName(RG).tags()).containsEntry("owner", "test");

    ContainerServiceManager aks = AzureClients.aks(sandbox, SUB);
    ManagedClusterInner created =
        aks.serviceClient().getManagedClusters().createOrUpdate(RG, "refarch", cluster());
    assertThat(created.provisioningState()).isEqualTo("Succeeded");
    assertThat(created.currentKubernetesVersion()).isEqualTo("1.32.6");
    assertThat(created.nodeResourceGroup()).isEqualTo("MC_refarch-rg_refarch_westeurope");
    assertThat(created.identity().principalId()).isNotBlank();
    assertThat(created.networkProfile().networkPolicy()).isEqualTo(NetworkPolicy.CALICO);

    aks.serviceClient()
        .getAgentPools()
        .createOrUpdate(RG, "refarch", "regularws", workspacePool(2));
    aks.serviceClient()
        .getAgentPools()
        .createOrUpdate(RG, "refarch", "headlessws", workspacePool(1));
    assertThat(aks.serviceClient().getAgentPools().list(RG, "refarch").stream().map(p -> p.name()))
        .containsExactlyInAnyOrder("services", "regularws", "headlessws");
    ManagedClusterInner read =
        aks.serviceClient().getManagedClusters().getByResourceGroup(RG, "refarch");
    assertThat(read.agentPoolProfiles()).hasSize(3);
    assertThat(aks.serviceClient().getManagedClusters().listByResourceGroup(RG).stream())
        .hasSize(1);
    assertThat(aks.serviceClient().getManagedClusters().list().stream()).hasSize(1);

    byte[] kubeconfig =
        aks.serviceClient()
            .getManagedClusters()
            .listClusterAdminCredentials(RG, "refarch")
            .kubeconfigs()
            .get(0)
            .value();
    try (KubernetesClient kube =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(new String(kubeconfig, StandardCharsets.UTF_8)))
            .build()) {
      List<Node> nodes = kube.nodes().list().getItems();
      assertThat(nodes.stream().map(n -> n.getMetadata().getName()))
          .hasSize(4)
          .allMatch(n -> n.matches("aks-(services|regularws|headlessws)-\\d{8}-vmss00000[0-9a-z]"))
          .anyMatch(n -> n.startsWith("aks-regularws-") && n.endsWith("vmss000001"));
      Node services =
          nodes.stream()
              .filter(n -> n.getMetadata().getName().startsWith("aks-services-"))
              .findFirst()
              .orElseThrow();
      assertThat(services.getMetadata().getLabels())
          .containsEntry("agentpool", "services")
          .containsEntry("kubernetes.azure.com/agentpool", "services")
          .containsEntry("kubernetes.azure.com/mode", "system")
          .containsEntry("node.kubernetes.io/instance-type", "Standard_D4_v4")
          .containsEntry("topology.kubernetes.io/region", "westeurope")
          .containsEntry("kubernetes.io/os", "linux")
          .containsEntry("gitpod.io/workload_services", "true");
      assertThat(services.getStatus().getCapacity().get("pods").getAmount()).isEqualTo("110");
      assertThat(services.getStatus().getNodeInfo().getContainerRuntimeVersion())
          .startsWith("containerd://1.7.");
      assertThat(services.getStatus().getNodeInfo().getKernelVersion())
          .isEqualTo("5.15.0-1079-azure");
      assertThat(services.getStatus().getNodeInfo().getOsImage()).isEqualTo("Ubuntu 22.04.5 LTS");
      assertThat(services.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.6");
    }

    assertThat(sandbox.inventory())
        .contains(
            "azure group " + SUB + "/" + RG + " westeurope Succeeded",
            "aks cluster " + SUB + "/" + RG + "/refarch Succeeded 1.32.6",
            "aks agentpool "
                + SUB
                + "/"
                + RG
                + "/refarch/regularws Succeeded User Standard_D16_v4 x2");
    assertThat(sandbox.operationTimings())
        .extracting(t -> t.kind())
        .contains("aks.CREATE_CLUSTER", "aks.CREATE_AGENT_POOL");

    aks.serviceClient().getAgentPools().delete(RG, "refarch", "headlessws");
    assertThat(aks.serviceClient().getAgentPools().list(RG, "refarch").stream()).hasSize(2);

    resources.resourceGroups().beginDeleteByName(RG).getFinalResult();
    assertThat(resources.resourceGroups().contain(RG)).isFalse();
    assertThat(sandbox.inventory()).isEmpty();
  }

  @Test
  void theFluentApiCreatesAClusterAndReadsItsKubeconfig() throws Exception {
    sandbox = Sandbox.start(SandboxOptions.defaults(state));
    AzureClients.resources(sandbox, SUB)
        .resourceGroups()
        .define(RG)
        .withRegion("westeurope")
        .create();
    ContainerServiceManager aks = AzureClients.aks(sandbox, SUB);
    KubernetesCluster cluster =
        aks.kubernetesClusters()
            .define("fluent")
            .withRegion("westeurope")
            .withExistingResourceGroup(RG)
            .withDefaultVersion()
            .withSystemAssignedManagedServiceIdentity()
            .defineAgentPool("services")
            .withVirtualMachineSize(ContainerServiceVMSizeTypes.fromString("Standard_D4_v4"))
            .withAgentPoolVirtualMachineCount(2)
            .withAgentPoolMode(AgentPoolMode.SYSTEM)
            .attach()
            .withDnsPrefix("fluent")
            .withTag("owner", "test")
            .create();
    assertThat(cluster.provisioningState()).isEqualTo("Succeeded");
    assertThat(cluster.agentPools()).containsKey("services");
    assertThat(new String(cluster.adminKubeConfigContent(), StandardCharsets.UTF_8))
        .contains("clusterAdmin_" + RG + "_fluent");
    assertThat(
            aks.kubernetesClusters()
                .getByResourceGroup(RG, "fluent")
                .agentPools()
                .get("services")
                .count())
        .isEqualTo(2);
    // DELETE answers 202 with Azure-AsyncOperation and Location; the SDK polls until it ends.
    aks.kubernetesClusters().deleteByResourceGroup(RG, "fluent");
    assertThat(aks.kubernetesClusters().listByResourceGroup(RG).stream()).isEmpty();
    assertThat(sandbox.inventory())
        .containsExactly("azure group " + SUB + "/" + RG + " westeurope Succeeded");
  }

  @Test
  void aSecondPoolWhileOneIsCreatingGetsAksConflict() throws Exception {
    sandbox =
        Sandbox.start(SandboxOptions.defaults(state).withOperationDuration(Duration.ofSeconds(2)));
    AzureClients.resources(sandbox, SUB)
        .resourceGroups()
        .define(RG)
        .withRegion("westeurope")
        .create();
    ContainerServiceManager aks = AzureClients.aks(sandbox, SUB);
    aks.serviceClient().getManagedClusters().createOrUpdate(RG, "refarch", cluster());
    SyncPoller<?, AgentPoolInner> first =
        aks.serviceClient()
            .getAgentPools()
            .beginCreateOrUpdate(RG, "refarch", "regularws", workspacePool(1));
    assertThatThrownBy(
            () ->
                aks.serviceClient()
                    .getAgentPools()
                    .createOrUpdate(RG, "refarch", "headlessws", workspacePool(1)))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(409);
              assertThat(e.getValue().getCode()).isEqualTo("OperationNotAllowed");
              assertThat(e.getValue().getMessage())
                  .isEqualTo(
                      "Operation is not allowed: Another agentpool operation (regularws -"
                          + " Creating) is in progress, please wait for it to finish before"
                          + " starting a new operation. See https://aka.ms/aks-pending-operation"
                          + " for more details");
            });
    // The same PUT again joins the running operation instead of starting a second one.
    AgentPoolInner again =
        aks.serviceClient()
            .getAgentPools()
            .createOrUpdate(RG, "refarch", "regularws", workspacePool(1));
    assertThat(again.provisioningState()).isEqualTo("Succeeded");
    assertThat(first.getFinalResult().provisioningState()).isEqualTo("Succeeded");
    assertThat(sandbox.operationTimings())
        .filteredOn(t -> t.kind().equals("aks.CREATE_AGENT_POOL"))
        .hasSize(1);
  }

  @Test
  void badValuesAndUnofferedVersionsAreRefusedAsAksRefusesThem() throws Exception {
    sandbox = Sandbox.start(SandboxOptions.defaults(state).withAzureQuota("standardDv4Family", 20));
    AzureClients.resources(sandbox, SUB)
        .resourceGroups()
        .define(RG)
        .withRegion("westeurope")
        .create();
    ContainerServiceManager aks = AzureClients.aks(sandbox, SUB);
    ManagedClusterInner old = cluster().withKubernetesVersion("1.22.12");
    assertThatThrownBy(
            () -> aks.serviceClient().getManagedClusters().createOrUpdate(RG, "old", old))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("K8sVersionNotSupported"));
    ManagedClusterInner pods = cluster();
    pods.agentPoolProfiles().get(0).withMaxPods(300);
    assertThatThrownBy(
            () -> aks.serviceClient().getManagedClusters().createOrUpdate(RG, "pods", pods))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getValue().getCode()).isEqualTo("InvalidParameter");
              assertThat(e.getValue().getMessage()).contains("agentPoolProfile.maxPods");
            });
    aks.serviceClient().getManagedClusters().createOrUpdate(RG, "refarch", cluster());
    // 4 vCPUs used of 20: two Standard_D16_v4 nodes do not fit.
    assertThatThrownBy(
            () ->
                aks.serviceClient()
                    .getAgentPools()
                    .createOrUpdate(RG, "refarch", "regularws", workspacePool(2)))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getValue().getCode()).isEqualTo("QuotaExceeded");
              assertThat(e.getValue().getMessage()).contains("Current Limit: 20");
            });
  }

  @Test
  void faultsReachTheClientAsTheirCodes() throws Exception {
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(state)
                .withFaults(
                    List.of(
                        Sandbox.parseFault("PutAgentPool:headlessws=QuotaExceeded"),
                        Sandbox.parseFault("GetManagedCluster=TooManyRequestsx2"),
                        Sandbox.parseFault("PutAgentPool.done:regularws=QuotaExceededx1"),
                        Sandbox.parseFault("PutManagedCluster.done:flaky=InternalServerErrorx1"))));
    AzureClients.resources(sandbox, SUB)
        .resourceGroups()
        .define(RG)
        .withRegion("westeurope")
        .create();
    ContainerServiceManager aks = AzureClients.aks(sandbox, SUB);
    aks.serviceClient().getManagedClusters().createOrUpdate(RG, "refarch", cluster());
    assertThatThrownBy(
            () ->
                aks.serviceClient()
                    .getAgentPools()
                    .createOrUpdate(RG, "refarch", "headlessws", workspacePool(1)))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("QuotaExceeded"));
    // azure-core retries 429 after its Retry-After: the third GET succeeds.
    assertThat(
            aks.serviceClient()
                .getManagedClusters()
                .getByResourceGroup(RG, "refarch")
                .provisioningState())
        .isEqualTo("Succeeded");
    // Accepted, then the operation ends Failed: the pool is left Failed and a second PUT
    // reconciles it.
    assertThatThrownBy(
            () ->
                aks.serviceClient()
                    .getAgentPools()
                    .createOrUpdate(RG, "refarch", "regularws", workspacePool(1)))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("QuotaExceeded"));
    assertThat(
            aks.serviceClient().getAgentPools().get(RG, "refarch", "regularws").provisioningState())
        .isEqualTo("Failed");
    assertThat(
            aks.serviceClient()
                .getAgentPools()
                .createOrUpdate(RG, "refarch", "regularws", workspacePool(1))
                .provisioningState())
        .isEqualTo("Succeeded");
    // A cluster whose create ends Failed is reconciled by the same PUT, nodes and all.
    assertThatThrownBy(
            () -> aks.serviceClient().getManagedClusters().createOrUpdate(RG, "flaky", cluster()))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("InternalServerError"));
    assertThat(
            aks.serviceClient()
                .getManagedClusters()
                .getByResourceGroup(RG, "flaky")
                .provisioningState())
        .isEqualTo("Failed");
    aks.serviceClient().getManagedClusters().createOrUpdate(RG, "flaky", cluster());
    byte[] kubeconfig =
        aks.serviceClient()
            .getManagedClusters()
            .listClusterUserCredentials(RG, "flaky")
            .kubeconfigs()
            .get(0)
            .value();
    try (KubernetesClient kube =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(new String(kubeconfig, StandardCharsets.UTF_8)))
            .build()) {
      assertThat(kube.nodes().list().getItems()).hasSize(1);
    }
  }

  @Test
  void aPutRepeatedAfterARestartJoinsTheOperationStillRunning() throws Exception {
    SandboxOptions slow =
        SandboxOptions.defaults(state).withOperationDuration(Duration.ofSeconds(3));
    sandbox = Sandbox.start(slow);
    AzureClients.resources(sandbox, SUB)
        .resourceGroups()
        .define(RG)
        .withRegion("westeurope")
        .create();
    AzureClients.aks(sandbox, SUB)
        .serviceClient()
        .getManagedClusters()
        .beginCreateOrUpdate(RG, "refarch", cluster());
    sandbox.close();

    sandbox = Sandbox.start(slow);
    assertThat(sandbox.inventory())
        .contains("aks cluster " + SUB + "/" + RG + "/refarch Creating 1.32.6");
    // A worker retrying after a crash sends the same PUT: it waits for the same operation.
    ManagedClusterInner done =
        AzureClients.aks(sandbox, SUB)
            .serviceClient()
            .getManagedClusters()
            .createOrUpdate(RG, "refarch", cluster());
    assertThat(done.provisioningState()).isEqualTo("Succeeded");
    assertThat(sandbox.operationTimings())
        .filteredOn(t -> t.kind().equals("aks.CREATE_CLUSTER"))
        .hasSize(1);
  }

  @Test
  void stateAndTrustSurviveARestart() throws Exception {
    sandbox = Sandbox.start(SandboxOptions.defaults(state));
    String ca = sandbox.azureCertificateAuthority();
    AzureClients.resources(sandbox, SUB)
        .resourceGroups()
        .define(RG)
        .withRegion("westeurope")
        .create();
    ContainerServiceManager aks = AzureClients.aks(sandbox, SUB);
    aks.serviceClient().getManagedClusters().createOrUpdate(RG, "refarch", cluster());
    List<String> before = sandbox.inventory();
    sandbox.close();
    assertThat(Sandbox.inventory(state)).isEqualTo(before);

    sandbox = Sandbox.start(SandboxOptions.defaults(state));
    assertThat(sandbox.azureCertificateAuthority()).isEqualTo(ca);
    assertThat(sandbox.inventory()).isEqualTo(before);
    ContainerServiceManager again = AzureClients.aks(sandbox, SUB);
    byte[] kubeconfig =
        again
            .serviceClient()
            .getManagedClusters()
            .listClusterUserCredentials(RG, "refarch")
            .kubeconfigs()
            .get(0)
            .value();
    try (KubernetesClient kube =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(new String(kubeconfig, StandardCharsets.UTF_8)))
            .build()) {
      assertThat(kube.nodes().list().getItems()).hasSize(1);
    }
    sandbox.reset();
    assertThat(sandbox.inventory()).isEmpty();
  }
}
