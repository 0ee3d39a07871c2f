package io.refarch.activities.aks;

import com.azure.resourcemanager.containerservice.fluent.models.KubernetesVersionListResultInner;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.KubernetesVersion;
import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.NodePool;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.PreflightReport.Check;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What would otherwise fail minutes into an AKS run, read before anything is made: the credential
 * signs in and may read the subscription; AKS offers the version in the region; the cluster name is
 * free (or refarch's for this cluster); every pool's VM size is offered in the region without
 * restriction; the region's vCPU quota, per VM family and in total, covers the pools' initial
 * nodes. Compute's usages and SKUs come over the same authenticated pipeline: the SDK this project
 * uses for AKS has no Compute client.
 */
public final class AksPreflight {
  static final String USAGES_API = "2024-07-01";
  static final String SKUS_API = "2021-07-01";

  /** The quota every family also counts against, in Compute's usages. */
  static final String REGIONAL_VCPUS = "cores";

  private final AzureClients clients;

  AksPreflight(AzureClients clients) {
    this.clients = clients;
  }

  /** The checks for {@code spec}, through {@code connection} (for {@code refarch preflight}). */
  public static PreflightReport check(AzureConnection connection, ClusterSpec spec) {
    return new AksPreflight(AzureClients.connect(connection, spec.azure().subscription()))
        .check(spec);
  }

  PreflightReport check(ClusterSpec spec) {
    List<Check> checks = new ArrayList<>();
    KubernetesVersionListResultInner versions;
    try {
      versions = clients.clusters.listKubernetesVersions(spec.region());
      checks.add(
          new Check(
              "Azure credential",
              true,
              "signed in; subscription " + clients.subscription + " readable"));
    } catch (RuntimeException e) {
      checks.add(new Check("Azure credential", false, reason(e)));
      // Nothing else can be read without it.
      return new PreflightReport(checks);
    }
    checks.add(version(spec, versions));
    checks.add(name(spec));
    Map<String, JsonNode> skus = new LinkedHashMap<>();
    checks.add(sizes(spec, skus));
    if (skus.size() == distinctSizes(spec)) {
      checks.add(quota(spec, skus));
    }
    return new PreflightReport(checks);
  }

  private static Check version(ClusterSpec spec, KubernetesVersionListResultInner list) {
    TreeSet<String> offered = new TreeSet<>();
    for (KubernetesVersion v :
        list.values() == null ? List.<KubernetesVersion>of() : list.values()) {
      offered.add(v.version());
      if (v.patchVersions() != null) {
        offered.addAll(v.patchVersions().keySet());
      }
    }
    String wanted = spec.kubernetesVersion();
    return offered.contains(wanted)
        ? new Check("Kubernetes version", true, "AKS offers " + wanted + " in " + spec.region())
        : new Check(
            "Kubernetes version",
            false,
            "AKS does not offer "
                + wanted
                + " in "
                + spec.region()
                + " (offered: "
                + String.join(", ", offered)
                + "): set kubernetesVersion to one of them");
  }

  private Check name(ClusterSpec spec) {
    ManagedClusterInner existing;
    try {
      existing = clients.clusters.getByResourceGroup(spec.azure().resourceGroup(), spec.name());
    } catch (RuntimeException e) {
      if (AzureErrors.isNotFound(e)) {
        return new Check("Cluster name", true, spec.name() + " is free");
      }
      return new Check("Cluster name", false, reason(e));
    }
    if (existing.tags() != null && Ownership.madeFor(existing.tags(), spec.name())) {
      return new Check(
          "Cluster name", true, spec.name() + " exists and is refarch's for this cluster");
    }
    return new Check(
        "Cluster name",
        false,
        "an AKS cluster "
            + spec.name()
            + " exists in resource group "
            + spec.azure().resourceGroup()
            + " without the tag "
            + Ownership.CLUSTER
            + "="
            + spec.name()
            + ": refarch does not take over clusters it did not make; choose another name");
  }

  private Check sizes(ClusterSpec spec, Map<String, JsonNode> found) {
    JsonNode list;
    try {
      String filter =
          URLEncoder.encode("location eq '" + spec.region() + "'", StandardCharsets.UTF_8);
      list =
          clients.get(
              "/subscriptions/"
                  + clients.subscription
                  + "/providers/Microsoft.Compute/skus?api-version="
                  + SKUS_API
                  + "&$filter="
                  + filter);
    } catch (RuntimeException e) {
      return new Check("VM sizes", false, reason(e));
    }
    List<String> problems = new ArrayList<>();
    for (NodePool pool : spec.nodePools()) {
      if (found.containsKey(pool.machineType())) {
        continue;
      }
      Optional<JsonNode> sku = Optional.empty();
      for (JsonNode s : list.path("value")) {
        if (s.path("resourceType").asText().equals("virtualMachines")
            && s.path("name").asText().equalsIgnoreCase(pool.machineType())) {
          sku = Optional.of(s);
        }
      }
      if (sku.isEmpty()) {
        problems.add(
            pool.machineType() + " (" + pool.name() + ") is not offered in " + spec.region());
        continue;
      }
      List<String> restricted = new ArrayList<>();
      for (JsonNode r : sku.get().path("restrictions")) {
        if (r.path("type").asText().equals("Location")) {
          restricted.add(r.path("reasonCode").asText("restricted"));
        }
      }
      if (!restricted.isEmpty()) {
        problems.add(
            pool.machineType()
                + " ("
                + pool.name()
                + ") is restricted in "
                + spec.region()
                + ": "
                + String.join(", ", restricted));
        continue;
      }
      found.put(pool.machineType(), sku.get());
    }
    return problems.isEmpty()
        ? new Check("VM sizes", true, "offered in " + spec.region() + ": " + found.keySet())
        : new Check(
            "VM sizes",
            false,
            String.join("; ", problems) + ": choose sizes `az vm list-skus -l REGION` lists");
  }

  private Check quota(ClusterSpec spec, Map<String, JsonNode> skus) {
    // vCPUs the pools' initial nodes need, per VM family and in all.
    Map<String, Long> needed = new LinkedHashMap<>();
    long total = 0;
    for (NodePool pool : spec.nodePools()) {
      JsonNode sku = skus.get(pool.machineType());
      long vcpus = (long) vcpus(sku) * pool.initialNodes();
      needed.merge(sku.path("family").asText(), vcpus, Long::sum);
      total += vcpus;
    }
    needed.put(REGIONAL_VCPUS, total);
    JsonNode usages;
    try {
      usages =
          clients.get(
              "/subscriptions/"
                  + clients.subscription
                  + "/providers/Microsoft.Compute/locations/"
                  + spec.region()
                  + "/usages?api-version="
                  + USAGES_API);
    } catch (RuntimeException e) {
      return new Check("vCPU quota", false, reason(e));
    }
    List<String> short_ = new ArrayList<>();
    List<String> fine = new ArrayList<>();
    needed.forEach(
        (family, want) -> {
          for (JsonNode u : usages.path("value")) {
            if (u.path("name").path("value").asText().equalsIgnoreCase(family)) {
              long used = u.path("currentValue").asLong();
              long limit = u.path("limit").asLong();
              String line =
                  u.path("name").path("localizedValue").asText(family)
                      + ": "
                      + used
                      + " used + "
                      + want
                      + " needed of "
                      + limit;
              (used + want > limit ? short_ : fine).add(line);
            }
          }
        });
    return short_.isEmpty()
        ? new Check("vCPU quota", true, String.join("; ", fine))
        : new Check(
            "vCPU quota",
            false,
            String.join("; ", short_)
                + ": request more (Azure portal, Quotas) or start fewer initial nodes");
  }

  private static int vcpus(JsonNode sku) {
    for (JsonNode c : sku.path("capabilities")) {
      if (c.path("name").asText().equals("vCPUs")) {
        return c.path("value").asInt();
      }
    }
    return 0;
  }

  private static long distinctSizes(ClusterSpec spec) {
    return spec.nodePools().stream().map(NodePool::machineType).distinct().count();
  }

  private static String reason(RuntimeException e) {
    return AzureErrors.translate("reading", e).getOriginalMessage();
  }
}
