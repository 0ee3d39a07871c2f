package io.refarch.activities;

import com.google.auth.oauth2.UserCredentials;
import java.net.URI;

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
   * Credentials, or credentials that refresh at the sandbox's OAuth token endpoint (the only tokens
   * its clusters accept, each for the sandbox's token lifetime).
   */
  public GoogleCredentialsSource clusterCredentials() {
    if (!sandbox) {
      return GoogleCredentialsSource.applicationDefault();
    }
    // The sandbox's token endpoint stands in for Google's: the real library refreshes through it.
    URI tokenServer = URI.create(restEndpoint + "/token");
    return () ->
        UserCredentials.newBuilder()
            .setClientId("refarch-sandbox")
            .setClientSecret("sandbox")
            .setRefreshToken("sandbox")
            .setTokenServerUri(tokenServer)
            .build();
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
