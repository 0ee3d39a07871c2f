package io.refarch.integration;

import static io.refarch.integration.Child.await;
import static io.refarch.integration.Child.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.integration.History.Activity;
import io.refarch.integration.Stack.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Several workers, each on a "host" of its own (own home, temporary and kubeconfig directories),
 * serve one task queue while workers die and are replaced: what a worker Deployment with replicas,
 * a rolling update or a lost node does to a run. In-cluster steps must reach the cluster from any
 * worker, with tokens that expire during the run, and a killed worker's step must move on quickly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkersComeAndGoTest {
  private static Stack stack;
  private static TemporalCli temporal;

  /** The workers still running, oldest first. */
  private static final List<Worker> LIVE = new ArrayList<>();

  @BeforeAll
  static void startStack() throws Exception {
    stack = new Stack("workers");
    temporal = stack.temporal;
    stack.startDevServer();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void theInClusterStepsRunOnAnotherHostWhenTheOneThatCreatedTheClusterDies() throws Exception {
    stack.startSandbox(Duration.ofSeconds(3));
    LIVE.add(stack.startWorkerOnHost("host-a"));
    LIVE.add(stack.startWorkerOnHost("host-b"));
    String id = stack.startProvisioning("moved-host");

    await(
        seconds(180),
        "the cluster created",
        () ->
            stack.history(id).activities().stream()
                .anyMatch(a -> isCompleted(a, "GkeEnsureCluster")));
    Worker creator = workerThatRan(stack.history(id).activity("GkeEnsureCluster", null));
    creator.process().kill();
    LIVE.remove(creator);
    Worker survivor = LIVE.get(0);
    System.out.printf(
        "[workers] %s created the cluster and was SIGKILLed; %s goes on%n",
        creator.host(), survivor.host());

    JsonNode result = temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(result.path("result").path("result").asText()).isEqualTo("SUCCEEDED");

    History history = stack.history(id);
    assertThat(creator.ran(history.activity("GkeEnsureCluster", null).identity())).isTrue();
    for (String inCluster : List.of("KubeEnsureClusterAdminBinding", "KubeVerifyNodes")) {
      Activity step = history.activity(inCluster, null);
      assertThat(survivor.ran(step.identity()))
          .as(inCluster + " ran on the surviving host (identity " + step.identity() + ")")
          .isTrue();
      assertThat(step.attempt()).as(inCluster + " needed no retry").isEqualTo(1);
    }
    assertThat(history.activities())
        .as("no kubeconfig written anywhere")
        .noneMatch(a -> a.type().equals("KubeWriteKubeconfig"));
    for (Worker w : List.of(creator, survivor)) {
      assertThat(w.files()).as("what the run left on " + w.host() + "'s disk").isEmpty();
    }
    assertThat(createOperations("moved-host")).as("one create per cluster and pool").hasSize(4);
  }

  @Test
  @Order(2)
  void aStepOfAKilledWorkerStartsAgainWithin40SecondsAndTokensExpiringMidStepAreRenewed()
      throws Exception {
    // Tokens live 5 s; nodes join 40 s after their pool runs, so Verify nodes waits long enough
    // for tokens to expire under it, and for a kill to land while it waits.
    stack.startSandbox(
        Duration.ofSeconds(1), List.of("--token-lifetime", "5", "--node-delay", "40000"));
    while (LIVE.size() < 2) {
      LIVE.add(stack.startWorkerOnHost("host-" + (char) ('a' + LIVE.size() + 2)));
    }
    String id = stack.startProvisioning("short-tokens");

    JsonNode waiting =
        awaitPending(
            id,
            "Verify nodes waiting longer than a token lives",
            a ->
                a.path("attempt").asInt(1) == 1
                    && secondsBetween(a.path("lastStartedTime"), a.path("lastHeartbeatTime")) > 7);
    Worker holder = workerThatRan(waiting.path("lastWorkerIdentity").asText());
    Instant killed = Instant.now();
    holder.process().kill();
    LIVE.remove(holder);

    JsonNode retried =
        awaitPending(id, "Verify nodes' next attempt", a -> a.path("attempt").asInt() >= 2);
    double gap =
        Duration.between(killed, Instant.parse(retried.path("lastStartedTime").asText())).toMillis()
            / 1000.0;
    System.out.printf(
        "[workers] Verify nodes' next attempt started %.1f s after SIGKILL of %s (heartbeat timeout"
            + " 30 s)%n",
        gap, holder.host());
    assertThat(gap).as("seconds from SIGKILL to the next attempt").isLessThanOrEqualTo(40.0);

    JsonNode result = temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(result.path("result").path("result").asText()).isEqualTo("SUCCEEDED");
    Activity verify = stack.history(id).activity("KubeVerifyNodes", null);
    assertThat(verify.attempt()).isEqualTo(2);
    assertThat(holder.ran(verify.identity())).isFalse();
    assertThat(verify.lastFailure().path("timeoutFailureInfo").path("timeoutType").asText())
        .isEqualTo("TIMEOUT_TYPE_HEARTBEAT");
    long tokens =
        stack.requests().stream().filter(r -> r.path("path").asText().equals("/token")).count();
    System.out.printf("[workers] the sandbox issued %d tokens of 5 s during the run%n", tokens);
    assertThat(tokens).as("tokens issued as they expired").isGreaterThan(2);
  }

  @Test
  @Order(3)
  void aRollingRestartOfTheOnlyWorkerDuringVerifyNodesHandsTheStepOverAtOnce() throws Exception {
    stack.startSandbox(Duration.ofSeconds(1), List.of("--node-delay", "60000"));
    while (LIVE.size() > 1) {
      LIVE.remove(0).process().kill();
    }
    if (LIVE.isEmpty()) {
      LIVE.add(stack.startWorkerOnHost("host-old"));
    }
    Worker old = LIVE.get(0);
    String id = stack.startProvisioning("rolling");

    awaitPending(id, "Verify nodes waiting for nodes", a -> a.path("attempt").asInt(1) == 1);
    // A Deployment's rolling update: the new pod first (maxSurge), then SIGTERM to the old one.
    Worker replacement = stack.startWorkerOnHost("host-new");
    LIVE.add(replacement);
    Instant terminated = Instant.now();
    old.process().stop();
    LIVE.remove(old);

    JsonNode result = temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(result.path("result").path("result").asText()).isEqualTo("SUCCEEDED");
    Activity verify = stack.history(id).activity("KubeVerifyNodes", null);
    assertThat(replacement.ran(verify.identity()))
        .as("Verify nodes finished on the new worker (identity " + verify.identity() + ")")
        .isTrue();
    assertThat(verify.outcome()).isEqualTo("completed");
    // The old worker handed the attempt back as it stopped, instead of leaving it to time out. A
    // poll it had open when it stopped may still receive the next attempt (Temporal long-polls);
    // that one is handed back at once too, so the attempt before the last is always a hand-back.
    assertThat(verify.attempt()).isGreaterThanOrEqualTo(2);
    assertThat(verify.lastFailure().path("applicationFailureInfo").path("type").asText())
        .as("how attempt 1 ended: " + verify.lastFailure())
        .isEqualTo("WorkerStopping");
    System.out.printf(
        "[workers] SIGTERM of the only worker during Verify nodes: attempt %d started %.1f s later"
            + " on the new one (handed over, no heartbeat timeout)%n",
        verify.attempt(),
        Duration.between(terminated, Instant.parse(verify.startedAt())).toMillis() / 1000.0);
    assertThat(createOperations("rolling")).hasSize(4);
  }

  // ---- helpers ----

  private static boolean isCompleted(Activity a, String type) {
    return a.type().equals(type) && a.outcome().equals("completed");
  }

  private static Worker workerThatRan(Activity a) {
    return workerThatRan(a.identity());
  }

  private static Worker workerThatRan(String identity) {
    return LIVE.stream()
        .filter(w -> w.ran(identity))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no live worker has identity " + identity));
  }

  /** Waits until Verify nodes is running (started, heartbeating) and matches; returns it. */
  private static JsonNode awaitPending(
      String id, String what, java.util.function.Predicate<JsonNode> matches) {
    JsonNode[] found = new JsonNode[1];
    await(
        seconds(240),
        what,
        () -> {
          for (JsonNode a :
              temporal
                  .json("workflow", "describe", "--workflow-id", id)
                  .path("pendingActivities")) {
            if (a.path("activityType").path("name").asText().equals("KubeVerifyNodes")
                && a.path("state").asText().equals("PENDING_ACTIVITY_STATE_STARTED")
                && a.path("heartbeatDetails").size() > 0
                && matches.test(a)) {
              found[0] = a;
              return true;
            }
          }
          return false;
        });
    return found[0];
  }

  private static double secondsBetween(JsonNode from, JsonNode to) {
    if (from.isMissingNode() || to.isMissingNode()) {
      return 0;
    }
    return Duration.between(Instant.parse(from.asText()), Instant.parse(to.asText())).toMillis()
        / 1000.0;
  }

  private static List<String> createOperations(String project) throws Exception {
    List<String> creates = new ArrayList<>();
    TemporalCli.JSON
        .readTree(stack.gke("/v1/projects/" + project + "/locations/us-central1/operations"))
        .path("operations")
        .forEach(
            o -> {
              if (o.path("operationType").asText().startsWith("CREATE")) {
                creates.add(o.path("targetLink").asText());
              }
            });
    return creates;
  }
}
