package io.refarch.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * moto's server ({@code moto_server -p PORT}) as a child process: one endpoint for EC2, IAM, EKS,
 * STS, SSM and Auto Scaling, in memory. The binary comes from the {@code refarch.moto} system
 * property (.ci/integration installs {@code moto[server]} into its venv).
 */
final class MotoServer implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Child child;
  final URI endpoint;

  private MotoServer(Child child, URI endpoint) {
    this.child = child;
    this.endpoint = endpoint;
  }

  /** The binary, or null when the property is not set (the test is skipped then). */
  static String binary() {
    return System.getProperty("refarch.moto");
  }

  static MotoServer start(Path log) {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Child child =
        Child.start(
            "moto_server",
            List.of(binary(), "-H", "127.0.0.1", "-p", String.valueOf(port)),
            // AWS's managed policies (AmazonEKSClusterPolicy, the node policies) are loaded only
            // when asked for.
            Map.of("MOTO_IAM_LOAD_MANAGED_POLICIES", "true"),
            log);
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Child.await(
        Duration.ofSeconds(60),
        "moto_server on port " + port + " (" + child + ")",
        () -> {
          if (!child.alive()) {
            throw new AssertionError("moto_server exited: " + child.output());
          }
          try {
            HttpResponse<Void> r =
                HTTP.send(
                    HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
    return new MotoServer(child, endpoint);
  }

  @Override
  public void close() {
    child.stop();
  }
}
