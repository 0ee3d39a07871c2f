package io.refarch.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket, JSON commands), enough to fill
 * in and submit a form the way a user does: no Selenium or Playwright is available here.
 */
final class DevTools implements AutoCloseable {
  private final Process browser;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private DevTools(Process browser, WebSocket socket) {
    this.browser = browser;
    this.socket = socket;
  }

  static DevTools launch(String chromium, Path profile, Path log) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1440,1000",
                "--remote-debugging-port=0",
                "about:blank"));
    Process browser =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(browser::destroyForcibly));
    Pattern listening = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
    String[] port = new String[1];
    Child.await(
        Duration.ofSeconds(30),
        "chromium's DevTools endpoint",
        () -> {
          try {
            Matcher m = listening.matcher(Files.readString(log));
            return m.find() && (port[0] = m.group(1)) != null;
          } catch (java.io.IOException e) {
            return false;
          }
        });
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets =
        TemporalCli.JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port[0] + "/json/list"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    String page = null;
    for (JsonNode t : targets) {
      if (t.path("type").asText().equals("page")) {
        page = t.path("webSocketDebuggerUrl").asText();
      }
    }
    if (page == null) {
      throw new AssertionError("chromium has no page target: " + targets);
    }
    DevTools[] self = new DevTools[1];
    StringBuilder partial = new StringBuilder();
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(page),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      String message = partial.toString();
                      partial.setLength(0);
                      try {
                        JsonNode reply = TemporalCli.JSON.readTree(message);
                        CompletableFuture<JsonNode> f =
                            self[0] == null
                                ? null
                                : self[0].pending.remove(reply.path("id").asInt(-1));
                        if (f != null) {
                          f.complete(reply);
                        }
                      } catch (java.io.IOException ignored) {
                        // not JSON: ignore
                      }
                    }
                    ws.request(1);
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    self[0] = new DevTools(browser, socket);
    return self[0];
  }

  JsonNode send(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode message = TemporalCli.JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params == null ? TemporalCli.JSON.createObjectNode() : params);
    socket.sendText(TemporalCli.JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    JsonNode answer = reply.get(60, TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new AssertionError(method + " failed: " + answer.path("error"));
    }
    return answer.path("result");
  }

  void navigate(String url) throws Exception {
    send("Page.navigate", TemporalCli.JSON.createObjectNode().put("url", url));
  }

  /** Evaluates a JavaScript expression in the page; its value as JSON. */
  JsonNode eval(String expression) throws Exception {
    JsonNode result =
        send(
            "Runtime.evaluate",
            TemporalCli.JSON
                .createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new AssertionError("script failed: " + result.path("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  void awaitTrue(String what, String expression) {
    Child.await(
        Duration.ofSeconds(60),
        what,
        () -> {
          try {
            return eval(expression).asBoolean();
          } catch (Exception e) {
            return false;
          }
        });
  }

  /** Gives a file input a file, as choosing it in the file dialog does. */
  void setFile(String selector, Path file) throws Exception {
    int root = send("DOM.getDocument", null).path("root").path("nodeId").asInt();
    int node =
        send(
                "DOM.querySelector",
                TemporalCli.JSON.createObjectNode().put("nodeId", root).put("selector", selector))
            .path("nodeId")
            .asInt();
    ObjectNode params = TemporalCli.JSON.createObjectNode().put("nodeId", node);
    params.putArray("files").add(file.toAbsolutePath().toString());
    send("DOM.setFileInputFiles", params);
  }

  void screenshot(Path file) throws Exception {
    String png =
        send("Page.captureScreenshot", TemporalCli.JSON.createObjectNode().put("format", "png"))
            .path("data")
            .asText();
    Files.write(file, Base64.getDecoder().decode(png));
  }

  @Override
  public void close() {
    socket.abort();
    browser.destroyForcibly();
  }
}
