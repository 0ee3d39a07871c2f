package io.refarch.sandbox;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.auth.oauth2.UserCredentials;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.iam.admin.v1.IAMSettings;
import com.google.cloud.resourcemanager.v3.ProjectsClient;
import com.google.cloud.resourcemanager.v3.ProjectsSettings;
import com.google.container.v1.Operation;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** The official clients, configured the way refarch points them at the sandbox. */
final class GcpClients {

  private GcpClients() {}

  static ClusterManagerClient gke(Sandbox sandbox) throws IOException {
    return ClusterManagerClient.create(
        ClusterManagerSettings.newHttpJsonBuilder()
            .setEndpoint(sandbox.endpoints().gcpRest())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build());
  }

  static ProjectsClient projects(Sandbox sandbox) throws IOException {
    return ProjectsClient.create(
        ProjectsSettings.newHttpJsonBuilder()
            .setEndpoint(sandbox.endpoints().gcpRest())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build());
  }

  static IAMClient iam(Sandbox sandbox) throws IOException {
    return IAMClient.create(
        IAMSettings.newBuilder()
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(sandbox.endpoints().iamGrpc())
                    .setChannelConfigurator(b -> b.usePlaintext())
                    .build())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build());
  }

  /**
   * A fabric8 client for a cluster, from what GKE returned (endpoint and CA), with a token from the
   * sandbox's token endpoint.
   */
  static KubernetesClient kubernetes(Sandbox sandbox, com.google.container.v1.Cluster cluster)
      throws IOException {
    return kubernetes(cluster, token(sandbox));
  }

  static KubernetesClient kubernetes(com.google.container.v1.Cluster cluster, String token) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("https://" + cluster.getEndpoint())
            .withCaCertData(cluster.getMasterAuth().getClusterCaCertificate())
            .withOauthToken(token)
            .withRequestRetryBackoffLimit(0)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * A token, as google-auth-library refreshes one: a refresh-token grant posted to the token
   * endpoint.
   */
  static String token(Sandbox sandbox) throws IOException {
    return UserCredentials.newBuilder()
        .setClientId("test")
        .setClientSecret("test")
        .setRefreshToken("test")
        .setTokenServerUri(URI.create(sandbox.endpoints().gcpRest() + "/token"))
        .build()
        .refreshAccessToken()
        .getTokenValue();
  }

  /** Polls like refarch's activities do, until the operation is DONE. */
  static Operation awaitDone(ClusterManagerClient gke, String location, Operation op)
      throws InterruptedException {
    String name = location + "/operations/" + op.getName();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    Operation current = op;
    while (current.getStatus() != Operation.Status.DONE) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("operation " + name + " not DONE after 30s: " + current);
      }
      Thread.sleep(50);
      current = gke.getOperation(name);
    }
    return current;
  }
}
