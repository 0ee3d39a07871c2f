package io.refarch.sandbox.aws.core;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.refarch.sandbox.core.Query;
import io.refarch.sandbox.core.RecordedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP endpoint for every AWS service, as the SDK's {@code endpointOverride} reaches it: each
 * request goes to the service its SigV4 signature names in the credential scope ({@code
 * Credential=AKID/DATE/REGION/SERVICE/aws4_request}, in the Authorization header or a presigned
 * URL's {@code X-Amz-Credential}). Signatures are not checked: the sandbox has no secrets.
 */
public final class AwsEndpoint implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AwsEndpoint.class);

  private static final Pattern SCOPE =
      Pattern.compile("Credential=([^/,\\s]*)/[^/]*/([^/]*)/([^/]*)/aws4_request");

  private final HttpServer server;
  private final Map<String, AwsService> services = new HashMap<>();
  private final Consumer<RecordedRequest> recorder;
  private final Runnable afterEach;

  public AwsEndpoint(
      int port,
      ExecutorService executor,
      List<AwsService> services,
      Consumer<RecordedRequest> recorder,
      Runnable afterEach)
      throws IOException {
    services.forEach(s -> this.services.put(s.signingName(), s));
    this.recorder = recorder;
    this.afterEach = afterEach;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
  }

  /** Serves {@code handler} under {@code path} beside the AWS APIs (the sandbox's mirror). */
  public void serve(String path, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(path, handler);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** "http://127.0.0.1:PORT": the endpointOverride of every AWS client. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String rawQuery = exchange.getRequestURI().getRawQuery();
      rawQuery = rawQuery == null ? "" : rawQuery;
      Map<String, String> query = Query.decode(rawQuery);
      Map<String, String> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(), v.isEmpty() ? "" : v.get(0)));
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      recorder.accept(
          new RecordedRequest(method, exchange.getRequestURI().getPath(), rawQuery, body));
      String requestId = UUID.randomUUID().toString();

      String scope = headers.getOrDefault("authorization", "");
      if (query.containsKey("X-Amz-Credential")) {
        scope = "Credential=" + query.get("X-Amz-Credential");
      }
      Matcher m = SCOPE.matcher(scope);
      AwsService service = m.find() ? services.get(m.group(3)) : null;
      int status = 200;
      String response;
      String contentType;
      Map<String, String> extraHeaders = new LinkedHashMap<>();
      if (service == null) {
        // Without a known service there is no protocol to answer in; EC2's is as good as any.
        AwsError error =
            new AwsError(
                400,
                "UnknownService",
                "The sandbox routes AWS requests by the SigV4 credential scope's service and"
                    + " found none it emulates in '"
                    + scope
                    + "'.");
        status = error.httpStatus();
        response = AwsProtocol.QUERY.errorBody(error, requestId);
        contentType = AwsProtocol.QUERY.contentType();
      } else {
        AwsRequest request =
            new AwsRequest(
                service.signingName(),
                m.group(2),
                m.group(1),
                method,
                path,
                query,
                headers,
                body,
                rawQuery);
        contentType = service.protocol().contentType();
        try {
          response = service.handle(request);
        } catch (RuntimeException e) {
          AwsError error;
          if (e instanceof AwsError known) {
            error = known;
          } else {
            LOG.warn("sandbox failed on AWS {} {} {}", service.signingName(), method, path, e);
            error = new AwsError(500, "InternalFailure", "Internal error in the sandbox: " + e);
          }
          status = error.httpStatus();
          response = service.protocol().errorBody(error, requestId);
          if (service.protocol() == AwsProtocol.REST_JSON
              || service.protocol() == AwsProtocol.JSON) {
            extraHeaders.put("x-amzn-ErrorType", error.code());
          }
        }
      }
      try {
        afterEach.run();
      } catch (RuntimeException e) {
        LOG.warn("sandbox could not save its state", e);
      }
      byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
      extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
