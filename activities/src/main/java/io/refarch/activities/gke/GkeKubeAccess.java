package io.refarch.activities.gke;

import com.google.api.gax.rpc.ApiException;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.container.v1.Cluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.Failures;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.GoogleCredentialsSource;
import io.refarch.activities.gke.cluster.ClusterManagerClusters;
import io.refarch.activities.kubernetes.KubeAccess;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.ClusterRef;
import java.io.IOException;
import java.util.List;

/**
 * A GKE cluster's API as the worker itself may use it, built on every attempt: endpoint and CA from
 * {@code clusters.get}, and a bearer token from the worker's Google credentials (what {@code
 * gke-gcloud-auth-plugin} would print). The credentials object lives as long as the client: when
 * its token expires during a long step, fabric8 asks for the token again and gets a refreshed one.
 */
public final class GkeKubeAccess implements KubeAccess, AutoCloseable {
  private static final List<String> SCOPES =
      List.of("https://www.googleapis.com/auth/cloud-platform");

  private final GcpConnection connection;
  private final GoogleCredentialsSource credentials;
  private GcpClients clients;

  public GkeKubeAccess(GcpConnection connection) {
    this(connection, connection.clusterCredentials());
  }

  public GkeKubeAccess(GcpConnection connection, GoogleCredentialsSource credentials) {
    this.connection = connection;
    this.credentials = credentials;
  }

  @Override
  public Config config(ClusterRef ref) {
    ClusterPath path = new ClusterPath(ref.owner(), ref.region(), ref.name());
    Endpoint endpoint = endpoint(path);
    GoogleCredentials scoped = credentials(path);
    // Asked for now, so that credentials that do not work fail the step with a clear type.
    token(scoped, path);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(endpoint.server())
            .withCaCertData(endpoint.caBase64())
            .build();
    config.setOauthTokenProvider(() -> token(scoped, path));
    return config;
  }

  /** The API server's URL and its CA (base64 PEM), as {@code clusters.get} returns them. */
  public record Endpoint(String server, String caBase64) {}

  /** {@code clusters.get}: fails as not ready (retried) while the cluster has no endpoint. */
  public Endpoint endpoint(ClusterPath path) {
    Cluster cluster;
    try {
      cluster =
          new ClusterManagerClusters(clients().clusterManager)
              .find(path.name())
              .orElseThrow(
                  () ->
                      Failures.permanent(
                          FailureTypes.INVALID_ARGUMENT,
                          "cluster " + path.name() + " does not exist"));
    } catch (ApiException e) {
      throw CloudErrors.translate("reading cluster " + path.cluster(), e);
    }
    if (cluster.getEndpoint().isEmpty()
        || cluster.getMasterAuth().getClusterCaCertificate().isEmpty()) {
      throw Failures.retryable(
          Failures.NOT_READY, "cluster " + path.cluster() + " has no endpoint yet");
    }
    return new Endpoint(
        "https://" + cluster.getEndpoint(), cluster.getMasterAuth().getClusterCaCertificate());
  }

  private GoogleCredentials credentials(ClusterPath path) {
    try {
      return credentials.get().createScoped(SCOPES);
    } catch (IOException e) {
      throw ConfigurationErrors.missingCredentials(doing(path), e);
    }
  }

  private static String token(GoogleCredentials credentials, ClusterPath path) {
    try {
      credentials.refreshIfExpired();
      AccessToken token = credentials.getAccessToken();
      if (token == null) {
        token = credentials.refreshAccessToken();
      }
      return token.getTokenValue();
    } catch (IOException e) {
      throw ConfigurationErrors.tokenRefresh(doing(path), e);
    }
  }

  private static String doing(ClusterPath path) {
    return "getting an access token for cluster " + path.cluster();
  }

  private synchronized GcpClients clients() {
    if (clients == null) {
      clients = GcpClients.connect(connection);
    }
    return clients;
  }

  @Override
  public synchronized void close() {
    if (clients != null) {
      clients.close();
      clients = null;
    }
  }
}
