package io.refarch.worker;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker's own settings ({@code refarch.*} in application.yaml or REFARCH_* environment
 * variables). Temporal's connection is the starter's {@code spring.temporal.*}.
 *
 * @param kubeconfigDir where kubeconfig files are written (0600, one per cluster)
 * @param gcp where the Google Cloud clients connect: Google itself unless a sandbox is given
 * @param pollInitial first wait between polls of a long cloud operation
 * @param pollMax the wait between polls backs off up to this
 * @param nodeWait how long the node check waits for Ready nodes
 * @param codec payload encryption; off unless keys are given
 * @param aws where the AWS clients connect: AWS itself unless an endpoint is given
 * @param azure where the Azure clients connect: public Azure unless an endpoint is given
 * @param mirror where downloads (the tigera-operator manifest) come from instead of the internet,
 *     {@code https://host/path} as {@code <mirror>/host/path}; empty: the internet
 * @param handBackWaits whether waiting steps hand every wait between two reads back to the server
 *     (no activity slot or thread held while a cloud operation runs; each read an attempt)
 */
@ConfigurationProperties("refarch")
public record WorkerSettings(
    Path kubeconfigDir,
    Gcp gcp,
    Duration pollInitial,
    Duration pollMax,
    Duration nodeWait,
    Codec codec,
    Aws aws,
    String mirror,
    Azure azure,
    boolean handBackWaits) {

  /**
   * @param restEndpoint GKE and Resource Manager REST endpoint; empty for Google
   * @param iamGrpcTarget IAM gRPC host:port; empty for Google
   * @param sandbox connect without credentials (the refarch sandbox)
   */
  public record Gcp(String restEndpoint, String iamGrpcTarget, boolean sandbox) {}

  /**
   * @param endpoint one URL for every AWS service (an emulator); empty for AWS itself
   * @param sandbox the endpoint is the refarch sandbox: its static keys, not the credential chain
   */
  public record Aws(String endpoint, boolean sandbox) {}

  /**
   * @param endpoint a Resource Manager that serves Entra's login on the same URL (the refarch
   *     sandbox); empty for public Azure. The credential is still azure-identity's default chain.
   * @param caFile PEM certificates to trust for it besides the JDK's; empty for none
   */
  public record Azure(String endpoint, String caFile) {}

  /**
   * @param keyFile file of {@code id=base64} AES-256 keys (last is current)
   * @param keyId the current key id, if not the last
   * @param corsOrigins origins allowed to call the codec endpoints (the Web UI)
   * @param token bearer tokens the codec endpoints accept, comma-separated
   * @param tokenFile file of accepted bearer tokens, one per line
   * @param allowUnauthenticated serve the codec endpoints to anyone; only on a loopback address
   * @param port the codec server's own port, apart from health and metrics
   * @param address the address the codec server binds to; empty for all interfaces
   * @param requireEncryptedInput fail runs whose input arrived in plain text
   * @param oidc the Web UI users' OIDC access tokens, accepted besides the bearer tokens
   */
  public record Codec(
      String keyFile,
      String keyId,
      String corsOrigins,
      String token,
      String tokenFile,
      boolean allowUnauthenticated,
      Integer port,
      String address,
      boolean requireEncryptedInput,
      Oidc oidc) {}

  /**
   * @param issuer the OIDC issuer (its {@code iss}); off when empty
   * @param audience the audience the tokens must be for ({@code aud}); required with an issuer
   * @param jwksUri where the issuer's signing keys are; discovered from the issuer when empty
   * @param claim the claim that authorizes: {@code email}, {@code groups}, ...
   * @param allowed the values of that claim that may decode, comma-separated
   */
  public record Oidc(
      String issuer, String audience, String jwksUri, String claim, String allowed) {}
}
