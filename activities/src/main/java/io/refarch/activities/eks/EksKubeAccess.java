package io.refarch.activities.eks;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.refarch.activities.Failures;
import io.refarch.activities.kubernetes.KubeAccess;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.ClusterRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * An EKS cluster's API as the worker itself may use it, built on every attempt: endpoint and CA
 * from DescribeCluster, and an {@link EksToken} signed with the worker's AWS credentials. fabric8
 * asks for the token on each request; a token is reused for {@link #REUSE} and signed anew after
 * (the API server accepts a token for about 15 minutes, as {@code aws eks get-token} reports), so a
 * long step never sends an expired one. No kubeconfig is written.
 */
public final class EksKubeAccess implements KubeAccess, AutoCloseable {
  static final Duration REUSE = Duration.ofMinutes(5);

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
    Tokens tokens = new Tokens(ref.region(), ref.name());
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

  /** The token of one cluster, signed again once it is {@link #REUSE} old. */
  private final class Tokens {
    private final String region;
    private final String cluster;
    private String token;
    private Instant signedAt;

    Tokens(String region, String cluster) {
      this.region = region;
      this.cluster = cluster;
    }

    synchronized String get() {
      Instant now = clock.instant();
      if (token == null || Duration.between(signedAt, now).compareTo(REUSE) >= 0) {
        AwsCredentials credentials;
        try {
          credentials = connection.credentials().resolveCredentials();
        } catch (SdkException e) {
          throw AwsErrors.translate("getting AWS credentials for EKS cluster " + cluster, e);
        }
        token = EksToken.create(credentials, region, cluster, clock);
        signedAt = now;
      }
      return token;
    }
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
