package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The patch formats clients send: JSON merge patch (also for strategic merge, lists replaced whole)
 * and JSON patch.
 */
final class KubePatches {

  private KubePatches() {}

  /** RFC 7386 JSON merge patch. */
  static ObjectNode mergePatch(ObjectNode target, ObjectNode patch) {
    ObjectNode result = target.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else if (e.getValue().isObject() && result.path(e.getKey()).isObject()) {
        result.set(
            e.getKey(), mergePatch((ObjectNode) result.get(e.getKey()), (ObjectNode) e.getValue()));
      } else {
        result.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return result;
  }

  /** RFC 6902 add, replace, remove and test on object members and array indexes. */
  static ObjectNode jsonPatch(ObjectNode target, JsonNode ops) {
    ObjectNode result = target.deepCopy();
    for (JsonNode op : ops) {
      String path = op.path("path").asText();
      int slash = path.lastIndexOf('/');
      JsonNode parent = slash <= 0 ? result : result.at(path.substring(0, slash));
      String key = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
      switch (op.path("op").asText()) {
        case "add", "replace" -> {
          if (parent.isObject()) {
            ((ObjectNode) parent).set(key, op.path("value").deepCopy());
          } else if (parent.isArray()) {
            ArrayNode array = (ArrayNode) parent;
            if (key.equals("-")) {
              array.add(op.path("value").deepCopy());
            } else if (op.path("op").asText().equals("add")) {
              array.insert(Integer.parseInt(key), op.path("value").deepCopy());
            } else {
              array.set(Integer.parseInt(key), op.path("value").deepCopy());
            }
          } else {
            throw new KubeError(422, "Invalid", "json patch path " + path + " does not exist");
          }
        }
        case "remove" -> {
          if (parent.isObject()) {
            ((ObjectNode) parent).remove(key);
          } else if (parent.isArray()) {
            ((ArrayNode) parent).remove(Integer.parseInt(key));
          }
        }
        case "test" -> {
          if (!result.at(path).equals(op.path("value"))) {
            throw new KubeError(422, "Invalid", "json patch test failed at " + path);
          }
        }
        default ->
            throw new KubeError(
                415,
                "UnsupportedMediaType",
                "json patch op " + op.path("op").asText() + " is not supported");
      }
    }
    return result;
  }
}
