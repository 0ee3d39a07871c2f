package io.refarch.activities.kubernetes.calico;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.activities.Failures;
import io.refarch.spec.AwsOptions;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.ServerSocket;
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
}
