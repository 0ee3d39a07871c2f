package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The Table answers {@code kubectl get} asks for ({@code Accept: ...;as=Table}): a few columns per
 * kind.
 */
final class KubeTables {

  private KubeTables() {}

  static JsonNode table(KubeResource resource, List<ObjectNode> objects, long resourceVersion) {
    ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
    ArrayNode columns = table.putArray("columnDefinitions");
    List<String> names =
        switch (resource.plural()) {
          case "nodes" -> List.of("Name", "Status", "Roles", "Age", "Version");
          case "namespaces" -> List.of("Name", "Status", "Age");
          case "clusterrolebindings", "rolebindings" -> List.of("Name", "Role", "Age");
          default -> List.of("Name", "Age");
        };
    for (String n : names) {
      columns
          .addObject()
          .put("name", n)
          .put("type", "string")
          .put("format", n.equals("Name") ? "name" : "")
          .put("description", n)
          .put("priority", 0);
    }
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (String n : names) {
        cells.add(
            switch (n) {
              case "Name" -> o.path("metadata").path("name").asText();
              case "Status" ->
                  resource.plural().equals("nodes")
                      ? "Ready"
                      : o.path("status").path("phase").asText("Active");
              case "Roles" -> "<none>";
              case "Version" -> o.path("status").path("nodeInfo").path("kubeletVersion").asText();
              case "Role" ->
                  o.path("roleRef").path("kind").asText()
                      + "/"
                      + o.path("roleRef").path("name").asText();
              case "Age" -> age(o.path("metadata").path("creationTimestamp").asText());
              default -> "";
            });
      }
      ObjectNode partial =
          row.putObject("object")
              .put("kind", "PartialObjectMetadata")
              .put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", o.path("metadata").deepCopy());
    }
    return table;
  }

  private static String age(String timestamp) {
    try {
      Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
      if (d.toDays() > 0) {
        return d.toDays() + "d";
      }
      if (d.toHours() > 0) {
        return d.toHours() + "h";
      }
      if (d.toMinutes() > 0) {
        return d.toMinutes() + "m";
      }
      return Math.max(0, d.toSeconds()) + "s";
    } catch (RuntimeException e) {
      return "<unknown>";
    }
  }
}
