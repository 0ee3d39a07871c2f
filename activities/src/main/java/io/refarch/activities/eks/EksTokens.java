package io.refarch.activities.eks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The {@link EksToken} of one cluster for as long as a client lives: reused for {@link #REUSE},
 * then signed again with freshly resolved credentials (the API server accepts a token for about 15
 * minutes after signing, as {@code aws eks get-token} reports; refreshed well before that).
 */
public final class EksTokens {
  static final Duration REUSE = Duration.ofMinutes(5);

  private final AwsCredentialsProvider credentials;
  private final String region;
  private final String cluster;
  private final Clock clock;
  private String token;
  private Instant signedAt;

  public EksTokens(AwsCredentialsProvider credentials, String region, String cluster, Clock clock) {
    this.credentials = credentials;
    this.region = region;
    this.cluster = cluster;
    this.clock = clock;
  }

  public synchronized String get() {
    Instant now = clock.instant();
    if (token == null || Duration.between(signedAt, now).compareTo(REUSE) >= 0) {
      AwsCredentials resolved;
      try {
        resolved = credentials.resolveCredentials();
      } catch (SdkException e) {
        throw AwsErrors.translate("getting AWS credentials for EKS cluster " + cluster, e);
      }
      token = EksToken.create(resolved, region, cluster, clock);
      signedAt = now;
    }
    return token;
  }
}
