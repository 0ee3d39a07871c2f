package io.refarch.activities.eks.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.eks.AwsConnection;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.PreflightReport.Check;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EKS preflight with its real clients (the SDK's STS, EKS and EC2, Service Quotas signed by the
 * SDK's signer) against the sandbox's AWS, over the wire.
 */
class EksPreflightSandboxTest {

  @TempDir Path dir;

  static ClusterSpec example() throws Exception {
    return Specs.load(Path.of("../examples/eks.yaml"));
  }

  PreflightReport preflight(SandboxOptions options) throws Exception {
    try (Sandbox sandbox = Sandbox.start(options);
        EksPreflight preflight =
            new EksPreflight(AwsConnection.sandbox(URI.create(sandbox.endpoints().aws())))) {
      return preflight.check(example());
    }
  }

  static Check named(PreflightReport report, String name) {
    return report.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theExamplePassesOnTheSandbox() throws Exception {
    PreflightReport report = preflight(SandboxOptions.defaults(dir));

    assertThat(report.failed()).isEmpty();
    assertThat(named(report, "Credentials").message())
        .isEqualTo("as arn:aws:iam::000000000000:user/" + AwsConnection.SANDBOX_ACCESS_KEY_ID);
    assertThat(named(report, "Kubernetes version").message())
        .isEqualTo("1.22 is offered by EKS in eu-west-1 (extended support)");
    assertThat(named(report, "vCPU quota").message())
        .contains("need 24 vCPUs")
        .contains("free 640 (quota 640, in use 0");
    assertThat(named(report, "Elastic IPs").message()).contains("0 of 5 allocated");
  }

  @Test
  void aLowVcpuQuotaFailsWithItsNumbers() throws Exception {
    PreflightReport report =
        preflight(
            SandboxOptions.defaults(dir).withAwsQuota(EksPreflightChecks.STANDARD_VCPU_QUOTA, 8));

    assertThat(report.failed()).extracting(Check::name).containsExactly("vCPU quota");
    assertThat(report.summary())
        .contains("L-1216C47A")
        .contains("need 24 vCPUs")
        .contains("free 8");
  }

  @Test
  void aQuotaServiceQuotasRefusesToShowIsNotChecked() throws Exception {
    PreflightReport report =
        preflight(
            SandboxOptions.defaults(dir)
                .withFaults(List.of(Sandbox.parseFault("GetServiceQuota=AccessDenied"))));

    Check vcpus = named(report, "vCPU quota");
    assertThat(vcpus.ok()).isTrue();
    assertThat(vcpus.message()).startsWith("not checked").contains("AccessDeniedException");
  }

  @Test
  void rejectedCredentialsStopThePreflightAtTheFirstCheck() throws Exception {
    PreflightReport report =
        preflight(
            SandboxOptions.defaults(dir)
                .withFaults(List.of(Sandbox.parseFault("GetCallerIdentity=InvalidClientTokenId"))));

    assertThat(report.checks()).hasSize(1);
    assertThat(report.checks().get(0).ok()).isFalse();
    assertThat(report.checks().get(0).message()).contains("InvalidClientTokenId");
  }
}
