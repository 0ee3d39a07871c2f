package io.refarch.activities.eks.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.activities.ActivityConfig;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.eks.EksActivitiesImpl;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.PreflightReport.Check;
import io.refarch.workflow.eks.EksActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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

  @Test
  void theActivityFailsForGoodWithTheReportAndCreatesNothing() throws Exception {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try (Sandbox sandbox =
            Sandbox.start(
                SandboxOptions.defaults(dir)
                    .withAwsQuota(EksPreflightChecks.STANDARD_VCPU_QUOTA, 8)
                    .withAwsQuota("L-0263D0A3", 0));
        EksActivitiesImpl impl =
            new EksActivitiesImpl(
                AwsConnection.sandbox(URI.create(sandbox.endpoints().aws())),
                ActivityConfig.defaults())) {
      env.registerActivitiesImplementations(impl);
      EksActivities activities =
          env.newActivityStub(
              EksActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      ActivityFailure failure =
          catchThrowableOfType(ActivityFailure.class, () -> activities.preflight(example()));

      ApplicationFailure cause = (ApplicationFailure) failure.getCause();
      assertThat(cause.getType()).isEqualTo(FailureTypes.PREFLIGHT_FAILED);
      assertThat(cause.isNonRetryable()).isTrue();
      assertThat(cause.getOriginalMessage())
          .startsWith("preflight: 2 of 5 checks failed")
          .contains("vCPU quota: region eu-west-1 is short of vCPU quota")
          .contains("Elastic IPs: too few Elastic IPs");
      PreflightReport report = cause.getDetails().get(PreflightReport.class);
      assertThat(report.failed())
          .extracting(Check::name)
          .containsExactly("vCPU quota", "Elastic IPs");
      // The report names the caller, never its keys.
      assertThat(report.toString()).doesNotContain("refarch-sandbox-not-a-secret");
      assertThat(sandbox.inventory()).isEmpty();
    } finally {
      env.close();
    }
  }
}
