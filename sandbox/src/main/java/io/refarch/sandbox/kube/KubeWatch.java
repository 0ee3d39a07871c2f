package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.refarch.sandbox.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Watches, served as HTTP streams of events found by comparing snapshots (the sandbox keeps no
 * change log).
 */
final class KubeWatch {

  private KubeWatch() {}

  /**
   * Streams watch events by comparing snapshots every 100 ms until timeoutSeconds (default 5
   * minutes) or the client leaves. From a resourceVersion, objects changed after it are sent;
   * deletions before the watch started are not (there is no history), which informers survive by
   * relisting.
   */
  static void stream(
      HttpExchange exchange, Supplier<List<ObjectNode>> current, Map<String, String> query)
      throws IOException {
    long since;
    try {
      since = Long.parseLong(query.getOrDefault("resourceVersion", "0"));
    } catch (NumberFormatException e) {
      since = 0;
    }
    long timeout;
    try {
      timeout = Long.parseLong(query.getOrDefault("timeoutSeconds", "300"));
    } catch (NumberFormatException e) {
      timeout = 300;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    Map<String, ObjectNode> known = new LinkedHashMap<>();
    if (since > 0) {
      for (ObjectNode o : current.get()) {
        if (o.path("metadata").path("resourceVersion").asLong(0) <= since) {
          known.put(watchKey(o), o);
        }
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(1, timeout)).toNanos();
    try {
      while (System.nanoTime() < deadline) {
        Map<String, ObjectNode> now = new LinkedHashMap<>();
        current.get().forEach(o -> now.put(watchKey(o), o));
        StringBuilder events = new StringBuilder();
        now.forEach(
            (key, o) -> {
              ObjectNode before = known.get(key);
              if (before == null) {
                events.append(event("ADDED", o));
              } else if (!before.equals(o)) {
                events.append(event("MODIFIED", o));
              }
            });
        known.forEach(
            (key, o) -> {
              if (!now.containsKey(key)) {
                events.append(event("DELETED", o));
              }
            });
        known.clear();
        known.putAll(now);
        if (events.length() > 0) {
          out.write(events.toString().getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException e) {
      // The client went away or the server stops: the watch ends.
    }
    try {
      out.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private static String watchKey(ObjectNode o) {
    return o.path("metadata").path("namespace").asText("")
        + "/"
        + o.path("metadata").path("name").asText();
  }

  private static String event(String type, ObjectNode object) {
    return Json.object().put("type", type).<ObjectNode>set("object", object) + "\n";
  }
}
