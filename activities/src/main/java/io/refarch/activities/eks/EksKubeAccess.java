package io.refarch.activities.eks;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.refarch.activities.Failures;
import io.refarch.activities.kubernetes.KubeAccess;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.ClusterRef;
import java.time.Clock;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * An EKS cluster's API as the worker itself may use it, built on every attempt: endpoint and CA
 * from DescribeCluster, and an {@link EksToken} signed with the worker's AWS credentials. fabric8
 * asks for the token on each request; {@link EksTokens} signs a new one once the last is a few
 * minutes old, so a long step never sends an expired one. No kubeconfig is written.
 */
public final class EksKubeAccess implements KubeAccess, AutoCloseable {
  private final AwsConnection connection;
  private final Clock clock;
  private final java.util.Map<String, AwsClients> clients = new java.util.HashMap<>();

  public EksKubeAccess(AwsConnection connection) {
    this(connection, Clock.systemUTC());
  }

  public EksKubeAccess(AwsConnection connection, Clock clock) {
    this.connection = connection;
    this.clock = clock;
  }

  @Override
  public Config config(ClusterRef ref) {
    Cluster cluster;
    try {
      cluster = clients(ref.region()).eks.describeCluster(r -> r.name(ref.name())).cluster();
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        throw Failures.permanent(
            FailureTypes.FAILED_PRECONDITION, "EKS cluster " + ref.name() + " does not exist");
      }
      throw AwsErrors.translate("reading EKS cluster " + ref.name(), e);
    }
    if (cluster.endpoint() == null
        || cluster.certificateAuthority() == null
        || cluster.certificateAuthority().data() == null) {
      throw Failures.retryable(
          Failures.NOT_READY, "EKS cluster " + ref.name() + " has no endpoint yet");
    }
    EksTokens tokens = new EksTokens(connection.credentials(), ref.region(), ref.name(), clock);
    // Signed now, so that credentials that do not resolve fail the step with a clear type.
    tokens.get();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(cluster.endpoint())
            .withCaCertData(cluster.certificateAuthority().data())
            .build();
    config.setOauthTokenProvider(tokens::get);
    return config;
  }

  private synchronized AwsClients clients(String region) {
    return clients.computeIfAbsent(region, r -> AwsClients.connect(connection, r));
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(AwsClients::close);
    clients.clear();
  }
}
