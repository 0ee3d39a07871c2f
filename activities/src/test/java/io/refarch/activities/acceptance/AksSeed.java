package io.refarch.activities.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.activities.aks.AzureClients;
import io.refarch.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What provisioning {@code examples/aks.yaml} must do to the sandbox's Azure, written out by hand
 * from Gitpod's AKS guide ({@code az group create}, {@code az aks create} with the services pool,
 * {@code az aks nodepool add} for each workspace pool, then cluster-admin), so that any change of
 * order or any extra create fails a test.
 */
final class AksSeed {
  private AksSeed() {}

  static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
  static final String GROUP = "gitpod-rg";
  static final String CLUSTER = SUBSCRIPTION + "/" + GROUP + "/gitpod";

  /** The guide's steps as requests. */
  static final List<String> MUTATIONS =
      List.of(
          "PutResourceGroup " + GROUP,
          "PutManagedCluster gitpod",
          "PutAgentPool regularws",
          "PutAgentPool headlessws",
          "POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings");

  /** The group's inventory line: what adoption must keep. */
  static final String GROUP_LINE =
      "azure group " + SUBSCRIPTION + "/" + GROUP + " westeurope Succeeded";

  static final List<String> INVENTORY =
      List.of(
          GROUP_LINE,
          "aks cluster " + CLUSTER + " Succeeded 1.29.*",
          "aks agentpool " + CLUSTER + "/services Succeeded System Standard_D4_v4 x1",
          "aks agentpool " + CLUSTER + "/regularws Succeeded User Standard_D16_v4 x1",
          "aks agentpool " + CLUSTER + "/headlessws Succeeded User Standard_D16_v4 x1",
          "k8s gitpod clusterrolebindings/cluster-admin-binding");

  /** The inventory with the cluster's patch version as a star, so two runs compare. */
  static List<String> normalized(List<String> inventory) {
    return inventory.stream().map(l -> l.replaceAll(" 1\\.29\\.\\d+$", " 1.29.*")).toList();
  }

  /** The resources a run creates, in the order it creates them (as the outcome names them). */
  static final List<String> CREATES_IN_ORDER =
      List.of(
          "resource-group/" + GROUP,
          "aks-cluster/gitpod",
          "agent-pool/regularws",
          "agent-pool/headlessws",
          "cluster-role-binding/cluster-admin-binding");

  /**
   * A teardown's deletes, newest first; the cluster-admin binding dies with the cluster, so
   * teardown does not call the cluster's API.
   */
  static final List<String> DELETES_IN_ORDER =
      List.of(
          "agent-pool/headlessws",
          "agent-pool/regularws",
          "aks-cluster/gitpod",
          "resource-group/" + GROUP);

  /**
   * The tags of each Azure resource refarch makes, read back through ARM: the group, the cluster,
   * and each of its agent pools, by their inventory name.
   */
  static Map<String, Map<String, String>> tags(Sandbox sandbox) {
    AzureClients arm = AzureClients.connect(SandboxWorker.azure(sandbox), SUBSCRIPTION);
    String group = "/subscriptions/" + SUBSCRIPTION + "/resourcegroups/" + GROUP;
    String cluster = group + "/providers/Microsoft.ContainerService/managedClusters/gitpod";
    Map<String, Map<String, String>> tags = new TreeMap<>();
    tags.put("group", tagsOf(arm.get(group + "?api-version=2021-04-01")));
    tags.put("cluster", tagsOf(arm.get(cluster + "?api-version=2025-01-01")));
    for (JsonNode pool : arm.get(cluster + "/agentPools?api-version=2025-01-01").path("value")) {
      tags.put("pool " + pool.path("name").asText(), tagsOf(pool.path("properties")));
    }
    return tags;
  }

  private static Map<String, String> tagsOf(JsonNode resource) {
    Map<String, String> tags = new TreeMap<>();
    resource
        .path("tags")
        .fields()
        .forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    return tags;
  }

  /** The names of {@link #tags} in the order of a clean run. */
  static List<String> taggedResources() {
    List<String> names = new ArrayList<>(List.of("cluster", "group"));
    names.addAll(List.of("pool headlessws", "pool regularws", "pool services"));
    return names;
  }
}
