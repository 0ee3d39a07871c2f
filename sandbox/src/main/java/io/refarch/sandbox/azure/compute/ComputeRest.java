package io.refarch.sandbox.azure.compute;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.azure.AzureOptions;
import io.refarch.sandbox.azure.aks.Aks;
import io.refarch.sandbox.azure.core.ApiVersions;
import io.refarch.sandbox.azure.core.ArmServer;
import io.refarch.sandbox.azure.core.ArmServer.Response;
import io.refarch.sandbox.azure.core.AzureRegions;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a preflight reads of Microsoft.Compute: the region's vCPU usages and limits (Total Regional
 * vCPUs, {@code cores}, and each VM family's; AKS's agent pools are what uses them) and the
 * Resource SKUs (every {@link VmSizes} size, unrestricted, in every region and zone).
 */
public final class ComputeRest {

  private static final String SUB = "/subscriptions/([^/]+)/providers/Microsoft\\.Compute";
  private static final Pattern LOCATION_FILTER =
      Pattern.compile("location\\s+eq\\s+'([^']*)'", Pattern.CASE_INSENSITIVE);

  private final Aks aks;
  private final AzureOptions options;
  private final Faults faults;

  public ComputeRest(Aks aks, AzureOptions options, Faults faults) {
    this.aks = aks;
    this.options = options;
    this.faults = faults;
  }

  public void routes(ArmServer s) {
    s.route(
        "GET",
        SUB + "/locations/([^/]+)/usages",
        (m, r) -> {
          ApiVersions.check(r.apiVersion(), ApiVersions.COMPUTE, m.group(2));
          faults.check("ListUsages", m.group(2));
          return Response.ok(usages(m.group(1), AzureRegions.normalize(m.group(2))));
        });
    s.route(
        "GET",
        SUB + "/skus",
        (m, r) -> {
          ApiVersions.check(r.apiVersion(), ApiVersions.COMPUTE_SKUS, null);
          String filter = r.query().getOrDefault("$filter", "");
          Matcher f = LOCATION_FILTER.matcher(filter);
          List<String> locations =
              f.find() ? List.of(AzureRegions.normalize(f.group(1))) : AzureRegions.ALL;
          faults.check("ListSkus", locations.size() == 1 ? locations.get(0) : "global");
          return Response.ok(skus(locations));
        });
  }

  private ObjectNode usages(String subscription, String location) {
    Map<String, Long> used = aks.usage(subscription, location);
    ObjectNode node = Json.object();
    ArrayNode value = node.putArray("value");
    usage(value, AzureOptions.TOTAL, "Total Regional vCPUs", used, subscription, location);
    VmSizes.families()
        .forEach((family, display) -> usage(value, family, display, used, subscription, location));
    return node;
  }

  private void usage(
      ArrayNode value,
      String name,
      String display,
      Map<String, Long> used,
      String subscription,
      String location) {
    ObjectNode u = value.addObject();
    u.put("currentValue", used.getOrDefault(name, 0L));
    u.put(
        "id",
        "/subscriptions/"
            + subscription
            + "/providers/Microsoft.Compute/locations/"
            + location
            + "/usages/"
            + name);
    u.put("limit", options.limit(name));
    u.putObject("name").put("localizedValue", display).put("value", name);
    u.put("unit", "Count");
  }

  private static ObjectNode skus(List<String> locations) {
    ObjectNode node = Json.object();
    ArrayNode value = node.putArray("value");
    for (String location : locations) {
      for (VmSizes.VmSize size : VmSizes.ALL.values()) {
        ObjectNode sku = value.addObject();
        sku.put("resourceType", "virtualMachines");
        sku.put("name", size.name());
        sku.put("tier", "Standard");
        sku.put("size", size.name().substring("Standard_".length()));
        sku.put("family", size.family());
        sku.putArray("locations").add(location);
        ObjectNode info = sku.putArray("locationInfo").addObject();
        info.put("location", location);
        info.putArray("zones").add("1").add("2").add("3");
        info.putArray("zoneDetails");
        ArrayNode caps = sku.putArray("capabilities");
        caps.addObject().put("name", "vCPUs").put("value", Integer.toString(size.vcpus()));
        caps.addObject().put("name", "MemoryGB").put("value", Integer.toString(size.memoryGb()));
        caps.addObject().put("name", "HyperVGenerations").put("value", "V1,V2");
        caps.addObject()
            .put("name", "PremiumIO")
            .put(
                "value",
                size.name().contains("s_") || size.name().contains("DS") ? "True" : "False");
        caps.addObject().put("name", "vCPUsAvailable").put("value", Integer.toString(size.vcpus()));
        sku.putArray("restrictions");
      }
    }
    return node;
  }
}
