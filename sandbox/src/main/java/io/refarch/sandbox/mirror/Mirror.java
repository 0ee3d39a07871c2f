package io.refarch.sandbox.mirror;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.refarch.sandbox.core.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The downloads a run makes outside the clouds' APIs, served from the sandbox as a mirror would
 * serve them to an air-gapped worker: {@code GET <mirror>/<host>/<path>} stands for {@code
 * https://<host>/<path>}. The sandbox has no network, and the one download a run makes is the
 * tigera-operator manifest (EKS's Calico step), so every {@code .../tigera-operator.yaml} is a
 * cut-down manifest of the same kinds; anything else is 404, as a mirror without the file answers.
 */
public final class Mirror implements HttpHandler {
  /** Where the mirror is served, on the sandbox's AWS endpoint. */
  public static final String PATH = "/mirror/";

  private static final String TIGERA_OPERATOR = "tigera-operator.yaml";

  private final Consumer<RecordedRequest> recorder;

  public Mirror(Consumer<RecordedRequest> recorder) {
    this.recorder = recorder;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      recorder.accept(new RecordedRequest(exchange.getRequestMethod(), path, "", ""));
      byte[] body = null;
      if (exchange.getRequestMethod().equals("GET") && path.endsWith("/" + TIGERA_OPERATOR)) {
        body = tigeraOperator();
      }
      if (body == null) {
        byte[] missing =
            ("the sandbox's mirror has no " + path.substring(PATH.length()) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(404, missing.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(missing);
        }
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The cut-down tigera-operator manifest every mirrored {@code tigera-operator.yaml} is. */
  public static byte[] tigeraOperator() throws IOException {
    try (InputStream in = Mirror.class.getResourceAsStream(TIGERA_OPERATOR)) {
      if (in == null) {
        throw new IOException("the sandbox jar lacks its " + TIGERA_OPERATOR);
      }
      return in.readAllBytes();
    }
  }
}
