package io.refarch.activities.eks;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * How the worker reaches AWS: the real endpoints with the SDK's default credential chain
 * (environment, profile, web identity, instance or container role), or an emulator such as moto at
 * {@code endpoint} with static keys. The region is the cluster's, from its spec.
 */
public record AwsConnection(Optional<URI> endpoint, AwsCredentialsProvider credentials) {

  public AwsConnection {
    if (endpoint == null || credentials == null) {
      throw new IllegalArgumentException("endpoint (may be empty) and credentials are required");
    }
  }

  /** Real AWS with the worker's own credential chain. */
  public static AwsConnection real() {
    return new AwsConnection(Optional.empty(), DefaultCredentialsProvider.builder().build());
  }

  /** An emulator serving every service at one URL (moto's server), with any static keys. */
  public static AwsConnection emulator(URI endpoint, String accessKeyId, String secretAccessKey) {
    return new AwsConnection(
        Optional.of(endpoint),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
  }
}
