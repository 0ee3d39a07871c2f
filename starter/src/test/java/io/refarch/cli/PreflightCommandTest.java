package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import com.google.container.v1.Cluster;
import com.google.container.v1.NodeConfig;
import io.refarch.activities.Activities;
import io.refarch.cli.CommandRunner.Result;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refarch preflight -f SPEC --sandbox}: the real checks against the sandbox, as a user runs
 * them. Each problem the sandbox models fails its check by name, with exit 1, and nothing is
 * created.
 */
class PreflightCommandTest {
  @TempDir Path dir;

  CommandRunner refarch() {
    return new CommandRunner(dir, Activities::create);
  }

  private void assertNothingCreated() {
    Result inventory = refarch().run("sandbox", "inventory");
    assertThat(inventory.exitCode()).isZero();
    assertThat(inventory.out()).as("the sandbox's inventory").isEmpty();
  }

  /** examples/gke.yaml with its Kubernetes version replaced. */
  private void exampleWithVersion(String name, String version) throws Exception {
    Files.writeString(
        dir.resolve(name),
        Files.readString(Path.of("..", "examples", "gke.yaml"))
            .replace("kubernetesVersion: latest", "kubernetesVersion: " + version));
  }

  @Test
  void theGkePresetPassesEveryCheck() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    Result r = refarch().run("preflight", "-f", "gke.yaml", "--sandbox");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Preflight of cluster gitpod in us-central1 (project my-gcp-project)")
        .containsPattern("ok\\s+Credentials\\s+the sandbox")
        .containsPattern("ok\\s+APIs enabled\\s+container.googleapis.com, iam.googleapis.com")
        .containsPattern("ok\\s+Kubernetes version\\s+latest: GKE's default in us-central1")
        .containsPattern("ok\\s+Names\\s+no cluster gitpod")
        .containsPattern("ok\\s+CPU quota\\s+us-central1 CPUS: need 108")
        .contains("All 5 checks passed. Nothing was changed.")
        .doesNotContain("FAILED");
    assertNothingCreated();
  }

  @Test
  void aVersionGkeDoesNotOfferFails() throws Exception {
    exampleWithVersion("seed.yaml", "1.22.12-gke.1200");
    Result r = refarch().run("preflight", "-f", "seed.yaml", "--sandbox");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.out())
        .containsPattern(
            "FAILED\\s+Kubernetes version\\s+GKE does not offer Kubernetes 1.22.12-gke.1200")
        .contains("1 of 5 checks failed. Nothing was changed.");
    assertNothingCreated();
  }

  @Test
  void tooSmallAQuotaFails() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    Result r =
        refarch()
            .run(
                "preflight",
                "-f",
                "gke.yaml",
                "--sandbox",
                "--sandbox-quota",
                "us-central1/N2D_CPUS=24");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.out())
        .containsPattern("FAILED\\s+CPU quota\\s+region us-central1 of project my-gcp-project")
        .contains("N2D_CPUS: need 108, free 24")
        .contains("1 of 5 checks failed");
    assertNothingCreated();
  }

  @Test
  void aDisabledApiFails() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    Result r =
        refarch()
            .run(
                "preflight",
                "-f",
                "gke.yaml",
                "--sandbox",
                "--sandbox-disable-api",
                "cloudresourcemanager.googleapis.com");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.out())
        .containsPattern(
            "FAILED\\s+APIs enabled\\s+cloudresourcemanager.googleapis.com is not enabled")
        .contains("gcloud services enable cloudresourcemanager.googleapis.com");
    assertNothingCreated();
  }

  @Test
  void aNameTakenByAClusterOfAnotherSpecFailsNamingTheDifference() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    Path state = dir.resolve(".refarch/sandbox");
    // Someone else's cluster under the preset's name: another version, no network policy.
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(state));
        ClusterManagerClient gke =
            ClusterManagerClient.create(
                ClusterManagerSettings.newHttpJsonBuilder()
                    .setEndpoint(sandbox.endpoints().gcpRest())
                    .setCredentialsProvider(NoCredentialsProvider.create())
                    .build())) {
      gke.createCluster(
          "projects/my-gcp-project/locations/us-central1",
          Cluster.newBuilder()
              .setName("gitpod")
              .setInitialClusterVersion("1.30")
              .setNodeConfig(NodeConfig.newBuilder().setMachineType("e2-standard-2"))
              .setInitialNodeCount(1)
              .build());
    }
    List<String> before = refarch().run("sandbox", "inventory").out().lines().toList();
    exampleWithVersion("pinned.yaml", "\"1.31\"");

    Result r = refarch().run("preflight", "-f", "pinned.yaml", "--sandbox");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.out())
        .containsPattern(
            "FAILED\\s+Names\\s+cluster gitpod exists with initialClusterVersion"
                + " 1.30.12-gke.1151000, spec says 1.31")
        .contains("networkPolicy.enabled false, spec says true");
    assertThat(refarch().run("sandbox", "inventory").out().lines().toList()).isEqualTo(before);
  }

  @Test
  void badInputExitsTwoAndChecksNothing() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    CommandRunner.example(dir, "eks.yaml");

    Result badQuota =
        refarch().run("preflight", "-f", "gke.yaml", "--sandbox", "--sandbox-quota", "N2D_CPUS");
    assertThat(badQuota.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badQuota.err()).contains("is not [REGION/]METRIC=LIMIT");

    Result noSandbox =
        refarch().run("preflight", "-f", "gke.yaml", "--sandbox-disable-api", "iam.googleapis.com");
    assertThat(noSandbox.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(noSandbox.err()).contains("need --sandbox");

    Result eks = refarch().run("preflight", "-f", "eks.yaml", "--sandbox");
    assertThat(eks.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(eks.err()).contains("preflight checks GKE only so far");

    Result missing = refarch().run("preflight", "-f", "nowhere.yaml", "--sandbox");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertNothingCreated();
  }
}
