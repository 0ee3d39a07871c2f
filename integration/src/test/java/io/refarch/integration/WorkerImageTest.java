package io.refarch.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker image (worker/target/jib-image.tar, built without a Docker engine) runs the worker.
 * With no engine to run it, the test does what one would: it unpacks the image's layers into a root
 * file system, mounts /proc, and starts the image's entrypoint with its environment as its user,
 * chrooted, on the host's network. Needs root (chroot, mount); skipped otherwise.
 */
class WorkerImageTest {
  private static Stack stack;
  private static Path root;
  private static boolean procMounted;

  @BeforeAll
  static void unpackImage() throws Exception {
    String image = System.getProperty("refarch.workerImage");
    assumeTrue(
        image != null && Files.isRegularFile(Path.of(image)),
        "no image tar given (refarch.workerImage)");
    assumeTrue("root".equals(System.getProperty("user.name")), "chroot and mount need root");
    stack = new Stack("image");
    root = stack.runDir.resolve("rootfs");
    Path extracted = stack.runDir.resolve("image");
    Files.createDirectories(root);
    Files.createDirectories(extracted);
    sh("tar", "-xf", image, "-C", extracted.toString());
    JsonNode manifest =
        TemporalCli.JSON.readTree(extracted.resolve("manifest.json").toFile()).get(0);
    for (JsonNode layer : manifest.path("Layers")) {
      sh("tar", "-xf", extracted.resolve(layer.asText()).toString(), "-C", root.toString());
    }
    Files.createDirectories(root.resolve("proc"));
    procMounted = run("mount", "--bind", "/proc", root.resolve("proc").toString()) == 0;
    assumeTrue(procMounted, "cannot bind-mount /proc (no CAP_SYS_ADMIN)");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (procMounted) {
      run("umount", "-l", root.resolve("proc").toString());
    }
  }

  @Test
  void theImageRunsTheWorkerAsItsOwnUserAndProvisionsACluster() throws Exception {
    JsonNode config =
        TemporalCli.JSON
            .readTree(stack.runDir.resolve("image/config.json").toFile())
            .path("config");
    String user = config.path("User").asText();
    assertThat(user).as("the image does not run as root").isNotIn("", "0", "root");
    Map<String, String> env = new HashMap<>();
    config
        .path("Env")
        .forEach(
            e ->
                env.put(
                    e.asText().substring(0, e.asText().indexOf('=')),
                    e.asText().substring(e.asText().indexOf('=') + 1)));
    List<String> command =
        new ArrayList<>(List.of("chroot", "--userspec=" + user + ":" + user, root.toString()));
    config.path("Entrypoint").forEach(a -> command.add(a.asText()));
    // This run is GKE's; the sandbox's Azure CA file is outside the chroot, so the worker is left
    // on public Azure (reached only if an AKS step ran).
    env.put("REFARCH_AZURE_ENDPOINT", "");

    stack.startDevServer();
    stack.startSandbox(java.time.Duration.ofMillis(300));
    stack.startWorker(command, env);

    String id = stack.startProvisioning("image-test");
    JsonNode result = stack.temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");

    // The in-cluster steps ran from the cloud, as the image's user: nothing was written to its
    // kubeconfig volume directory.
    assertThat(result.path("result").path("kubeconfigPath").asText(null)).isNull();
    assertThat(result.path("result").path("result").asText()).isEqualTo("SUCCEEDED");
    Path volume = root.resolve(env.get("REFARCH_KUBECONFIG_DIR").substring(1));
    if (Files.isDirectory(volume)) {
      try (var files = Files.list(volume)) {
        assertThat(files).isEmpty();
      }
    }
  }

  private static void sh(String... command) throws Exception {
    assertThat(run(command)).as(String.join(" ", command)).isZero();
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
