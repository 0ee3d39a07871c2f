package io.refarch.spec;

import java.util.List;

/** AKS's names and limits, as the Azure Resource Manager enforces them. */
final class AksRules {
  static final NameRule CLUSTER_NAME =
      NameRule.atMost(
          63,
          "[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?",
          "letters, digits, hyphens or underscores and start and end with a letter or digit (AKS cluster names)");
  static final NameRule AGENT_POOL_NAME =
      NameRule.atMost(
          12,
          "[a-z][a-z0-9]*",
          "lowercase letters or digits and start with a letter (AKS agent pool names)");
  static final String SUBSCRIPTION =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
  static final NameRule RESOURCE_GROUP =
      NameRule.atMost(
          90,
          "[-\\w().]*[-\\w()]",
          "letters, digits, underscores, hyphens, periods or parentheses and not end with a period");
  static final NameRule DNS_PREFIX =
      NameRule.atMost(
          54,
          "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?",
          "letters, digits or hyphens and start and end with a letter or digit");
  static final String LOCATION = "[a-z][a-z0-9]*";
  static final String VERSION = "\\d+\\.\\d+(\\.\\d+)?";
  static final String VM_SIZE = "[A-Za-z]+_[A-Za-z0-9_]+";
  static final List<String> ZONES = List.of("1", "2", "3");
  static final List<String> NETWORK_PLUGINS = List.of("azure", "kubenet", "none");
  static final List<String> NETWORK_POLICIES = List.of("calico", "azure", "cilium");
  static final List<String> DISK_TYPES = List.of("Managed", "Ephemeral");

  private AksRules() {}

  static void check(ClusterSpec spec, Problems p) {
    CLUSTER_NAME.check("name", spec.name(), p);
    p.matches("region", spec.region(), LOCATION, "not an Azure location (like westeurope)");
    List<String> zones = spec.zones() == null ? List.of() : spec.zones();
    for (int i = 0; i < zones.size(); i++) {
      if (!ZONES.contains(zones.get(i))) {
        p.add("zones[" + i + "]", "must be 1, 2 or 3 on azure");
      }
    }
    p.matches(
        "kubernetesVersion",
        spec.kubernetesVersion(),
        VERSION,
        "not an AKS version (like 1.29 or 1.29.7)");
    AzureOptions a = spec.azure();
    boolean policy = spec.network() != null && Boolean.TRUE.equals(spec.network().networkPolicy());
    if (a == null) {
      p.add("azure.subscription", "required");
    } else {
      checkOptions(a, policy, p);
    }
    List<NodePool> pools = spec.nodePools() == null ? List.of() : spec.nodePools();
    for (int i = 0; i < pools.size(); i++) {
      NodePool pool = pools.get(i);
      if (pool == null) {
        continue;
      }
      String path = "nodePools[" + i + "]";
      checkAgentPool(pool, path, p);
      if (i == 0 && pool.minNodes() != null && pool.minNodes() < 1) {
        p.compare(
            path
                + ".minNodes ("
                + pool.minNodes()
                + ") < 1; the first pool is AKS's system pool, which needs a node");
      }
    }
  }

  private static void checkOptions(AzureOptions a, boolean networkPolicy, Problems p) {
    if (p.required("azure.subscription", a.subscription())) {
      p.matches("azure.subscription", a.subscription(), SUBSCRIPTION, "must be a UUID");
    }
    if (p.required("azure.resourceGroup", a.resourceGroup())) {
      RESOURCE_GROUP.check("azure.resourceGroup", a.resourceGroup(), p);
    }
    if (p.required("azure.dnsPrefix", a.dnsPrefix())) {
      DNS_PREFIX.check("azure.dnsPrefix", a.dnsPrefix(), p);
    }
    p.oneOf("azure.networkPlugin", a.networkPlugin(), NETWORK_PLUGINS);
    checkTags(a, p);
    if (networkPolicy && a.networkPolicy() == null) {
      p.add("azure.networkPolicy", "required when network.networkPolicy is true");
    } else if (!networkPolicy && a.networkPolicy() != null) {
      p.add("azure.networkPolicy", "set, but network.networkPolicy is false");
    } else {
      p.oneOf("azure.networkPolicy", a.networkPolicy(), NETWORK_POLICIES);
      if ("azure".equals(a.networkPolicy()) && !"azure".equals(a.networkPlugin())) {
        p.add("azure.networkPolicy", "azure needs networkPlugin azure");
      }
    }
  }

  /** Azure's tag limits (50 per resource, name 512, value 256, no {@code <>%&\\?/} in names). */
  private static void checkTags(AzureOptions a, Problems p) {
    if (a.tags() == null) {
      return;
    }
    // refarch adds its two ownership tags to every resource.
    if (a.tags().size() > 48) {
      p.add("azure.tags", "at most 48 (Azure allows 50 per resource; refarch adds 2)");
    }
    a.tags()
        .forEach(
            (k, v) -> {
              String path = "azure.tags[\"" + k + "\"]";
              if (k.isEmpty() || k.length() > 512) {
                p.add(path, "names are 1 to 512 characters");
              } else if (k.matches(".*[<>%&\\\\?/].*")) {
                p.add(path, "names may not contain < > % & \\ ? /");
              } else if (k.equals("refarch-cluster") || k.equals("refarch-run")) {
                p.add(path, "refarch-cluster and refarch-run are refarch's own (who made what)");
              } else if (v == null || v.length() > 256) {
                p.add(path, "values are at most 256 characters");
              }
            });
  }

  private static void checkAgentPool(NodePool pool, String path, Problems p) {
    AGENT_POOL_NAME.check(path + ".name", pool.name(), p);
    p.matches(
        path + ".machineType",
        pool.machineType(),
        VM_SIZE,
        "not an Azure VM size (like Standard_D4_v4)");
    p.oneOf(path + ".diskType", pool.diskType(), DISK_TYPES);
    p.between(path + ".diskSizeGb", pool.diskSizeGb(), 30, 2048, "on azure");
    p.between(path + ".maxPods", pool.maxPods(), 10, 250, "on azure");
  }
}
