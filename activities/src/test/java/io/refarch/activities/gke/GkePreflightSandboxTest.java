package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.container.v1.Cluster;
import com.google.container.v1.NodeConfig;
import io.refarch.activities.SeedSpecs;
import io.refarch.sandbox.gcp.GcpProject;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.PreflightReport.Check;
import io.refarch.workflow.gke.GkeActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GKE preflight through the real clients (GKE's Java client, the Google HTTP client for
 * serviceusage and Compute Engine) against the sandbox: each modelled problem fails its check, by
 * name, and nothing is created.
 */
class GkePreflightSandboxTest {
  private static final String PROJECT = "refarch-test";

  @TempDir Path dir;
  private GkeSandbox sandbox;

  @AfterEach
  void stop() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /** The seed's spec at a version the sandbox's serverConfig offers. */
  static ClusterSpec spec(String version) {
    ClusterSpec s = SeedSpecs.gke(PROJECT);
    return new ClusterSpec(
        s.apiVersion(),
        s.kind(),
        s.cloud(),
        s.name(),
        s.region(),
        s.zones(),
        version,
        s.clusterAdmin(),
        s.keepOnFailure(),
        s.heartbeatTimeoutSeconds(),
        s.network(),
        s.nodePools(),
        s.gcp(),
        s.aws(),
        s.azure());
  }

  private PreflightReport preflight(ClusterSpec spec) {
    try (GkePreflight preflight = new GkePreflight(sandbox.config.gcp())) {
      return preflight.check(spec);
    }
  }

