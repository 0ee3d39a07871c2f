package io.refarch.sandbox.azure.aks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes versions AKS offers in every region of the sandbox, as its kubernetesVersions API
 * lists them (minor versions with their patches; AKS supports about three minors at a time plus
 * LTS). A cluster may name a minor ("1.32", the latest patch) or a patch.
 */
public final class AksVersions {

  private AksVersions() {}

  /** Offered minors with their patches, oldest first. */
  public static final Map<String, List<String>> OFFERED = new LinkedHashMap<>();

  static {
    OFFERED.put("1.29", List.of("1.29.14", "1.29.15"));
    OFFERED.put("1.30", List.of("1.30.13", "1.30.14"));
    OFFERED.put("1.31", List.of("1.31.9", "1.31.10"));
    OFFERED.put("1.32", List.of("1.32.5", "1.32.6"));
    OFFERED.put("1.33", List.of("1.33.1", "1.33.2"));
  }

  /** What a cluster gets when its PUT names no version. */
  public static final String DEFAULT = "1.32";

  /** The patch a requested version runs: itself, or its minor's latest patch. */
  public static Optional<String> resolve(String requested) {
    if (requested == null) {
      return resolve(DEFAULT);
    }
    List<String> patches = OFFERED.get(requested);
    if (patches != null) {
      return Optional.of(patches.get(patches.size() - 1));
    }
    return OFFERED.values().stream()
        .flatMap(List::stream)
        .filter(p -> p.equals(requested))
        .findFirst();
  }

  /** The kubernetesVersions answer (KubernetesVersionListResult). */
  public static ObjectNode list() {
    ObjectNode node = Json.object();
    ArrayNode values = node.putArray("values");
    List<String> minors = List.copyOf(OFFERED.keySet());
    for (int i = 0; i < minors.size(); i++) {
      String minor = minors.get(i);
      ObjectNode v = values.addObject();
      v.put("version", minor);
      // The oldest minor is offered for LTS only, as AKS does once a version leaves community
      // support.
      v.putObject("capabilities")
          .putArray("supportPlan")
          .add("KubernetesOfficial")
          .add("AKSLongTermSupport");
      if (minor.equals(DEFAULT)) {
        v.put("isDefault", true);
      }
      v.put("isPreview", false);
      ObjectNode patches = v.putObject("patchVersions");
      for (String patch : OFFERED.get(minor)) {
        ArrayNode upgrades = patches.putObject(patch).putArray("upgrades");
        OFFERED.get(minor).stream().filter(p -> p.compareTo(patch) > 0).forEach(upgrades::add);
        if (i + 1 < minors.size()) {
          OFFERED.get(minors.get(i + 1)).forEach(upgrades::add);
        }
      }
    }
    return node;
  }
}
