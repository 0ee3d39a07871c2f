package io.refarch.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import io.refarch.sandbox.RecordedRequest;
import io.refarch.sandbox.core.ApiError;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A tiny JSON-over-HTTP router on the JDK's HTTP server, answering errors the way Google APIs do. */
public final class RestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    /** One decoded request. enumsAsInts: the Java client asks {@code $alt=json;enum-encoding=int}. */
    public record Request(String method, String path, String rawQuery, Map<String, String> query, String body) {
        public boolean enumsAsInts() {
            return URLDecoder.decode(rawQuery, StandardCharsets.UTF_8).contains("enum-encoding=int");
        }
    }

    @FunctionalInterface
    public interface Handler {
        /** Returns the JSON response body (HTTP 200). */
        String handle(Matcher path, Request request);
    }

    private record Route(String method, Pattern pattern, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final HttpServer server;
    private final Consumer<RecordedRequest> recorder;
    private final Runnable afterEach;

    public RestServer(int port, ExecutorService executor, Consumer<RecordedRequest> recorder, Runnable afterEach)
            throws IOException {
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
            String rawQuery = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // Some clients tunnel verbs through POST.
            String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
            if (override != null && !override.isBlank()) {
                method = override.toUpperCase();
            }
            recorder.accept(new RecordedRequest(method, path, rawQuery, body));
            Request request = new Request(method, path, rawQuery, decodeQuery(rawQuery), body);
            int status;
            String response;
            try {
                response = dispatch(request);
                status = 200;
            } catch (ApiError e) {
                status = e.httpStatus();
                response = e.toJson();
            } catch (RuntimeException e) {
                LOG.warn("sandbox failed on {} {}", method, path, e);
                ApiError error = new ApiError(Status.Code.INTERNAL, "Internal error in the sandbox: " + e);
                status = error.httpStatus();
                response = error.toJson();
            }
            try {
                afterEach.run();
            } catch (RuntimeException e) {
                LOG.warn("sandbox could not save its state", e);
            }
            byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
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
            throw new ApiError(Status.Code.UNIMPLEMENTED, "Method " + request.method() + " is not implemented for "
                    + request.path() + " in the sandbox.");
        }
        throw ApiError.notFound("The sandbox does not emulate " + request.method() + " " + request.path() + ".");
    }

    private static Map<String, String> decodeQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }
}
