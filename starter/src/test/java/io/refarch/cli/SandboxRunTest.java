package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.Activities;
import io.refarch.cli.CommandRunner.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sandbox}: the real activities (official Google clients, fabric8) against the emulated
 * Google Cloud started in the same process, driven by the CLI as a user would.
 */
class SandboxRunTest {
  @TempDir Path dir;

  CommandRunner refarch() {
    return new CommandRunner(dir, Activities::create);
  }

  @Test
  void upFailingAtAPoolLeavesNothingThenUpAndDownProvisionAndRemoveTheCluster() throws Exception {
    CommandRunner.example(dir, "gke.yaml");

    Result failed =
        refarch()
            .run(
                "up",
                "-f",
                "gke.yaml",
                "--sandbox",
                "--sandbox-fault",
                "createNodePool:workload-regular-workspaces=INVALID_ARGUMENT");
    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(failed.out())
        .contains("Failed step: Create node pool workload-regular-workspaces")
        .contains("Error: InvalidArgument:")
        .contains("Not deleted: none");
    Result empty = refarch().run("sandbox", "inventory");
    assertThat(empty.exitCode()).isZero();
    assertThat(empty.out()).as("compensation removed everything").isEmpty();

    Result up = refarch().run("up", "-f", "gke.yaml", "--sandbox");
    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(up.out())
        .contains("Result: SUCCEEDED")
        .contains(
            "Kubeconfig: refarch kubeconfig -f gke.yaml --sandbox (writes one on this machine)")
        .containsPattern(
            "gke-gitpod-workload-services-\\S+\\s+workload-services\\s+yes\\s+containerd://");
    Result inventory = refarch().run("sandbox", "inventory");
    assertThat(inventory.out().lines())
        .contains(
            "gke projects/my-gcp-project/locations/us-central1/clusters/gitpod",
            "gke projects/my-gcp-project/locations/us-central1/clusters/gitpod/nodePools/workload-services",
            "gcp projects/my-gcp-project/serviceAccounts/gitpod-gke@my-gcp-project.iam.gserviceaccount.com")
        .noneMatch(l -> l.contains("default-pool"));

    Result down = refarch().run("down", "-f", "gke.yaml", "--sandbox");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(refarch().run("sandbox", "inventory").out()).isEmpty();

    Result list = refarch().run("list");
    assertThat(list.out().lines().filter(l -> l.startsWith("refarch/gcp/"))).hasSize(3);
  }

  @Test
  void resetForgetsWhatTheSandboxHolds() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    // Stop after the cluster: a permanent fault at the first pool, and keep what was made.
    java.nio.file.Files.writeString(
        dir.resolve("keep.yaml"),
        java.nio.file.Files.readString(dir.resolve("gke.yaml")) + "keepOnFailure: true\n");
    Result kept =
        refarch()
            .run(
                "up",
                "-f",
                "keep.yaml",
                "--sandbox",
                "--sandbox-fault",
                "createNodePool=PERMISSION_DENIED");
    assertThat(kept.exitCode()).as(kept.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(refarch().run("sandbox", "inventory").out())
        .contains("gke projects/my-gcp-project/locations/us-central1/clusters/gitpod");

    Result reset = refarch().run("sandbox", "reset");
    assertThat(reset.exitCode()).isZero();
    assertThat(refarch().run("sandbox", "inventory").out()).isEmpty();
  }
}
