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

  /**
   * The refarch sandbox's AWS at {@code endpoint}, with static keys of its own: the sandbox checks
   * no signature, and the machine's AWS credentials (the default chain) are never read nor sent to
   * it. The sandbox's caller is {@code arn:aws:iam::000000000000:user/AKIAREFARCHSANDBOX00}.
   */
  public static AwsConnection sandbox(URI endpoint) {
    return emulator(endpoint, SANDBOX_ACCESS_KEY_ID, SANDBOX_SECRET_ACCESS_KEY);
  }

  /** Not a secret: the sandbox's access key id. */
  public static final String SANDBOX_ACCESS_KEY_ID = "AKIAREFARCHSANDBOX00";

  static final String SANDBOX_SECRET_ACCESS_KEY = "refarch-sandbox-not-a-secret";

  /**
   * AWS's APIs at {@code endpoint} (an emulator, or a private gateway standing for every service)
   * with the worker's own credential chain.
   */
  public static AwsConnection at(URI endpoint) {
    return new AwsConnection(Optional.of(endpoint), DefaultCredentialsProvider.builder().build());
  }

  /** An emulator serving every service at one URL (moto's server), with any static keys. */
  public static AwsConnection emulator(URI endpoint, String accessKeyId, String secretAccessKey) {
    return new AwsConnection(
        Optional.of(endpoint),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
  }
}
