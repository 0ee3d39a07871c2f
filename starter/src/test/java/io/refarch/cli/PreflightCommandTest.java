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
  void theEksPresetPassesEveryCheck() throws Exception {
    CommandRunner.example(dir, "eks.yaml");
    Result r = refarch().run("preflight", "-f", "eks.yaml", "--sandbox");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Preflight of EKS cluster gitpod in eu-west-1 (account 123456789012)")
        .containsPattern("ok\\s+Credentials\\s+as arn:aws:iam::000000000000:user/")
        .containsPattern("ok\\s+Kubernetes version\\s+1.22 is offered by EKS in eu-west-1")
        .containsPattern("ok\\s+Names\\s+no EKS cluster gitpod in eu-west-1 yet")
        .containsPattern("ok\\s+vCPU quota\\s+eu-west-1 Running On-Demand Standard")
        .contains("need 24 vCPUs")
        .containsPattern("ok\\s+Elastic IPs\\s+NAT Single needs 1; 0 of 5 allocated")
        .contains("All 5 checks passed. Nothing was changed.")
        .doesNotContain("FAILED");
    assertNothingCreated();
  }

  @Test
  void tooSmallAnAwsVcpuQuotaFailsNamingTheQuotaAndTheNumbers() throws Exception {
    CommandRunner.example(dir, "eks.yaml");
    Result r =
        refarch()
            .run("preflight", "-f", "eks.yaml", "--sandbox", "--sandbox-aws-quota", "L-1216C47A=8");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.out())
        .containsPattern("FAILED\\s+vCPU quota\\s+region eu-west-1 is short of vCPU quota")
        .contains("(L-1216C47A): need 24 vCPUs")
        .contains("free 8 (quota 8, in use 0")
        .contains("1 of 5 checks failed. Nothing was changed.");
    assertNothingCreated();
  }

  @Test
  void tooFewElasticIpsForHighlyAvailableNatFail() throws Exception {
    Files.writeString(
        dir.resolve("ha.yaml"),
        Files.readString(Path.of("..", "examples", "eks.yaml"))
            .replace("nat: Single", "nat: HighlyAvailable"));
    Result r =
        refarch()
            .run("preflight", "-f", "ha.yaml", "--sandbox", "--sandbox-aws-quota", "L-0263D0A3=2");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.out())
        .containsPattern("FAILED\\s+Elastic IPs\\s+too few Elastic IPs: NAT HighlyAvailable")
        .contains("needs 3; 0 of 2 allocated");
    assertNothingCreated();
  }

  @Test
  void theAksPresetPassesEveryCheckAndASmallFamilyQuotaFailsIt() throws Exception {
    CommandRunner.example(dir, "aks.yaml");
    Result r = refarch().run("preflight", "-f", "aks.yaml", "--sandbox");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Preflight of AKS cluster gitpod in westeurope (subscription ")
        .containsPattern("ok\\s+Azure credential\\s+signed in")
        .containsPattern("ok\\s+Kubernetes version\\s+AKS offers 1.29 in westeurope")
        .containsPattern("ok\\s+Cluster name\\s+gitpod is free")
        .containsPattern(
            "ok\\s+VM sizes\\s+offered in westeurope: \\[Standard_D4_v4, Standard_D16_v4\\]")
        .containsPattern("ok\\s+vCPU quota\\s+")
        .contains("All 5 checks passed. Nothing was changed.");

    // Two D16_v4 nodes and one D4_v4: 36 vCPUs of the Dv4 family.
    Result small =
        refarch()
            .run(
                "preflight",
                "-f",
                "aks.yaml",
                "--sandbox",
                "--sandbox-azure-quota",
                "standardDv4Family=24");
    assertThat(small.exitCode()).as(small.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(small.out())
        .containsPattern("FAILED\\s+vCPU quota\\s+")
        .contains("0 used + 36 needed of 24")
        .contains("1 of 5 checks failed. Nothing was changed.");
    assertNothingCreated();
  }

  @Test
  void badInputExitsTwoAndChecksNothing() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    CommandRunner.example(dir, "aks.yaml");

    Result badQuota =
        refarch().run("preflight", "-f", "gke.yaml", "--sandbox", "--sandbox-quota", "N2D_CPUS");
    assertThat(badQuota.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badQuota.err()).contains("is not [REGION/]METRIC=LIMIT");

    Result noSandbox =
        refarch().run("preflight", "-f", "gke.yaml", "--sandbox-disable-api", "iam.googleapis.com");
    assertThat(noSandbox.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(noSandbox.err()).contains("need --sandbox");

    Result badAzureQuota =
        refarch().run("preflight", "-f", "aks.yaml", "--sandbox", "--sandbox-azure-quota", "cores");
    assertThat(badAzureQuota.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badAzureQuota.err())
        .contains("--sandbox-azure-quota 'cores' is not USAGE=LIMIT")
        .doesNotContain("Exception");

    Result badAwsQuota =
        refarch().run("preflight", "-f", "gke.yaml", "--sandbox", "--sandbox-aws-quota", "vcpus=8");
    assertThat(badAwsQuota.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badAwsQuota.err())
        .contains("AWS quota 'vcpus=8' is not CODE=LIMIT, e.g. L-1216C47A=8")
        .doesNotContain("Exception");

    Result missing = refarch().run("preflight", "-f", "nowhere.yaml", "--sandbox");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertNothingCreated();
  }
}
