package io.refarch.integration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.Latency;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The sandbox as its own process, like {@code SandboxMain serve}, plus a control port on 127.0.0.1
 * through which the tests read what the sandbox holds ({@code GET /inventory}) and every request it
 * received ({@code GET /requests}, JSON): the only way to count creates in another process. It
 * prints its endpoints ({@code GCP_REST=}, {@code IAM_GRPC=}, {@code AWS=}, {@code AZURE=} and the
 * Azure CA's PEM file {@code AZURE_CA=}) and then {@code CONTROL=}.
 *
 * <p>Arguments: {@code --state DIR --port N --operation-duration MILLIS [--operation
 * KIND=MILLIS]... [--latency PROFILE[:SCALE]] [--token-lifetime SECONDS] [--node-delay MILLIS]
 * [--fault SPEC]...}; {@code --operation} sets one kind of operation's duration apart from the
 * others' (e.g. {@code aks.CREATE_CLUSTER=60000}); {@code --latency} takes a profile as {@code
 * refarch --sandbox-latency} does (e.g. {@code realistic:1/10}).
 */
public final class SandboxWithControl {
  private SandboxWithControl() {}

  public static void main(String[] args) throws Exception {
    Path state = null;
    int port = 0;
    Duration duration = Duration.ofMillis(300);
    List<Fault> faults = new ArrayList<>();
    Duration tokenLifetime = Duration.ofHours(1);
    Duration nodeDelay = Duration.ZERO;
    Map<String, Duration> byOperation = new HashMap<>();
    String latency = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--state" -> state = Path.of(args[i + 1]);
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--operation-duration" -> duration = Duration.ofMillis(Long.parseLong(args[i + 1]));
        case "--token-lifetime" -> tokenLifetime = Duration.ofSeconds(Long.parseLong(args[i + 1]));
        case "--node-delay" -> nodeDelay = Duration.ofMillis(Long.parseLong(args[i + 1]));
        case "--fault" -> faults.add(Sandbox.parseFault(args[i + 1]));
        case "--latency" -> latency = args[i + 1];
        case "--operation" -> {
          String[] kv = args[i + 1].split("=", 2);
          byOperation.put(kv[0], Duration.ofMillis(Long.parseLong(kv[1])));
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    SandboxOptions options =
        new SandboxOptions(state, port, duration, faults)
            .withTokenLifetime(tokenLifetime)
            .withNodeRegistrationDelay(nodeDelay);
    if (latency != null) {
      options = options.withLatency(Latency.parse(latency, duration));
    } else if (!byOperation.isEmpty()) {
      options = options.withLatency(new Latency(Latency.DEFAULT, duration, byOperation, 1));
    }
    Sandbox sandbox = Sandbox.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
    ObjectMapper json = new ObjectMapper();
    HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    control.createContext("/inventory", x -> reply(x, String.join("\n", sandbox.inventory())));
    control.createContext("/requests", x -> reply(x, json.writeValueAsString(sandbox.requests())));
    control.start();
    System.out.println("GCP_REST=" + sandbox.endpoints().gcpRest());
    System.out.println("IAM_GRPC=" + sandbox.endpoints().iamGrpc());
    System.out.println("AWS=" + sandbox.endpoints().aws());
    System.out.println("AZURE=" + sandbox.endpoints().azure());
    System.out.println("AZURE_CA=" + sandbox.azureCertificateAuthorityFile().toAbsolutePath());
    System.out.println("CONTROL=http://127.0.0.1:" + control.getAddress().getPort());
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static void reply(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
