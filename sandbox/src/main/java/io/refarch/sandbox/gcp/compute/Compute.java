package io.refarch.sandbox.gcp.compute;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.RestServer;
import io.refarch.sandbox.gcp.GcpProject;
import io.refarch.sandbox.gcp.GoogleApiError;
import io.refarch.sandbox.gcp.gke.Gke;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * compute.googleapis.com v1 {@code regions.get}: a region's zones and its CPU quotas. Limits come
 * from {@link GcpProject} (defaults, or {@code --sandbox-quota}); usage is what the node pools the
 * sandbox holds in that region run, machine type vCPUs times nodes (the sandbox's node count,
 * {@code initialNodeCount} per pool). Every vCPU counts against {@code CPUS}, and against its
 * family's metric ({@code N2D_CPUS} for n2d-*) where the region reports one. Creating a pool does
 * not consult the quota: a quota refusal is injected with a fault.
 */
public final class Compute {

  private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");

  private final Gke gke;
  private final GcpProject project;
  private final Faults faults;

  public Compute(Gke gke, GcpProject project, Faults faults) {
    this.gke = gke;
    this.project = project;
    this.faults = faults;
  }

  public void register(RestServer rest, String apiBase) {
    rest.route(
        "GET",
        "/compute/v1/projects/([a-z][-a-z0-9]*)/regions/([^/]+)",
        (m, r) -> region(m.group(1), m.group(2), apiBase).toString());
  }

  ObjectNode region(String projectId, String region, String apiBase) {
    faults.check("getRegion", region, projectId);
    if (!REGION.matcher(region).matches()) {
      throw GoogleApiError.notFound(
          "The resource 'projects/" + projectId + "/regions/" + region + "' was not found");
    }
    String self = apiBase + "/compute/v1/projects/" + projectId + "/regions/" + region;
    ObjectNode node = Json.object();
    node.put("kind", "compute#region");
    node.put("id", Long.toString(Math.floorMod(region.hashCode(), 1_000_000_000L)));
    node.put("name", region);
    node.put("description", region);
    node.put("status", "UP");
    ArrayNode zones = node.putArray("zones");
    for (String z : new String[] {"a", "b", "c"}) {
      zones.add(apiBase + "/compute/v1/projects/" + projectId + "/zones/" + region + "-" + z);
    }
    Map<String, Double> usage = usage(projectId, region);
    ArrayNode quotas = node.putArray("quotas");
    project
        .limits(region)
        .forEach(
            (metric, limit) -> {
              ObjectNode q = quotas.addObject();
              q.put("metric", metric);
              q.put("limit", limit);
              q.put("usage", usage.getOrDefault(metric, 0.0));
            });
    node.put("selfLink", self);
    return node;
  }

  private Map<String, Double> usage(String projectId, String region) {
    Map<String, Double> usage = new TreeMap<>();
    Map<String, Double> limits = project.limits(region);
    gke.machinesIn(projectId, region)
        .forEach(
            (machineType, nodes) ->
                MachineTypes.vcpus(machineType)
                    .ifPresent(
                        cpus -> {
                          usage.merge("CPUS", (double) cpus * nodes, Double::sum);
                          String family = MachineTypes.family(machineType) + "_CPUS";
                          if (limits.containsKey(family)) {
                            usage.merge(family, (double) cpus * nodes, Double::sum);
                          }
                        }));
    return usage;
  }
}
