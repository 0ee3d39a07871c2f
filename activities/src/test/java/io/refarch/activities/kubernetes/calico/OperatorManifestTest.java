package io.refarch.activities.kubernetes.calico;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.refarch.activities.Failures;
import io.refarch.sandbox.mirror.Mirror;
import io.refarch.spec.AwsOptions;
import io.refarch.spec.SpecDefaults;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The activity takes the manifests the spec accepts (docs/spec.md, EksRules): an https:// URL
 * without a digest (the default, so examples/eks.yaml as shipped) is fetched, an http:// one is
 * not.
 */
class OperatorManifestTest {

  @Test
  void anHttpsUrlWithoutDigestIsFetchedAndAnHttpOneIsRefused() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ApplicationFailure https =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                OperatorManifest.load(
                    new AwsOptions.Calico(
                        "https://127.0.0.1:" + closed + "/tigera-operator.yaml", null)));
    assertThat(https.getType()).as("tried, not refused").isEqualTo(Failures.TRANSIENT);
    assertThat(https.getOriginalMessage()).contains("fetching https://127.0.0.1:" + closed);

    ApplicationFailure http =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                OperatorManifest.load(
                    new AwsOptions.Calico(
                        "http://127.0.0.1:" + closed + "/tigera-operator.yaml", null)));
    assertThat(http.getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
    assertThat(http.getOriginalMessage())
        .isEqualTo("aws.calico.operatorManifestSha256: required for an http:// manifest");
  }

  /**
   * An air-gapped worker (and every run against the sandbox) fetches the spec's URL from its
   * mirror, laid out by host and path; the digest is checked on what the mirror gave.
   */
  @Test
  void aMirrorServesTheUrlByHostAndPathAndTheDigestStillHolds() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> asked = new CopyOnWriteArrayList<>();
    server.createContext(Mirror.PATH, new Mirror(r -> asked.add(r.path())));
    server.start();
    try {
      URI mirror = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror");
      String pinned = SpecDefaults.EKS_CALICO_OPERATOR_MANIFEST;

      byte[] manifest = OperatorManifest.load(new AwsOptions.Calico(pinned, null), mirror);

      assertThat(manifest).isEqualTo(Mirror.tigeraOperator());
      assertThat(asked)
          .containsExactly(
              "/mirror/raw.githubusercontent.com/projectcalico/calico/v3.26.4/manifests/tigera-operator.yaml");

      String digest = OperatorManifest.sha256(manifest);
      assertThat(OperatorManifest.load(new AwsOptions.Calico(pinned, digest), mirror))
          .isEqualTo(manifest);
      ApplicationFailure tampered =
          catchThrowableOfType(
              ApplicationFailure.class,
              () -> OperatorManifest.load(new AwsOptions.Calico(pinned, "ab".repeat(32)), mirror));
      assertThat(tampered.getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
      assertThat(tampered.getOriginalMessage()).contains("has sha256 " + digest);

      ApplicationFailure missing =
          catchThrowableOfType(
              ApplicationFailure.class,
              () ->
                  OperatorManifest.load(
                      new AwsOptions.Calico("https://example.com/other.yaml", null), mirror));
      assertThat(missing.getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
      assertThat(missing.getOriginalMessage())
          .isEqualTo(
              "aws.calico.operatorManifest: " + mirror + "/example.com/other.yaml not found (404)");
    } finally {
      server.stop(0);
    }
  }
}