  private static Check check(PreflightReport report, String name) {
    return report.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  /** Preflight only reads: every request it sent was a GET, and nothing exists afterwards. */
  private void assertNothingChanged() {
    assertThat(sandbox.inventory()).isEmpty();
    assertThat(sandbox.sandbox.requests())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
  }

  @Test
  void aSpecTheProjectCanRunPassesEveryCheck() throws Exception {
    sandbox = GkeSandbox.start(dir, Duration.ofMillis(50));
    PreflightReport report = preflight(spec("1.31"));

    assertThat(report.ok()).as(report.summary()).isTrue();
    assertThat(report.checks())
        .extracting(Check::name)
        .containsExactly("Credentials", "APIs enabled", "Kubernetes version", "Names", "CPU quota");
    assertThat(check(report, "Kubernetes version").message())
        .isEqualTo("1.31 (1.31.8-gke.1045000) is offered in us-central1");
    // 3 zones: services 3 × n2d-standard-4, two workspace pools 3 × n2d-standard-16.
    assertThat(check(report, "CPU quota").message()).contains("N2D_CPUS: need 108, free 500");
    assertNothingChanged();
  }

  @Test
  void theSeedsVersionIsNotOffered() throws Exception {
    sandbox = GkeSandbox.start(dir, Duration.ofMillis(50));
    PreflightReport report = preflight(spec("1.22.12-gke.1200"));

    assertThat(report.ok()).isFalse();
    assertThat(report.failed()).extracting(Check::name).containsExactly("Kubernetes version");
    assertThat(report.failed().get(0).message())
        .startsWith("GKE does not offer Kubernetes 1.22.12-gke.1200 in us-central1")
        .contains("1.32.4-gke.1106000", "REGULAR 1.31.8-gke.1045000")
        .contains("Fix: set kubernetesVersion");
    assertNothingChanged();
  }

  @Test
  void tooLittleQuotaIsNamedWithWhatIsNeeded() throws Exception {
    sandbox =
        GkeSandbox.start(
            dir, Duration.ofMillis(50), GcpProject.defaults().withQuota("us-central1/N2D_CPUS=24"));
    PreflightReport report = preflight(spec("1.31"));

    assertThat(report.failed()).extracting(Check::name).containsExactly("CPU quota");
    assertThat(report.failed().get(0).message())
        .contains("N2D_CPUS: need 108, free 24 (limit 24, in use 0)")
        .contains("iam-admin/quotas?project=" + PROJECT)
        .doesNotContain("CPUS: need 114, free");
    assertNothingChanged();
  }

  @Test
  void aDisabledApiIsNamedWithTheCommandThatEnablesIt() throws Exception {
    sandbox =
        GkeSandbox.start(
            dir,
            Duration.ofMillis(50),
            GcpProject.defaults().withDisabledApi("container.googleapis.com"));
    PreflightReport report = preflight(spec("1.31"));

    assertThat(report.failed()).extracting(Check::name).containsExactly("APIs enabled");
    assertThat(report.failed().get(0).message())
        .isEqualTo(
            "container.googleapis.com is not enabled in project "
                + PROJECT
                + ". Fix: gcloud services enable container.googleapis.com --project "
                + PROJECT);
    assertNothingChanged();
  }

  @Test
  void aNameTakenByAClusterOfAnotherSpecIsNamedAsSpecMismatchNamesIt() throws Exception {
    sandbox = GkeSandbox.start(dir, Duration.ofMillis(50));
    String location = "projects/" + PROJECT + "/locations/us-central1";
    sandbox.gke.createCluster(
        location,
        Cluster.newBuilder()
            .setName("gitpod")
            .setInitialClusterVersion("1.30")
            .setNodeConfig(NodeConfig.newBuilder().setMachineType("e2-standard-2"))
            .setInitialNodeCount(1)
            .build());
    List<String> before = sandbox.inventory();

    PreflightReport report = preflight(spec("1.31"));

    assertThat(report.failed()).extracting(Check::name).containsExactly("Names");
    assertThat(report.failed().get(0).message())
        .startsWith(
            "cluster gitpod exists with initialClusterVersion 1.30.12-gke.1151000, spec says 1.31")
        .contains("Fix: choose another name");
    assertThat(sandbox.inventory()).isEqualTo(before);
  }

  @Test
  void theActivityFailsForGoodWithEveryFailedCheckNamed() throws Exception {
    sandbox =
        GkeSandbox.start(
            dir,
            Duration.ofMillis(50),
            GcpProject.defaults().withDisabledApi("iam.googleapis.com").withQuota("CPUS=10"));
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try (GkeActivitiesImpl impl = new GkeActivitiesImpl(sandbox.config)) {
      env.registerActivitiesImplementations(impl);
      GkeActivities activities =
          env.newActivityStub(
              GkeActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      ActivityFailure failure =
          catchThrowableOfType(
              ActivityFailure.class, () -> activities.preflight(spec("1.22.12-gke.1200")));
      ApplicationFailure cause = (ApplicationFailure) failure.getCause();
      assertThat(cause.getType()).isEqualTo(FailureTypes.PREFLIGHT_FAILED);
      assertThat(cause.isNonRetryable()).isTrue();
      assertThat(cause.getOriginalMessage())
          .startsWith("preflight: 3 of 5 checks failed")
          .contains("APIs enabled: iam.googleapis.com is not enabled")
          .contains("Kubernetes version: GKE does not offer Kubernetes 1.22.12-gke.1200")
          .contains("CPU quota: region us-central1");
      PreflightReport report = cause.getDetails().get(PreflightReport.class);
      assertThat(report.failed()).hasSize(3);
      // "latest" is always offered; the other two problems remain.
      ActivityFailure latest =
          catchThrowableOfType(ActivityFailure.class, () -> activities.preflight(spec("latest")));
      assertThat(((ApplicationFailure) latest.getCause()).getOriginalMessage())
          .startsWith("preflight: 2 of 5 checks failed");
    } finally {
      env.close();
    }
    assertThat(sandbox.inventory()).isEmpty();
  }

  @Test
  void withoutCredentialsOnlyThatIsReportedWithTheFix() {
    PreflightReport report;
    try (GkePreflight preflight =
        new GkePreflight(
            io.refarch.activities.GcpConnection.real(),
            () -> {
              throw new IOException("The Application Default Credentials are not available.");
            })) {
      report = preflight.check(spec("1.31"));
    }
    assertThat(report.checks()).hasSize(1);
    Check credentials = report.checks().get(0);
    assertThat(credentials.ok()).isFalse();
    assertThat(credentials.message())
        .startsWith("no usable Application Default Credentials")
        .contains("gcloud auth application-default login");
    assertThat(Set.of(report.summary())).allMatch(s -> s.startsWith("preflight: 1 of 1"));
  }
}
