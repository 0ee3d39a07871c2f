package io.refarch.activities;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;

/**
 * Where the Google Cloud clients connect. Real Google uses Application Default Credentials; the
 * sandbox is plain HTTP/gRPC without credentials for its cloud APIs.
 *
 * @param restEndpoint GKE and Resource Manager REST endpoint, e.g. {@code http://127.0.0.1:P}; null
 *     means Google's own
 * @param iamGrpcTarget IAM gRPC target {@code host:port} (the Java IAM client speaks gRPC only);
 *     null means Google's own
 * @param sandbox no credentials, plaintext
 */
public record GcpConnection(String restEndpoint, String iamGrpcTarget, boolean sandbox) {

  /**
   * Whose token the worker shows a cluster's API server: real Google's Application Default
   * Credentials, or the sandbox's.
   */
  public GoogleCredentialsSource clusterCredentials() {
    if (!sandbox) {
      return GoogleCredentialsSource.applicationDefault();
    }
    // The sandbox's clusters accept any non-empty token.
    return () -> GoogleCredentials.create(new AccessToken("sandbox", null));
  }

  public static GcpConnection real() {
    return new GcpConnection(null, null, false);
  }

  public static GcpConnection sandbox(String restEndpoint, String iamGrpcTarget) {
    if (restEndpoint == null || iamGrpcTarget == null) {
      throw new IllegalArgumentException(
          "the sandbox needs both a REST endpoint and an IAM gRPC target");
    }
    return new GcpConnection(restEndpoint, iamGrpcTarget, true);
  }
}
