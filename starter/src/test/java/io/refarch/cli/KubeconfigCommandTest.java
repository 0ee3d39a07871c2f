package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import com.google.container.v1.Cluster;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.Operation;
import io.fabric8.kubernetes.client.Config;
import io.refarch.activities.gke.GkeKubeAccess;
import io.refarch.cli.CommandRunner.Result;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code refarch kubeconfig}: a kubeconfig for people, checked with the real kubectl. */
class KubeconfigCommandTest {
  private static final String LOCATION = "projects/my-gcp-project/locations/us-central1";

  @TempDir Path dir;

  CommandRunner refarch() {
    return new CommandRunner(dir, config -> List.of());
  }

  @Test
  void badInputNamesTheArgumentAndExits2() throws Exception {
    CommandRunner.example(dir, "gke.yaml");

    Result missing = refarch().run("kubeconfig", "-f", "nope.yaml");
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(missing.err()).contains("nope.yaml");

    Result stateAlone = refarch().run("kubeconfig", "-f", "gke.yaml", "--sandbox-state", "x");
    assertThat(stateAlone.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(stateAlone.err()).contains("--sandbox-state needs --sandbox");

    Files.createDirectories(dir.resolve("out"));
    Result toDir = refarch().run("kubeconfig", "-f", "gke.yaml", "-o", "out");
    assertThat(toDir.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(toDir.err()).contains("-o").contains("is a directory");

    Result noFile = refarch().run("kubeconfig");
    assertThat(noFile.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(noFile.err()).contains("ID or --file SPEC");

    Result both =
        refarch().run("kubeconfig", "refarch/gcp/p1/us-central1/gitpod", "-f", "gke.yaml");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(both.err()).contains("one of them");

    Result notAnId = refarch().run("kubeconfig", "gitpod");
    assertThat(notAnId.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(notAnId.err()).contains("ID 'gitpod' is not a run id");

    assertThat(dir.resolve("kubeconfig-gitpod.yaml")).doesNotExist();
  }

  @Test
  void withoutARunningSandboxItSaysHowToStartOne() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    Result r = refarch().run("kubeconfig", "-f", "gke.yaml", "--sandbox");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.err()).contains("no sandbox is running").contains("refarch sandbox serve");
    assertThat(dir.resolve("kubeconfig-gitpod.yaml")).doesNotExist();
  }

  @Test
  void kubectlListsTheSandboxClustersNodesWithTheFileUntilItsTokenExpires() throws Exception {
    Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not on PATH");
    CommandRunner.example(dir, "gke.yaml");
    try (Sandbox sandbox =
        Sandbox.start(
            SandboxOptions.defaults(dir.resolve(".refarch/sandbox"))
                .withOperationDuration(Duration.ZERO)
                .withTokenLifetime(Duration.ofSeconds(4)))) {
      createCluster(sandbox);

      Result r = refarch().run("kubeconfig", "-f", "gke.yaml", "--sandbox");

      assertThat(r.exitCode()).as(r.toString()).isZero();
      Path file = dir.resolve("kubeconfig-gitpod.yaml");
      assertThat(r.out())
          .contains("Wrote " + file)
          .contains("context gke_my-gcp-project_us-central1_gitpod");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      String nodes = kubectl(file, "get", "nodes", "-o", "name");
      assertThat(nodes).containsPattern("node/gke-gitpod-default-pool-\\S+");
      assertThat(kubectl(file, "config", "current-context"))
          .contains("gke_my-gcp-project_us-central1_gitpod");

      // The sandbox's token lifetime is 4 s here: then the cluster refuses the file's token.
      Thread.sleep(4_500);
      assertThat(kubectlFails(file, "get", "nodes")).contains("Unauthorized");
      // ... and writing the file again gives a new one, here by the run's id as its outcome
      // prints it (no spec file needed).
      Result byId =
          refarch().run("kubeconfig", "refarch/gcp/my-gcp-project/us-central1/gitpod", "--sandbox");
      assertThat(byId.exitCode()).as(byId.toString()).isZero();
      assertThat(byId.out()).contains("Wrote " + file);
      assertThat(kubectl(file, "get", "nodes", "-o", "name")).contains("node/gke-gitpod-");

      Result unknown =
          refarch().run("kubeconfig", "refarch/gcp/my-gcp-project/us-central1/other", "--sandbox");
      assertThat(unknown.exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
      assertThat(unknown.err()).contains("clusters/other does not exist");
    }
  }

  @Test
  void theRealClustersFileUsesTheAuthPluginAsGcloudWritesItAndHoldsNoToken() throws Exception {
    String content =
        KubeconfigCommand.withAuthPlugin(
            "gke_p_us-central1_gitpod",
            new GkeKubeAccess.Endpoint("https://10.0.0.1", "Q0EtZGF0YQ=="));
    Config config = Config.fromKubeconfig(content);
    assertThat(config.getMasterUrl()).startsWith("https://10.0.0.1");
    assertThat(config.getCurrentContext().getName()).isEqualTo("gke_p_us-central1_gitpod");
    assertThat(content).doesNotContain("token:");
    if (onPath("kubectl")) {
      Path file = dir.resolve("real.yaml");
      Files.writeString(file, content);
      assertThat(kubectl(file, "config", "view", "-o", "jsonpath={.users[0].user.exec.command}"))
          .isEqualTo("gke-gcloud-auth-plugin");
    }
  }

  private static void createCluster(Sandbox sandbox) throws Exception {
    try (ClusterManagerClient gke =
        ClusterManagerClient.create(
            ClusterManagerSettings.newHttpJsonBuilder()
                .setEndpoint(sandbox.endpoints().gcpRest())
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build())) {
      Operation op =
          gke.createCluster(
              LOCATION,
              Cluster.newBuilder()
                  .setName("gitpod")
                  .setNodeConfig(NodeConfig.newBuilder().setMachineType("e2-standard-2"))
                  .setInitialNodeCount(1)
                  .build());
      String name = LOCATION + "/operations/" + op.getName();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (op.getStatus() != Operation.Status.DONE && System.nanoTime() < deadline) {
        Thread.sleep(50);
        op = gke.getOperation(name);
      }
      assertThat(op.getStatus()).isEqualTo(Operation.Status.DONE);
    }
  }

  private static String kubectl(Path kubeconfig, String... args) throws Exception {
    Process p = start(kubeconfig, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
    return out.strip();
  }

  private static String kubectlFails(Path kubeconfig, String... args) throws Exception {
    Process p = start(kubeconfig, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isNotZero();
    return out;
  }

  private static Process start(Path kubeconfig, String... args) throws Exception {
    List<String> command =
        Stream.concat(Stream.of("kubectl", "--kubeconfig", kubeconfig.toString()), Stream.of(args))
            .toList();
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}
