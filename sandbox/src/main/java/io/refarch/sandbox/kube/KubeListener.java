package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Json;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The one HTTPS listener serving the Kubernetes APIs of all the sandbox's clusters (GKE, EKS and
 * AKS alike), so that threads and ports do not grow with the clusters: a JDK HttpsServer has a
 * dispatcher thread of its own, and a fleet of 1,000 clusters would need 1,000 of them.
 *
 * <p>Each cluster gets its own loopback address, {@code 127.1.Y.Z} (Linux routes all of 127/8 to
 * the loopback interface, nothing to set up), on the listener's one port, and requests go to the
 * cluster whose address the client dialled ({@link HttpExchange#getLocalAddress()}). So an endpoint
 * stays what the clouds give and the clients expect: GKE's a bare {@code IP:PORT} that gcloud and
 * refarch prefix with {@code https://}, EKS's and AKS's a URL without path. (A path prefix per
 * cluster on one address would change those, for every client that builds URLs from them; SNI
 * cannot tell clusters apart, as clients send none for an IP.)
 *
 * <p>TLS is settled before the request says anything, and clients check the IP they dialled against
 * the certificate's IP SANs, from the CA the cloud API gave them. The handshake cannot learn which
 * address was dialled (the JDK gives the engine the peer only, and loopback peers all come from
 * 127.0.0.1), so one CA serves all clusters and its serving certificate names every address in use,
 * issued again when the addresses change. A client trusting one cluster's CA thus trusts the
 * others' servers too, unlike real clouds; what keeps clusters apart is the bearer token each
 * checks.
 *
 * <p>One socket cannot bind all of 127/8, so the listener binds the wildcard address; requests from
 * any peer but loopback are refused (before the handshake), and an address no cluster has gets 404.
 *
 * <p>Its state is its port and CA: a restarted sandbox binds the same port when it is free, and the
 * clusters ask for their saved addresses back ({@link KubeApiServer#start}), so their endpoints and
 * CA stay valid.
 */
public final class KubeListener implements EmulatedService, AutoCloseable {

  private static final int ADDRESSES_PER_BLOCK = 254;

  private final ExecutorService executor;
  private final Map<InetAddress, KubeApiServer> clusters = new ConcurrentHashMap<>();
  private ClusterCertificates certificates = ClusterCertificates.generate();
  private boolean addressesChanged = true;
  private int preferredPort;
  private HttpsServer server;

  /**
   * Requests run on {@code executor}, shared with the rest of the sandbox; {@code preferredPort}
   * (0: any free one) is where to listen unless a saved state names another.
   */
  public KubeListener(ExecutorService executor, int preferredPort) {
    this.executor = executor;
    this.preferredPort = preferredPort;
  }

  /**
   * Serves {@code api} at {@code preferred} (an address it had before) when that is a free address
   * of the kind handed out here, else at the lowest free one; starts listening if nothing did yet.
   */
  synchronized InetSocketAddress register(Optional<InetAddress> preferred, KubeApiServer api)
      throws IOException {
    if (server == null) {
      server = bind();
    }
    InetAddress address =
        preferred.filter(a -> index(a) > 0 && !clusters.containsKey(a)).orElseGet(this::free);
    clusters.put(address, api);
    addressesChanged = true;
    return new InetSocketAddress(address, server.getAddress().getPort());
  }

  synchronized void unregister(InetAddress address, KubeApiServer api) {
    if (clusters.remove(address, api)) {
      addressesChanged = true;
    }
  }

  /** The CA of every cluster's serving certificate, PEM. */
  public synchronized String caPem() {
    return certificates.caPem();
  }

  /** How many clusters are served now. */
  public int clusterCount() {
    return clusters.size();
  }

  private HttpsServer bind() throws IOException {
    InetAddress any = InetAddress.getByAddress(new byte[4]);
    HttpsServer bound;
    try {
      bound = HttpsServer.create(new InetSocketAddress(any, preferredPort), 256);
    } catch (BindException e) {
      bound = HttpsServer.create(new InetSocketAddress(any, 0), 256);
    }
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[] {new ServingKey()}, null, new SecureRandom());
      bound.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              // Thrown here, the connection closes before the handshake.
              if (!params.getClientAddress().getAddress().isLoopbackAddress()) {
                throw new IllegalStateException("only loopback clients are served");
              }
              super.configure(params);
            }
          });
    } catch (java.security.GeneralSecurityException e) {
      bound.stop(0);
      throw new IOException("cannot set up TLS for the clusters' Kubernetes APIs", e);
    }
    bound.setExecutor(executor);
    bound.createContext("/", this::dispatch);
    bound.start();
    preferredPort = bound.getAddress().getPort();
    return bound;
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    KubeApiServer api =
        exchange.getRemoteAddress().getAddress().isLoopbackAddress()
            ? clusters.get(exchange.getLocalAddress().getAddress())
            : null;
    if (api == null) {
      try (exchange) {
        exchange.sendResponseHeaders(404, -1);
      }
      return;
    }
    api.serve(exchange);
  }

  /** 127.1.Y.Z, Z from 1 to 254: the n-th address (from 1) handed out. */
  private static InetAddress address(int n) {
    int block = (n - 1) / ADDRESSES_PER_BLOCK;
    byte[] bytes = {127, 1, (byte) block, (byte) ((n - 1) % ADDRESSES_PER_BLOCK + 1)};
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Which n {@code a} is ({@link #address}), 0 when it is not one handed out here. */
  private static int index(InetAddress a) {
    byte[] b = a.getAddress();
    int z = b.length == 4 ? b[3] & 0xff : 0;
    if (b.length != 4 || b[0] != 127 || b[1] != 1 || z == 0 || z == 255) {
      return 0;
    }
    return (b[2] & 0xff) * ADDRESSES_PER_BLOCK + z;
  }

  private InetAddress free() {
    for (int n = 1; n <= 256 * ADDRESSES_PER_BLOCK; n++) {
      InetAddress a = address(n);
      if (!clusters.containsKey(a)) {
        return a;
      }
    }
    throw new IllegalStateException("every loopback address for clusters is in use");
  }

  /** The serving certificate for the addresses in use now, issued again after they changed. */
  private synchronized ClusterCertificates current() {
    if (addressesChanged) {
      certificates = certificates.forAddresses(List.copyOf(clusters.keySet()));
      addressesChanged = false;
    }
    return certificates;
  }

  /** What the TLS handshake sends: always the current certificate, with the one serving key. */
  private final class ServingKey extends X509ExtendedKeyManager {
    private static final String ALIAS = "kube-apiserver";

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return "EC".equals(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return "EC".equals(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return "EC".equals(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? current().chain() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? current().serverKey() : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  // ---- EmulatedService: the port and CA outlive the process ----

  @Override
  public String key() {
    return "kube";
  }

  @Override
  public synchronized JsonNode snapshot() {
    ObjectNode node = Json.object().put("port", preferredPort);
    node.set("certificates", certificates.toJson());
    return node;
  }

  /**
   * Takes the saved port and CA (a state without them keeps the fresh ones). Nothing starts here:
   * the listener binds when the first cluster registers.
   */
  @Override
  public synchronized void restore(JsonNode snapshot, boolean serve) {
    if (snapshot == null || !snapshot.hasNonNull("certificates")) {
      return;
    }
    certificates = ClusterCertificates.fromJson(snapshot.path("certificates"));
    preferredPort = snapshot.path("port").asInt(0);
    addressesChanged = true;
  }

  @Override
  public List<String> inventory() {
    return List.of();
  }

  /** The port and CA stay: they belong to the sandbox, not to any cluster. */
  @Override
  public void clear() {}

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }
}
