package io.refarch.integration;

import static io.refarch.integration.Child.await;
import static io.refarch.integration.Child.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.integration.History.Activity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EKS on real processes: the worker jar reaches the sandbox's AWS through its settings
 * (REFARCH_AWS_ENDPOINT, REFARCH_AWS_SANDBOX, the tigera-operator manifest from REFARCH_MIRROR),
 * driven with the {@code temporal} CLI. The worker is killed while the control plane is CREATING:
 * the next worker's attempt waits for the same cluster, and no second CreateCluster is sent.
 */
class EksOnARealServerTest {
  /**
   * Every sandbox operation (NAT gateway, control plane, node groups) takes this long: long enough
   * for the kill and the new worker's start to land inside the control plane's creation.
   */
  private static final Duration OPERATION = Duration.ofSeconds(15);

  private static Stack stack;
  private static TemporalCli temporal;

  @BeforeAll
  static void startStack() throws Exception {
    stack = new Stack("eks");
    temporal = stack.temporal;
    stack.startDevServer();
    stack.startSandbox(OPERATION);
    stack.startWorker();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aWorkerKilledDuringTheControlPlaneWaitIsReplacedAndTheSameClusterIsAwaited()
      throws Exception {
    // A 10 s heartbeat timeout (the spec's least), so the retry starts while EKS still creates.
    String id = stack.startEksProvisioning("crash-eks", "heartbeatTimeoutSeconds: 10\n");
    await(
        seconds(180),
        "the control plane's creation in progress",
        () -> {
          for (JsonNode a :
              temporal
                  .json("workflow", "describe", "--workflow-id", id)
                  .path("pendingActivities")) {
            if (a.path("activityType").path("name").asText().equals("EksEnsureControlPlane")
                && a.path("heartbeatDetails").size() > 0) {
              return true;
            }
          }
          return false;
        });
    String killed = stack.workerIdentityPrefix();
    stack.killWorker();
    assertThat(stack.inventory())
        .as("the control plane was still being created when the worker died")
        .contains("eks eu-west-1 cluster crash-eks CREATING 1.22");

    stack.startWorker();
    JsonNode result = temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("COMPLETED");
    JsonNode outcome = result.path("result");
    assertThat(outcome.path("result").asText()).isEqualTo("SUCCEEDED");
    // The seed's node check: two nodes per group, Ready, 110 pods (they joined after Calico).
    assertThat(outcome.path("nodes").path("nodes"))
        .hasSize(4)
        .allMatch(n -> n.path("ready").asBoolean(), "ready")
        .allMatch(n -> n.path("maxPods").asText().equals("110"), "110 max pods");

    List<JsonNode> creates =
        stack.requests().stream()
            .filter(r -> r.path("method").asText().equals("POST"))
            .filter(r -> r.path("path").asText().equals("/clusters"))
            .filter(r -> r.path("body").asText().contains("\"crash-eks\""))
            .toList();
    assertThat(creates).as("CreateCluster requests for crash-eks").hasSize(1);

    // The crash gap in history: the control plane's activity ran again after the heartbeat
    // timeout, on the new worker, and waited for the cluster the first attempt created.
    Activity resumed = stack.history(id).activity("EksEnsureControlPlane", null);
    assertThat(resumed.attempt()).isEqualTo(2);
    assertThat(resumed.lastFailure().path("timeoutFailureInfo").path("timeoutType").asText())
        .isEqualTo("TIMEOUT_TYPE_HEARTBEAT");
    assertThat(resumed.identity()).doesNotStartWith(killed);
    assertThat(resumed.outcome()).isEqualTo("completed");

    // `refarch down` on the same server and spec: the teardown leaves nothing of the cluster.
    TemporalCli.Result down =
        stack.refarch(
            "down",
            "-f",
            stack.runDir.resolve("crash-eks.yaml").toString(),
            "--temporal",
            temporal.address());
    if (down != null) {
      assertThat(down.exit()).as("refarch down:\n" + down.stdout()).isZero();
      assertThat(stack.inventory()).noneMatch(l -> l.contains("crash-eks"));
    }
  }
}
