package io.refarch.integration;

import static io.refarch.integration.Child.await;
import static io.refarch.integration.Child.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.integration.History.Activity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AKS on real processes: the worker jar reaches the sandbox's Azure through its settings
 * (REFARCH_AZURE_ENDPOINT, REFARCH_AZURE_CA_FILE, azure-identity's environment credential as the
 * sandbox's service principal), driven with the {@code temporal} CLI. The worker is killed while
 * the managed cluster is Creating: the next worker's attempt reads the same ARM operation the first
 * one started (its URL in the heartbeat), and no second PUT of the cluster is sent.
 */
class AksOnARealServerTest {
  /**
   * The managed cluster's creation takes this long: long enough for the kill, the heartbeat timeout
   * and the new worker's first read (about 40 s after the kill on 2 idle cores: JVM, Spring, the
   * Azure SDK's first call) to land inside it, so that attempt 2 finds the cluster still Creating
   * and reads the operation. With every operation 15 s (as in the EKS test) the cluster was
   * Succeeded before the new worker polled: attempt 2 merely found it done, and nothing showed the
   * operation resumed.
   */
  private static final Duration CLUSTER_CREATE = Duration.ofSeconds(70);

  /** Every other sandbox operation (agent pools, the deletes): short, to keep the test short. */
  private static final Duration OPERATION = Duration.ofSeconds(3);

  private static final String NAME = "crash-aks";

  private static Stack stack;
  private static TemporalCli temporal;

  @BeforeAll
  static void startStack() throws Exception {
    stack = new Stack("aks");
    temporal = stack.temporal;
    stack.startDevServer();
    stack.startSandbox(
        OPERATION, List.of("--operation", "aks.CREATE_CLUSTER=" + CLUSTER_CREATE.toMillis()));
    stack.startWorker();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aWorkerKilledDuringTheClustersOperationIsReplacedAndTheSameOperationIsAwaited()
      throws Exception {
    // A 10 s heartbeat timeout (the spec's least), so the retry starts while AKS still creates.
    String id = stack.startAksProvisioning(NAME, "heartbeatTimeoutSeconds: 10\n");
    AtomicReference<String> beat = new AtomicReference<>();
    await(
        seconds(120),
        "the managed cluster's operation in progress",
        () -> {
          for (JsonNode a :
              temporal
                  .json("workflow", "describe", "--workflow-id", id)
                  .path("pendingActivities")) {
            if (a.path("activityType").path("name").asText().equals("AksEnsureCluster")
                && a.path("heartbeatDetails").size() > 0) {
              beat.set(a.path("heartbeatDetails").toString());
              return true;
            }
          }
          return false;
        });
    String killed = stack.workerIdentityPrefix();
    stack.killWorker();
    Instant killedAt = Instant.now();
    assertThat(stack.inventory())
        .as("the cluster was still being created when the worker died")
        .anyMatch(l -> l.startsWith("aks cluster ") && l.contains("/" + NAME + " Creating "));

    stack.startWorker();
    JsonNode result = temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("COMPLETED");
    JsonNode outcome = result.path("result");
    assertThat(outcome.path("result").asText()).isEqualTo("SUCCEEDED");
    // The seed's node check: one node per pool (initialNodes 1), Ready, 110 pods.
    assertThat(outcome.path("nodes").path("nodes"))
        .hasSize(3)
        .allMatch(n -> n.path("ready").asBoolean(), "ready")
        .allMatch(n -> n.path("maxPods").asText().equals("110"), "110 max pods");

    String clusterPath = "/providers/Microsoft.ContainerService/managedClusters/" + NAME;
    List<JsonNode> requests = stack.requests();
    List<JsonNode> puts =
        requests.stream()
            .filter(r -> r.path("method").asText().equals("PUT"))
            .filter(r -> r.path("path").asText().endsWith(clusterPath))
            .toList();
    assertThat(puts).as("PUTs of managed cluster " + NAME).hasSize(1);

    // The operation the first attempt started, as its heartbeat named it: the new worker read it
    // (it reads an operation only for a cluster not yet Succeeded).
    Matcher named = Pattern.compile("operation https?://[^/]+(/[^?\\s\"]+)").matcher(beat.get());
    assertThat(named.find()).as("an operation URL in the heartbeat " + beat.get()).isTrue();
    String operation = named.group(1);
    long after = killedAt.getEpochSecond() * 1_000_000_000L + killedAt.getNano();
    List<JsonNode> resumedReads =
        requests.stream()
            .filter(r -> r.path("method").asText().equals("GET"))
            .filter(r -> r.path("path").asText().equals(operation))
            .filter(r -> r.path("arrivedNanos").asLong() > after)
            .toList();
    assertThat(resumedReads)
        .as(
            "reads of "
                + operation
                + " after the kill (none: the cluster was Succeeded before attempt 2 began;"
                + " CLUSTER_CREATE is too short for this machine)")
        .isNotEmpty();
    System.out.println(
        "[aks] the killed attempt's heartbeat: "
            + beat.get()
            + "; the new worker read that operation "
            + resumedReads.size()
            + " times, the first "
            + Duration.between(
                    killedAt,
                    Instant.ofEpochSecond(0, resumedReads.get(0).path("arrivedNanos").asLong()))
                .toSeconds()
            + " s after the kill");

    // The crash gap in history: the cluster's activity ran again after the heartbeat timeout, on
    // the new worker, and waited for the operation the first attempt started.
    Activity resumed = stack.history(id).activity("AksEnsureCluster", null);
    assertThat(resumed.attempt())
        .as(
            "AksEnsureCluster's last attempt (3: the new worker's attempt 2 itself missed the 10 s"
                + " heartbeat timeout, its first beat coming only after its first Azure call on a"
                + " cold JVM; seen with EKS at load average 14 on 2 cores)")
        .isEqualTo(2);
    assertThat(resumed.lastFailure().path("timeoutFailureInfo").path("timeoutType").asText())
        .isEqualTo("TIMEOUT_TYPE_HEARTBEAT");
    assertThat(resumed.identity()).doesNotStartWith(killed);
    assertThat(resumed.outcome()).isEqualTo("completed");

    // `refarch down` on the same server and spec: the teardown leaves nothing of the cluster.
    TemporalCli.Result down =
        stack.refarch(
            "down",
            "-f",
            stack.runDir.resolve(NAME + ".yaml").toString(),
            "--temporal",
            temporal.address());
    if (down != null) {
      assertThat(down.exit()).as("refarch down:\n" + down.stdout()).isZero();
      assertThat(stack.inventory()).isEmpty();
    }
  }
}
