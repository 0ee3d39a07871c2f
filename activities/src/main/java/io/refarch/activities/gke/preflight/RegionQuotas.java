package io.refarch.activities.gke.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Compute Engine {@code regions.get}: a region's zones and its quotas. */
@FunctionalInterface
public interface RegionQuotas {

  /** One quota of the region. */
  record Quota(double limit, double usage) {
    double free() {
      return limit - usage;
    }
  }

  /** The region: how many zones it has, and its quotas by metric ("CPUS", "N2D_CPUS"). */
  record Region(int zones, Map<String, Quota> quotas) {}

  Region get(String project, String region) throws IOException;

  /** Over REST: {@code GET /compute/v1/projects/P/regions/R}. */
  static RegionQuotas rest(GoogleRest compute) {
    return (project, region) -> {
      JsonNode node = compute.get("/compute/v1/projects/" + project + "/regions/" + region);
      Map<String, Quota> quotas = new TreeMap<>();
      node.path("quotas")
          .forEach(
              q ->
                  quotas.put(
                      q.path("metric").asText(),
                      new Quota(q.path("limit").asDouble(), q.path("usage").asDouble())));
      return new Region(node.path("zones").size(), quotas);
    };
  }
}
