package io.refarch.integration;

import static io.refarch.integration.Child.await;
import static io.refarch.integration.Child.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code refarch up} and {@code down} without --temporal, with the Temporal CLI installed: the
 * command jar starts its own dev server on SQLite and a background worker (hosting the sandbox), so
 * a run outlives the command, a crash of everything (the command, the worker and the server, as a
 * reboot does), and Ctrl-C. Every command is the real jar in its own process, as a user runs it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalServerTest {
  private static final String ID = "refarch/gcp/my-gcp-project/us-central1/gitpod";

  private static Path repo;
  private static Path work;
  private static Path local;
  private static Map<String, String> env;

  @BeforeAll
  static void setUp() throws Exception {
    repo = Path.of(System.getProperty("refarch.repo", "..")).toAbsolutePath().normalize();
    Path runDir =
        Path.of(
                System.getProperty(
                    "refarch.runDir", repo.resolve("integration/target/run").toString()))
            .toAbsolutePath()
            .resolve("local-server");
    work = Files.createDirectories(runDir.resolve("work"));
    Files.copy(
        repo.resolve("examples/gke.yaml"),
        work.resolve("gke.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    local = work.resolve(".refarch/sandbox/temporal");
    env =
        Map.of(
            "REFARCH_TEMPORAL_CLI",
            Path.of(System.getProperty("refarch.temporal", "temporal")).toAbsolutePath().toString(),
            "REFARCH_HOME",
            runDir.resolve("home").toString());
  }

  /** The server and worker outlive every command by design; the stage must not leave them. */
  @AfterAll
  static void stopServerAndWorker() {
    pid("worker.properties").flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    pid("server.properties").flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  @Order(1)
  void aRunOutlivesACrashOfTheCommandTheWorkerAndTheServerAndTheSameCommandFollowsIt()
      throws Exception {
    Child up = refarch("up-crashed", "up", "-f", "gke.yaml", "--sandbox");
    await(
        seconds(120),
        "the run to reach Create cluster",
        () -> up.output().contains("step 4/10 Create cluster: running"));
    String runId = runIdIn(up.output());

    // A reboot: the command, the background worker and the dev server die at once, mid-step.
    up.kill();
    long worker = pid("worker.properties").orElseThrow();
    long server = pid("server.properties").orElseThrow();
    for (long pid : List.of(worker, server)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      await(
          seconds(20),
          "pid " + pid + " to die",
          () -> ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive());
    }

    Result again = run("up", "-f", "gke.yaml", "--sandbox");
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.out())
        .contains("ProvisionCluster " + ID + " is already going on the local Temporal")
        .contains("following it")
        .contains("  run " + runId)
        .contains("Result: SUCCEEDED");
    assertThat(pid("server.properties").orElseThrow()).as("a new dev server").isNotEqualTo(server);
    assertThat(run("sandbox", "inventory").out())
        .contains("gke projects/my-gcp-project/locations/us-central1/clusters/gitpod\n");
  }

  @Test
  @Order(2)
  void ctrlCDetachesAndTheRunGoesOnWithoutAnyCommand() throws Exception {
    Child down = refarch("down-detached", "down", "-f", "gke.yaml", "--sandbox");
    await(seconds(120), "the teardown to start", () -> down.output().contains("step 1/6"));
    String runId = runIdIn(down.output());
    signal("INT", down.pid());
    await(seconds(30), "the command to detach", () -> !down.alive());

    assertThat(down.exitValue()).as(down.output()).isEqualTo(130);
    assertThat(down.output())
        .contains("refarch: detached; the run goes on on the local Temporal")
        .contains("refarch cancel " + ID)
        .contains("History: .refarch/runs/");
    await(
        seconds(180),
        "the detached teardown to finish on its own",
        () -> quietly("status", ID).contains("status COMPLETED"));
    Result status = run("status", ID);
    assertThat(status.out()).contains("run " + runId).contains("Deleted (6)");
    assertThat(run("sandbox", "inventory").out()).isBlank();
  }

  @Test
  @Order(3)
  void ctrlCTwiceCancelsTheRunAndFollowsItsCompensationToTheEnd() throws Exception {
    Child up = refarch("up-cancelled", "up", "-f", "gke.yaml", "--sandbox");
    await(
        seconds(120),
        "the run to reach the first node pool",
        () -> up.output().contains("Create node pool workload-services: running"));
    signal("INT", up.pid());
    Thread.sleep(500);
    signal("INT", up.pid());
    await(seconds(180), "the cancelled run to end", () -> !up.alive());

    assertThat(up.exitValue()).as(up.output()).isEqualTo(1);
    assertThat(up.output())
        .contains("refarch: cancelling the run")
        .contains("Result: CANCELLED")
        .contains("compensated  cluster/gitpod")
        .contains("compensated  service-account/gitpod-gke")
        .contains("History: .refarch/runs/");
    assertThat(run("sandbox", "inventory").out()).isBlank();

    // The idle worker still holds the sandbox for a minute; reset takes it over.
    long worker = pid("worker.properties").orElseThrow();
    assertThat(ProcessHandle.of(worker)).isPresent();
    Result reset = run("sandbox", "reset");
    assertThat(reset.exit()).as(reset.out()).isZero();
    assertThat(ProcessHandle.of(worker).map(ProcessHandle::isAlive))
        .isNotEqualTo(Optional.of(true));
  }

  // ---- plumbing ----

  record Result(int exit, String out) {}

  private static Child refarch(String name, String... args) {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    return Child.start("refarch " + name, command, env, work.resolve(name + ".log"), false, work);
  }

  private static Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder b =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    b.environment().putAll(env);
    Process p = b.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("refarch " + String.join(" ", args) + " did not finish: " + out);
    }
    return new Result(p.exitValue(), out);
  }

  /** The output of a command, for polling from a condition. */
  private static String quietly(String... args) {
    try {
      return run(args).out();
    } catch (Exception e) {
      return "";
    }
  }

  private static Optional<Long> pid(String file) {
    Path f = local.resolve(file);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(f)) {
      p.load(r);
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(p.getProperty("pid")).map(Long::parseLong);
  }

  private static String runIdIn(String output) {
    return output
        .lines()
        .filter(l -> l.startsWith("  run "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no run id in: " + output))
        .substring("  run ".length())
        .trim();
  }

  private static void signal(String name, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).start().waitFor())
        .isZero();
  }

  private static Path jar() {
    return repo.resolve("starter/target/refarch.jar");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
