package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/** The objects users created in one emulated cluster, as JSON trees, with resource versions. */
public final class KubeStore {

  private final Map<String, ObjectNode> objects = new TreeMap<>();
  private long resourceVersion = 1;

  public static KubeStore restore(JsonNode node) {
    KubeStore store = new KubeStore();
    store.resourceVersion = Math.max(1, node.path("resourceVersion").asLong(1));
    for (JsonNode item : node.path("items")) {
      ObjectNode object = (ObjectNode) item.path("object");
      store.objects.put(item.path("key").asText(), object);
    }
    return store;
  }

  public synchronized ObjectNode snapshot() {
    ObjectNode node = Json.object();
    node.put("resourceVersion", resourceVersion);
    ArrayNode items = node.putArray("items");
    objects.forEach((key, object) -> items.addObject().put("key", key).set("object", object));
    return node;
  }

  /** One line per object: "plural/name" or "namespace/plural/name". */
  public synchronized List<String> inventory() {
    return new ArrayList<>(
        objects.keySet().stream()
            .map(
                k -> {
                  String[] parts = k.split("\\|", -1); // qualifiedName|namespace|name
                  String plural =
                      parts[0].contains(".")
                          ? parts[0].substring(0, parts[0].indexOf('.'))
                          : parts[0];
                  return parts[1].isEmpty()
                      ? plural + "/" + parts[2]
                      : parts[1] + "/" + plural + "/" + parts[2];
                })
            .sorted()
            .toList());
  }

  public synchronized Optional<ObjectNode> get(
      KubeResource resource, String namespace, String name) {
    return Optional.ofNullable(objects.get(key(resource, namespace, name)))
        .map(ObjectNode::deepCopy);
  }

  public synchronized List<ObjectNode> list(
      KubeResource resource, String namespace, Predicate<ObjectNode> filter) {
    String prefix = resource.qualifiedName() + "|";
    return objects.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .filter(
            o ->
                namespace == null
                    || namespace.equals(o.path("metadata").path("namespace").asText()))
        .filter(filter)
        .map(ObjectNode::deepCopy)
        .toList();
  }

  /**
   * Stores a new object, filling the metadata the API server owns. Returns empty if the name is
   * taken.
   */
  public synchronized Optional<ObjectNode> create(
      KubeResource resource, String namespace, ObjectNode object) {
    String name = object.path("metadata").path("name").asText();
    String key = key(resource, namespace, name);
    if (objects.containsKey(key)) {
      return Optional.empty();
    }
    ObjectNode stored = object.deepCopy();
    stored.put("apiVersion", resource.apiVersion()).put("kind", resource.kind());
    ObjectNode metadata = stored.with("metadata");
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    metadata.put("generation", 1);
    metadata.put("resourceVersion", Long.toString(++resourceVersion));
    objects.put(key, stored);
    return Optional.of(stored.deepCopy());
  }

  /** Replaces an existing object, keeping the server-owned metadata. */
  public synchronized ObjectNode replace(
      KubeResource resource, String namespace, ObjectNode object) {
    String name = object.path("metadata").path("name").asText();
    ObjectNode old = objects.get(key(resource, namespace, name));
    ObjectNode stored = object.deepCopy();
    stored.put("apiVersion", resource.apiVersion()).put("kind", resource.kind());
    ObjectNode metadata = stored.with("metadata");
    ObjectNode oldMeta = (ObjectNode) old.path("metadata");
    metadata.put("uid", oldMeta.path("uid").asText());
    metadata.put("creationTimestamp", oldMeta.path("creationTimestamp").asText());
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    boolean specChanged = !old.path("spec").equals(stored.path("spec"));
    metadata.put("generation", oldMeta.path("generation").asLong(1) + (specChanged ? 1 : 0));
    metadata.put("resourceVersion", Long.toString(++resourceVersion));
    objects.put(key(resource, namespace, name), stored);
    return stored.deepCopy();
  }

  public synchronized Optional<ObjectNode> delete(
      KubeResource resource, String namespace, String name) {
    return Optional.ofNullable(objects.remove(key(resource, namespace, name)));
  }

  public synchronized long resourceVersion() {
    return resourceVersion;
  }

  private static String key(KubeResource resource, String namespace, String name) {
    return resource.qualifiedName()
        + "|"
        + (resource.namespaced() && namespace != null ? namespace : "")
        + "|"
        + name;
  }
}
