package io.refarch.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many clusters on the one listener, reached as clients reach them: over TLS trusting only the CA
 * the cloud hands out, at each cluster's own endpoint, with each cluster's own token.
 */
class KubeListenerTest {

  final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
  final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
  final KubeListener listener = new KubeListener(executor, 0);
  final KubeApiServer.Options options =
      new KubeApiServer.Options(
          listener,
          () -> {},
          recorded::add,
          new KubeTokens(Clock.systemUTC(), KubeTokens.DEFAULT_LIFETIME));

  @AfterEach
  void stop() {
    listener.close();
    executor.shutdownNow();
  }

  @Test
  void fiftyClustersShareOneListenerThreadAndPort() throws Exception {
    long dispatchersBefore = dispatchers();
    List<KubeApiServer> clusters = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      clusters.add(start(null, "token-" + i));
    }
    HttpClient client = client(clusters.get(0).caPem());

    for (int i = 0; i < clusters.size(); i++) {
      HttpResponse<String> namespaces =
          get(client, clusters.get(i), "/api/v1/namespaces", "token-" + i);
      assertThat(namespaces.statusCode()).isEqualTo(200);
      assertThat(namespaces.body()).contains("kube-system");
    }

    assertThat(clusters).extracting(KubeApiServer::endpoint).doesNotHaveDuplicates();
    assertThat(clusters)
        .extracting(c -> c.endpoint().substring(c.endpoint().indexOf(':')))
        .containsOnly(
            clusters.get(0).endpoint().substring(clusters.get(0).endpoint().indexOf(':')));
    assertThat(listener.clusterCount()).isEqualTo(50);
    assertThat(dispatchers() - dispatchersBefore).isEqualTo(1);
    // The requests ran one after another on the shared pool, which never needed a thread each.
    assertThat(executor.getLargestPoolSize()).isLessThan(10);
    assertThat(recorded).hasSize(50);
  }

  @Test
  void clustersSeeOnlyTheirOwnObjectsAndTokens() throws Exception {
    KubeApiServer a = start(null, "token-a");
    KubeApiServer b = start(null, "token-b");
    HttpClient client = client(a.caPem());

    HttpResponse<String> created =
        send(
            client,
            a,
            "/api/v1/namespaces/default/configmaps",
            "token-a",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"only-in-a\"}}");
    assertThat(created.statusCode()).isEqualTo(201);

    assertThat(get(client, a, "/api/v1/namespaces/default/configmaps/only-in-a", "token-a"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(200);
    assertThat(get(client, b, "/api/v1/namespaces/default/configmaps/only-in-a", "token-b"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(404);
    assertThat(get(client, b, "/api/v1/namespaces", "token-a"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(401);
    assertThat(get(client, a, "/api/v1/namespaces", "token-b"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(401);
  }

  @Test
  void aClusterAddedAfterHandshakesIsServedAndAGoneOneIsNot() throws Exception {
    KubeApiServer first = start(null, "t");
    HttpClient client = client(first.caPem());
    assertThat(get(client, first, "/version", "t").statusCode()).isEqualTo(200);

    // Its address was in no certificate the listener had sent before.
    KubeApiServer second = start(null, "t");
    assertThat(get(client, second, "/version", "t").statusCode()).isEqualTo(200);

    first.close();
    assertThat(listener.clusterCount()).isEqualTo(1);
    assertThat(start(null, "t").endpoint())
        .as("a freed address is handed out again")
        .isEqualTo(first.endpoint());
  }

  @Test
  void aRestoredListenerKeepsItsPortCaAndTheClustersAddresses() throws Exception {
    KubeApiServer before = start(null, "t");
    start(null, "t");
    KubeApiServer third = start(null, "t");
    String ca = before.caPem();
    String saved = listener.snapshot().toString();
    String endpoint = third.endpoint();
    listener.close();

    ThreadPoolExecutor otherPool =
        new ThreadPoolExecutor(0, 4, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
    try (KubeListener restarted = new KubeListener(otherPool, 0)) {
      restarted.restore(Json.tree(saved), true);
      KubeApiServer after =
          KubeApiServer.start(
              endpoint,
              new KubeStore(),
              cluster(),
              new KubeApiServer.Options(
                  restarted, () -> {}, r -> {}, options.tokens(), Duration.ZERO),
              "t"::equals);

      assertThat(after.endpoint()).isEqualTo(endpoint);
      assertThat(after.caPem()).isEqualTo(ca);
      assertThat(get(client(ca), after, "/api/v1/namespaces", "t").statusCode()).isEqualTo(200);
    } finally {
      otherPool.shutdownNow();
    }
  }

  @Test
  void peersOffTheLoopbackInterfaceAreRefused() throws Exception {
    // The listener binds the wildcard address, so it is reachable from the network too.
    Optional<InetAddress> external =
        NetworkInterface.networkInterfaces()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
            .findFirst();
    assumeTrue(external.isPresent(), "no non-loopback IPv4 address to dial from");
    KubeApiServer cluster = start(null, "t");
    String port = cluster.endpoint().substring(cluster.endpoint().indexOf(':'));
    HttpClient client = client(cluster.caPem());

    assertThatThrownBy(
            () ->
                client.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "https://" + external.get().getHostAddress() + port + "/version"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThat(get(client, cluster, "/version", "t").statusCode()).isEqualTo(200);
    assertThat(recorded).hasSize(1);
  }

  private KubeApiServer start(String preferredEndpoint, String token) throws Exception {
    return KubeApiServer.start(
        preferredEndpoint, new KubeStore(), cluster(), options, token::equals);
  }

  private static KubeCluster cluster() {
    Instant created = Instant.now();
    return new KubeCluster() {
      @Override
      public Optional<String> version() {
        return Optional.of("1.32.4");
      }

      @Override
      public Instant created() {
        return created;
      }

      @Override
      public List<NodeObject> nodes() {
        return List.of();
      }
    };
  }

  /** What the JDK names each HttpServer's own listener thread. */
  private static long dispatchers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("HTTP-Dispatcher"))
        .count();
  }

  /** A client trusting only {@code caPem}, checking the IP it dials against the certificate. */
  private static HttpClient client(String caPem) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).build();
  }

  private static HttpResponse<String> get(
      HttpClient client, KubeApiServer cluster, String path, String token) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://" + cluster.endpoint() + path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(
      HttpClient client, KubeApiServer cluster, String path, String token, String json)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://" + cluster.endpoint() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
