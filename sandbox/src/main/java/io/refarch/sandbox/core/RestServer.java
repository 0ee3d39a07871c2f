package io.refarch.sandbox.core;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny HTTP router on the JDK's HTTP server for one cloud's REST APIs: handlers return the
 * answer's body, errors are {@link CloudError}s, and what the router itself must refuse (no route,
 * a bug in a handler) is worded by the cloud's {@link Errors}, so every answer is in that cloud's
 * envelope.
 */
public final class RestServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

  /** One decoded request. */
  public record Request(
      String method, String path, String rawQuery, Map<String, String> query, String body) {}

  /** The errors the router answers by itself, in the cloud's words. */
  public interface Errors {
    /** No route has the path. */
    CloudError notFound(String message);

    /** A route has the path but not the method. */
    CloudError unimplemented(String message);

    /** A handler failed with something other than a {@link CloudError}: a sandbox bug. */
    CloudError internal(String message);
  }

  @FunctionalInterface
  public interface Handler {
    /** Returns the response body (HTTP 200). */
    String handle(Matcher path, Request request);
  }

  private record Route(String method, Pattern pattern, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private final HttpServer server;
  private final Consumer<RecordedRequest> recorder;
  private final Runnable afterEach;
  private final Errors errors;

  public RestServer(
      int port,
      ExecutorService executor,
      Consumer<RecordedRequest> recorder,
      Runnable afterEach,
      Errors errors)
      throws IOException {
    this.errors = errors;
    this.recorder = recorder;
    this.afterEach = afterEach;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
  }

  /** Adds a route; {@code regex} must match the whole decoded path. */
  public RestServer route(String method, String regex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(regex), handler));
    return this;
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String rawQuery =
          exchange.getRequestURI().getRawQuery() == null
              ? ""
              : exchange.getRequestURI().getRawQuery();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      // Some clients tunnel verbs through POST.
      String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
      if (override != null && !override.isBlank()) {
        method = override.toUpperCase();
      }
      recorder.accept(new RecordedRequest(method, path, rawQuery, body));
      Request request = new Request(method, path, rawQuery, Query.decode(rawQuery), body);
      int status;
      String response;
      String contentType = "application/json; charset=UTF-8";
      try {
        response = dispatch(request);
        status = 200;
      } catch (RuntimeException e) {
        CloudError error;
        if (e instanceof CloudError known) {
          error = known;
        } else {
          LOG.warn("sandbox failed on {} {}", method, path, e);
          error = errors.internal("Internal error in the sandbox: " + e);
        }
        status = error.httpStatus();
        response = error.body();
        contentType = error.contentType();
      }
      try {
        afterEach.run();
      } catch (RuntimeException e) {
        LOG.warn("sandbox could not save its state", e);
      }
      byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private String dispatch(Request request) {
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher m = route.pattern.matcher(request.path());
      if (!m.matches()) {
        continue;
      }
      pathKnown = true;
      if (route.method.equals(request.method())) {
        return route.handler.handle(m, request);
      }
    }
    LOG.info("sandbox has no route for {} {}", request.method(), request.path());
    if (pathKnown) {
      throw errors.unimplemented(
          "Method "
              + request.method()
              + " is not implemented for "
              + request.path()
              + " in the sandbox.");
    }
    throw errors.notFound(
        "The sandbox does not emulate " + request.method() + " " + request.path() + ".");
  }
}
