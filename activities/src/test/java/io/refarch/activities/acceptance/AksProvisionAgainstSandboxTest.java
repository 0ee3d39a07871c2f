package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.aks.Ownership;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunOutcome;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/aks.yaml} as users run it, with the real AKS and Kubernetes activities (Azure SDK
 * over HTTPS, fabric8) against the sandbox's Azure: the guide's steps in its order, the ownership
 * tags on every resource, teardown (twice), and one run per cluster at a time.
 */
class AksProvisionAgainstSandboxTest {
  @TempDir static Path dir;
  private static TestWorkflowEnvironment temporal;
  private static SandboxWorker cloud;
  private static ClusterSpec spec;

  @BeforeAll
  static void start() throws Exception {
    temporal = SandboxWorker.temporal();
    cloud = SandboxWorker.start(temporal, dir, Duration.ofMillis(100));
    spec = SandboxWorker.aksPreset();
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
    temporal.close();
  }

  @BeforeEach
  void empty() {
    cloud.sandbox.reset();
  }

  @Test
  void provisioningSendsTheGuidesRequestsInOrderTagsEverythingAndTeardownTwiceLeavesNothing()
      throws Exception {
    ProvisionClusterWorkflow run = cloud.provision(spec);
    RunOutcome outcome = run.provision(spec);

    assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(outcome.nodes().passed()).isTrue();
    assertThat(outcome.kubeconfigPath()).isNull();
    assertThat(outcome.created()).containsExactlyElementsOf(AksSeed.CREATES_IN_ORDER);
    // Group, cluster with the services pool as its system pool, the workspace pools one after
    // the other, then cluster-admin in the cluster.
    assertThat(cloud.azureMutations()).containsExactlyElementsOf(AksSeed.MUTATIONS);
    assertThat(AksSeed.normalized(cloud.inventory()))
        .containsExactlyInAnyOrderElementsOf(AksSeed.INVENTORY);
    // The faults suite throttles each of these calls: it must know every one a run makes.
    assertThat(
            cloud.sandbox.requests().stream()
                .map(AzureRequests::operation)
                .filter(Objects::nonNull)
                .distinct())
        .containsExactlyInAnyOrderElementsOf(AksFaultsAgainstSandboxTest.CALLS);
    String runId = WorkflowStub.fromTyped(run).getExecution().getRunId();
    Map<String, Map<String, String>> tags = AksSeed.tags(cloud.sandbox);
    assertThat(tags.keySet()).containsExactlyInAnyOrderElementsOf(AksSeed.taggedResources());
    tags.forEach(
        (resource, t) ->
            assertThat(t)
                .as("the tags of %s", resource)
                .containsEntry(Ownership.CLUSTER, "gitpod")
                .containsEntry(Ownership.RUN, runId));

    RunOutcome down = cloud.teardown(spec).teardown(spec);

    assertThat(down.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(down.notDeleted()).isEmpty();
    assertThat(down.kept()).isEmpty();
    assertThat(down.deleted()).containsExactlyElementsOf(AksSeed.DELETES_IN_ORDER);
    assertThat(cloud.inventory()).isEmpty();

    // What is already gone counts as deleted, and nothing is asked to change: no DELETE at all.
    int before = cloud.azureMutatingRequests().size();
    RunOutcome again = cloud.teardown(spec).teardown(spec);

    assertThat(again.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(again.notDeleted()).isEmpty();
    assertThat(again.deleted()).containsExactlyElementsOf(AksSeed.DELETES_IN_ORDER);
    assertThat(cloud.azureMutatingRequests()).hasSize(before);
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void aSecondStartForTheSameClusterWhileOneRunsIsRejected() throws Exception {
    RunOutcome outcome = cloud.refusesSecondStartsDuring(spec, "Create cluster");

    assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
    // One run's creates only: the refused starts sent nothing.
    assertThat(cloud.azureMutations()).containsExactlyElementsOf(AksSeed.MUTATIONS);
    cloud.teardown(spec).teardown(spec);
    assertThat(cloud.inventory()).isEmpty();
  }
}
