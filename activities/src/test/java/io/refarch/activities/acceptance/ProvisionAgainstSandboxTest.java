package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunOutcome;
import io.refarch.workflow.StepState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backbone's workflow tests once more, with the real activities and Google clients against the
 * sandbox instead of fakes: {@code examples/gke.yaml} as users run it.
 */
class ProvisionAgainstSandboxTest {
  @TempDir static Path dir;
  private static TestWorkflowEnvironment temporal;
  private static SandboxWorker cloud;

  @BeforeAll
  static void start() throws Exception {
    temporal = SandboxWorker.temporal();
    cloud = SandboxWorker.start(temporal, dir, Duration.ofMillis(100));
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
  void provisioningSendsTheSeedsRequestsInOrderAndLeavesExactlyItsResources() throws Exception {
    ClusterSpec spec = SandboxWorker.gkePreset();

    RunOutcome outcome = cloud.provision(spec).provision(spec);

    assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(outcome.nodes().passed()).isTrue();
    // The in-cluster steps reached the cluster from the cloud: no kubeconfig on the worker.
    assertThat(outcome.kubeconfigPath()).isNull();
    assertThat(outcome.kubeconfigCommand())
        .isEqualTo("refarch kubeconfig refarch/gcp/my-gcp-project/us-central1/gitpod");
    assertThat(cloud.kubeconfigDir()).doesNotExist();
    assertThat(cloud.mutations()).containsExactlyElementsOf(Seed.MUTATIONS);
    assertThat(cloud.inventory()).containsExactlyInAnyOrderElementsOf(Seed.INVENTORY);
  }

  @Test
  void teardownAfterASuccessfulRunEmptiesTheSandboxAndASecondTeardownSucceedsToo()
      throws Exception {
    ClusterSpec spec = SandboxWorker.gkePreset();
    RunOutcome up = cloud.provision(spec).provision(spec);
    assertThat(cloud.inventory()).containsExactlyInAnyOrderElementsOf(Seed.INVENTORY);

    RunOutcome down = cloud.teardown(spec).teardown(spec);

    assertThat(down.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(down.notDeleted()).isEmpty();
    assertThat(down.deleted()).containsExactlyElementsOf(Seed.DELETES_IN_ORDER);
    assertThat(cloud.inventory()).isEmpty();
    assertThat(up.kubeconfigPath()).isNull();

    // What is already gone counts as deleted.
    RunOutcome again = cloud.teardown(spec).teardown(spec);

    assertThat(again.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(again.notDeleted()).isEmpty();
    assertThat(again.deleted()).containsExactlyElementsOf(Seed.DELETES_IN_ORDER);
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void aSecondStartForTheSameClusterWhileOneRunsIsRejected() throws Exception {
    ClusterSpec spec = SandboxWorker.gkePreset();
    ProvisionClusterWorkflow first = cloud.provision(spec);
    WorkflowClient.start(first::provision, spec);
    Await.until(() -> running(first.progress(), "Create cluster"));

    assertThatThrownBy(() -> WorkflowClient.start(cloud.provision(spec)::provision, spec))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    // Teardown shares the id: it cannot pull the cluster away under a provisioning run either.
    assertThatThrownBy(() -> WorkflowClient.start(cloud.teardown(spec)::teardown, spec))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);

    RunOutcome outcome = WorkflowStub.fromTyped(first).getResult(RunOutcome.class);
    assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
    // One run's creates only: the rejected starts sent nothing.
    assertThat(cloud.mutations()).containsExactlyElementsOf(Seed.MUTATIONS);
    cloud.teardown(spec).teardown(spec);
    assertThat(cloud.inventory()).isEmpty();
  }

  static boolean running(Progress progress, String step) {
    return progress != null
        && progress.steps().stream()
            .anyMatch(s -> s.title().equals(step) && s.state() == StepState.RUNNING);
  }
}
