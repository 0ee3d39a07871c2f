package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Label and field selectors ({@code labelSelector}, {@code fieldSelector}): equality, inequality
 * and existence.
 */
final class Selectors {

  private Selectors() {}

  static Predicate<ObjectNode> of(Map<String, String> query) {
    Predicate<ObjectNode> p = o -> true;
    String labels = query.getOrDefault("labelSelector", "");
    for (String term : labels.split(",")) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (t.contains("!=")) {
        String k = t.substring(0, t.indexOf("!=")).trim();
        String v = t.substring(t.indexOf("!=") + 2).trim();
        p = p.and(o -> !v.equals(o.path("metadata").path("labels").path(k).asText(null)));
      } else if (t.contains("=")) {
        String k = t.substring(0, t.indexOf('=')).trim();
        String v = t.substring(t.lastIndexOf('=') + 1).trim();
        p = p.and(o -> v.equals(o.path("metadata").path("labels").path(k).asText(null)));
      } else if (t.startsWith("!")) {
        String k = t.substring(1).trim();
        p = p.and(o -> !o.path("metadata").path("labels").has(k));
      } else {
        p = p.and(o -> o.path("metadata").path("labels").has(t));
      }
    }
    String fields = query.getOrDefault("fieldSelector", "");
    for (String term : fields.split(",")) {
      String t = term.trim();
      if (t.isEmpty() || !t.contains("=")) {
        continue;
      }
      boolean negate = t.contains("!=");
      String k = t.substring(0, t.indexOf(negate ? "!=" : "=")).trim();
      String v = t.substring(t.lastIndexOf('=') + 1).trim();
      String[] pathParts = k.split("\\.");
      p =
          p.and(
              o -> {
                JsonNode n = o;
                for (String part : pathParts) {
                  n = n.path(part);
                }
                return v.equals(n.asText()) != negate;
              });
    }
    return p;
  }
}
