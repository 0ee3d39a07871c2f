package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.sandbox.core.Latency;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run of examples/aks.yaml cancelled while AKS creates an agent pool leaves nothing. */
class AksCancellationAgainstSandboxTest {
  @TempDir static Path dir;
  private static TestWorkflowEnvironment temporal;
  private static SandboxWorker cloud;

  @BeforeAll
  static void start() throws Exception {
    temporal = SandboxWorker.temporal();
    // An agent pool's creation lasts long enough for the cancel to land surely while it runs;
    // everything else is quick.
    cloud =
        SandboxWorker.start(
            temporal,
            dir,
            new Latency(
                Latency.DEFAULT,
                Duration.ofMillis(50),
                Map.of("aks.CREATE_AGENT_POOL", Duration.ofSeconds(3)),
                1));
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
    temporal.close();
  }

  @Test
  void cancellingWhileAnAgentPoolIsBeingCreatedCompensatesEverythingAndEndsCancelled()
      throws Exception {
    ClusterSpec spec = SandboxWorker.aksPreset();
    ProvisionClusterWorkflow run = cloud.provision(spec);
    WorkflowClient.start(run::provision, spec);
    Await.until(() -> cloud.azureMutations().contains("PutAgentPool regularws"));
    assertThat(cloud.inventory())
        .as("the cancel comes while AKS is still creating the pool")
        .anyMatch(l -> l.startsWith("aks agentpool ") && l.contains("/regularws Creating "));

    Progress progress = SandboxWorker.cancel(run);

    // Newest first: the pool being created, the cluster, the group. The activity hears of the
    // cancel at a heartbeat that reaches Temporal; when none does before AKS finishes the pool,
    // the create ends and the next pool's step is cancelled before it sends anything, its
    // compensation (first, finding nothing) included.
    List<String> deleted = progress.deleted();
    assertThat(deleted.stream().filter(d -> !d.equals("agent-pool/headlessws")))
        .containsExactly(
            "agent-pool/regularws", "aks-cluster/gitpod", "resource-group/" + AksSeed.GROUP);
    assertThat(deleted.indexOf("agent-pool/headlessws")).isIn(-1, 0);
    assertThat(cloud.inventory()).isEmpty();
    // AKS refuses to delete a pool while it is Creating (409 OperationNotAllowed): when the cancel
    // comes mid-create, the compensation's delete is retried (ClusterBusy) until the create ends,
    // so the pool's DELETE may repeat; nothing else is sent twice, and the headless pool is never
    // asked for.
    List<String> sent = new ArrayList<>();
    for (String m : cloud.azureMutations()) {
      if (sent.isEmpty() || !sent.get(sent.size() - 1).equals(m)) {
        sent.add(m);
      }
    }
    assertThat(sent)
        .containsExactly(
            "PutResourceGroup " + AksSeed.GROUP,
            "PutManagedCluster gitpod",
            "PutAgentPool regularws",
            "DeleteAgentPool regularws",
            "DeleteManagedCluster gitpod",
            "DeleteResourceGroup " + AksSeed.GROUP);
  }
}
