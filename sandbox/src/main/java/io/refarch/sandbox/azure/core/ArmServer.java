package io.refarch.sandbox.azure.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.Query;
import io.refarch.sandbox.core.RecordedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTPS listener for Azure Resource Manager and Microsoft Entra, as a custom cloud's {@code
 * resourceManagerEndpoint} and {@code activeDirectoryEndpoint} both name it. Paths match
 * case-insensitively, as ARM's do. Handlers answer a status, JSON and headers; errors are {@link
 * ArmError}s. Routes that need a caller are checked by the bearer-token check first.
 */
public final class ArmServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ArmServer.class);

  /** One decoded request; {@code base} is "https://HOST:PORT" as the client addressed it. */
  public record Request(
      String method,
      String path,
      String rawQuery,
      Map<String, String> query,
      Map<String, String> headers,
      String body,
      String base) {

    public JsonNode json() {
      if (body == null || body.isBlank()) {
        return MissingNode.getInstance();
      }
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new ArmError(
            400,
            "InvalidRequestContent",
            "The request content was invalid and could not be"
                + " deserialized: '"
                + e.getMessage().lines().findFirst().orElse("")
                + "'.");
      }
    }

    public String apiVersion() {
      return query.get("api-version");
    }

    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  /** An answer: status, body (null: none) and headers. */
  public record Response(int status, JsonNode body, Map<String, String> headers) {
    public static Response ok(JsonNode body) {
      return new Response(200, body, new LinkedHashMap<>());
    }

    public static Response of(int status, JsonNode body) {
      return new Response(status, body, new LinkedHashMap<>());
    }

    public Response header(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }

  @FunctionalInterface
  public interface Handler {
    Response handle(Matcher path, Request request);
  }

  private record Route(String method, Pattern pattern, boolean authenticated, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private final HttpsServer server;
  private final Consumer<RecordedRequest> recorder;
  private final Runnable afterEach;
  private final Function<Request, RuntimeException> authenticate;

  /**
   * Binds 127.0.0.1:{@code port} (0: any; taken: any), serving nothing until {@link #start}.
   *
   * @param authenticate null when the caller of an authenticated route may go on, else the error
   */
  public ArmServer(
      int port,
      ExecutorService executor,
      Consumer<RecordedRequest> recorder,
      Runnable afterEach,
      Function<Request, RuntimeException> authenticate)
      throws IOException {
    this.recorder = recorder;
    this.afterEach = afterEach;
    this.authenticate = authenticate;
    HttpsServer bound;
    try {
      bound = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    } catch (BindException e) {
      if (port == 0) {
        throw e;
      }
      bound = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    }
    this.server = bound;
    server.setExecutor(executor);
    server.createContext("/", this::serve);
  }

  /** Adds a route open to anyone (Entra's endpoints, ARM's metadata). */
  public ArmServer open(String method, String regex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), false, handler));
    return this;
  }

  /** Adds a route that needs a live bearer token. */
  public ArmServer route(String method, String regex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), true, handler));
    return this;
  }

  /** Starts serving HTTPS with {@code tls} (the sandbox's Azure CA vouches for it). */
  public void start(SSLContext tls) {
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
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
      // ARM collapses a doubled leading slash: az cloud register sends //metadata/endpoints when
      // the endpoint is given with its trailing slash, as every doc writes it.
      // (The JDK reads a request line "//metadata/endpoints" as authority "metadata".)
      java.net.URI uri = exchange.getRequestURI();
      String path = uri.getPath() == null ? "" : uri.getPath();
      if (uri.getScheme() == null && uri.getAuthority() != null) {
        path = "/" + uri.getAuthority() + path;
      }
      path = path.replaceFirst("^/+", "/");
      String rawQuery =
          exchange.getRequestURI().getRawQuery() == null
              ? ""
              : exchange.getRequestURI().getRawQuery();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(), v.isEmpty() ? "" : v.get(0)));
      String host = headers.getOrDefault("host", "127.0.0.1:" + port());
      // The request log is for tests to read; a client secret has no business there.
      recorder.accept(
          new RecordedRequest(
              method, path, rawQuery, body.replaceAll("(client_secret=)[^&]*", "$1REDACTED")));
      Request request =
          new Request(
              method, path, rawQuery, Query.decode(rawQuery), headers, body, "https://" + host);
      Response response;
      try {
        response = dispatch(request);
      } catch (ArmError e) {
        response = Response.of(e.httpStatus(), Json.tree(e.body()));
        e.headers().forEach(response::header);
      } catch (RuntimeException e) {
        LOG.warn("sandbox failed on {} {}", method, path, e);
        ArmError error =
            new ArmError(500, "InternalServerError", "Internal error in the sandbox: " + e);
        response = Response.of(500, Json.tree(error.body()));
      }
      try {
        afterEach.run();
      } catch (RuntimeException e) {
        LOG.warn("sandbox could not save its state", e);
      }
      byte[] bytes =
          response.body() == null
              ? new byte[0]
              : response.body().toString().getBytes(StandardCharsets.UTF_8);
      var out = exchange.getResponseHeaders();
      out.set("Content-Type", "application/json; charset=utf-8");
      out.set("x-ms-request-id", UUID.randomUUID().toString());
      out.set("x-ms-correlation-request-id", UUID.randomUUID().toString());
      response.headers().forEach(out::set);
      boolean noBody = bytes.length == 0 || method.equals("HEAD");
      exchange.sendResponseHeaders(response.status(), noBody ? -1 : bytes.length);
      if (!noBody) {
        try (OutputStream stream = exchange.getResponseBody()) {
          stream.write(bytes);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Response dispatch(Request request) {
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher m = route.pattern.matcher(request.path());
      if (!m.matches()) {
        continue;
      }
      pathKnown = true;
      if (route.method.equals(request.method())) {
        if (route.authenticated) {
          RuntimeException refused = authenticate.apply(request);
          if (refused != null) {
            throw refused;
          }
        }
        return route.handler.handle(m, request);
      }
    }
    LOG.info("sandbox has no route for {} {}", request.method(), request.path());
    if (pathKnown) {
      throw new ArmError(
          405,
          "MethodNotAllowed",
          "The requested resource does not support http method '" + request.method() + "'.");
    }
    throw new ArmError(
        404,
        "NotFound",
        "The sandbox does not emulate " + request.method() + " " + request.path() + ".");
  }
}
