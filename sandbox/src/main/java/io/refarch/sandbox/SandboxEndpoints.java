package io.refarch.sandbox;

import io.refarch.sandbox.mirror.Mirror;

/**
 * Where the sandbox listens.
 *
 * @param gcpRest "http://127.0.0.1:PORT", serving the container, iam, cloudresourcemanager and
 *     serviceusage REST APIs
 * @param iamGrpc "127.0.0.1:PORT2", serving google.iam.admin.v1.IAM over plaintext gRPC (the Java
 *     IAM client is gRPC only)
 * @param aws "http://127.0.0.1:PORT3", every AWS service (EC2, IAM, STS, EKS, SSM, Auto Scaling):
 *     the AWS SDK's {@code endpointOverride}; requests go to a service by their signature's
 *     credential scope
 * @param azure "https://127.0.0.1:PORT4", Azure Resource Manager and the Microsoft Entra authority
 *     on one HTTPS listener (a custom cloud's resourceManagerEndpoint and activeDirectoryEndpoint);
 *     its certificate is issued by the sandbox's Azure CA ({@code stateDir/azure-ca.pem})
 */
public record SandboxEndpoints(String gcpRest, String iamGrpc, String aws, String azure) {

  /**
   * "http://127.0.0.1:PORT3/mirror": the downloads a run makes outside the clouds' APIs (the
   * tigera-operator manifest), as an air-gapped worker's mirror serves them ({@link Mirror}).
   */
  public String mirror() {
    return aws + Mirror.PATH.substring(0, Mirror.PATH.length() - 1);
  }
}
