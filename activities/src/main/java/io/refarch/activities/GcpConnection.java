package io.refarch.activities;

/**
 * Where the Google Cloud clients connect. Real Google uses Application Default Credentials; the
 * sandbox is plain HTTP/gRPC without credentials, and its clusters accept any bearer token.
 *
 * @param restEndpoint GKE and Resource Manager REST endpoint, e.g. {@code http://127.0.0.1:P}; null
 *     means Google's own
 * @param iamGrpcTarget IAM gRPC target {@code host:port} (the Java IAM client speaks gRPC only);
 *     null means Google's own
 * @param sandbox no credentials, plaintext, the static cluster token {@code sandbox}
 */
public record GcpConnection(String restEndpoint, String iamGrpcTarget, boolean sandbox) {

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
