package io.refarch.sandbox;

/**
 * Where the sandbox listens.
 *
 * @param gcpRest "http://127.0.0.1:PORT", serving the container, iam, cloudresourcemanager and
 *     serviceusage REST APIs
 * @param iamGrpc "127.0.0.1:PORT2", serving google.iam.admin.v1.IAM over plaintext gRPC (the Java
 *     IAM client is gRPC only)
 */
public record SandboxEndpoints(String gcpRest, String iamGrpc) {}
