package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.Activities;
import io.refarch.cli.CommandRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -f gitpod-cluster.yaml}: the seed's eksctl ClusterConfig (examples/gitpod-cluster.yaml,
 * placeholders filled) is a spec to every command, with no flag saying so.
 */
class EksctlConfigCommandTest {
  @TempDir Path dir;

  CommandRunner refarch() {
    return new CommandRunner(dir, Activities::create);
  }

  /** examples/gitpod-cluster.yaml with a second node group that asks for SSH, and Fargate. */
  private void unsupportedFields() throws Exception {
    String config =
        Files.readString(Path.of("..", "examples", "gitpod-cluster.yaml"))
            .replace(
                "  - name: workspaces\n", "  - name: workspaces\n    ssh:\n      allow: true\n");
    Files.writeString(
        dir.resolve("gitpod-cluster.yaml"), config + "fargateProfiles:\n  - name: gitpod\n");
  }

  @Test
  void planPrintsThePlanOfExamplesEksYaml() throws Exception {
    CommandRunner.example(dir, "gitpod-cluster.yaml");
    CommandRunner.example(dir, "eks.yaml");

    Result eksctl = refarch().run("plan", "-f", "gitpod-cluster.yaml");
    Result spec = refarch().run("plan", "-f", "eks.yaml");

    assertThat(eksctl.exitCode()).as(eksctl.toString()).isZero();
    assertThat(eksctl.err()).isEmpty();
    assertThat(eksctl.out())
        .contains("Spec gitpod-cluster.yaml (validated, defaults filled in):")
        .contains("cloud: aws")
        .contains("Create control plane")
        .contains("Create node group services")
        .contains("Create node group workspaces");
    // Everything but the file's name: the same spec, steps and requests.
    assertThat(eksctl.out().replace("gitpod-cluster.yaml", "eks.yaml")).isEqualTo(spec.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"plan", "up", "down", "preflight", "kubeconfig"})
  void helpSaysFileTakesEksctlsClusterConfig(String command) {
    Result r = refarch().run(command, "--help");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    // picocli wraps the description to the terminal width.
    assertThat(r.out().replaceAll("\\s+", " ")).contains("an eksctl ClusterConfig");
  }

  @Test
  void upGetsAsFarWithItAsWithEksYaml() throws Exception {
    CommandRunner.example(dir, "gitpod-cluster.yaml");
    CommandRunner.example(dir, "eks.yaml");

    // No activities at all: up must stop before starting anything, whatever this build has.
    CommandRunner noActivities = new CommandRunner(dir, config -> java.util.List.of());

    Result eksctl = noActivities.run("up", "-f", "gitpod-cluster.yaml");
    Result spec = noActivities.run("up", "-f", "eks.yaml");

    // Past the spec: both stop where the build has no EKS activities, with the same words.
    assertThat(eksctl.err())
        .contains("cloud: aws has no activities in this build yet")
        .isEqualTo(spec.err());
    assertThat(eksctl.exitCode()).isEqualTo(spec.exitCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"plan", "up", "down", "preflight"})
  void unsupportedFieldsExit2NamingEachPath(String command) throws Exception {
    unsupportedFields();

    Result r = refarch().run(command, "-f", "gitpod-cluster.yaml");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .isEqualTo(
            "refarch: gitpod-cluster.yaml has 2 problems; nothing was started:\n"
                + "  managedNodeGroups[1].ssh.allow: not supported by refarch (refarch reaches"
                + " nodes through SSM, which AmazonSSMManagedInstanceCore allows)\n"
                + "  fargateProfiles[0].name: not supported by refarch (Gitpod workspaces cannot run"
                + " on Fargate)\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void theSeedsFileWithoutAccountAndAdminExits2NamingBoth() throws Exception {
    String config =
        Files.readString(Path.of("..", "examples", "gitpod-cluster.yaml"))
            .replaceAll("(?m)^  annotations:.*\\n(^    refarch\\.io/.*\\n)+", "");
    Files.writeString(dir.resolve("gitpod-cluster.yaml"), config);

    Result r = refarch().run("plan", "-f", "gitpod-cluster.yaml");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .startsWith("refarch: gitpod-cluster.yaml has 2 problems; nothing was started:\n")
        .contains("  metadata.annotations[\"refarch.io/cluster-admin\"]: required: ")
        .contains("  metadata.annotations[\"refarch.io/account\"]: required: ");
    assertThat(r.out()).isEmpty();
  }
}
