package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunOutcome;
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
 * {@code examples/eks.yaml} as users run it, with the real EKS and Kubernetes activities (AWS SDK
 * v2, fabric8) against the sandbox's AWS: the seed's procedure in its order, teardown, and one run
 * per cluster at a time.
 */
class EksProvisionAgainstSandboxTest {
  @TempDir static Path dir;
  private static TestWorkflowEnvironment temporal;
  private static SandboxWorker cloud;
  private static ClusterSpec spec;

  @BeforeAll
  static void start() throws Exception {
    temporal = SandboxWorker.temporal();
    cloud = SandboxWorker.start(temporal, dir, Duration.ofMillis(100));
    spec = SandboxWorker.eksPreset();
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
    RunOutcome outcome = cloud.provision(spec).provision(spec);

    assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(outcome.nodes().passed()).isTrue();
    assertThat(outcome.kubeconfigPath()).isNull();
    // Network, roles, control plane, OIDC and IRSA, aws-node out and Calico in, and only then the
    // node groups (so their nodes start on Calico with 110 pods), then cluster-admin.
    assertThat(cloud.awsMutations()).containsExactlyElementsOf(EksSeed.MUTATIONS);
    assertThat(cloud.awsInventory()).containsExactlyInAnyOrderElementsOf(EksSeed.INVENTORY);
  }

  @Test
  void teardownAfterASuccessfulRunEmptiesTheSandboxAndASecondTeardownSucceedsToo()
      throws Exception {
    cloud.provision(spec).provision(spec);
    assertThat(cloud.awsInventory()).containsExactlyInAnyOrderElementsOf(EksSeed.INVENTORY);

    RunOutcome down = cloud.teardown(spec).teardown(spec);

    assertThat(down.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(down.notDeleted()).isEmpty();
    assertThat(down.deleted()).containsExactlyElementsOf(EksSeed.DELETES_IN_ORDER);
    assertThat(cloud.inventory()).isEmpty();

    // What is already gone counts as deleted, and nothing is asked to change.
    int before = cloud.awsMutatingRequests().size();
    RunOutcome again = cloud.teardown(spec).teardown(spec);

    assertThat(again.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(again.notDeleted()).isEmpty();
    assertThat(again.deleted()).containsExactlyElementsOf(EksSeed.DELETES_IN_ORDER);
    assertThat(cloud.awsMutatingRequests()).hasSize(before);
    assertThat(cloud.inventory()).isEmpty();
  }

  @Test
  void aSecondStartForTheSameClusterWhileOneRunsIsRejected() throws Exception {
    ProvisionClusterWorkflow first = cloud.provision(spec);
    WorkflowClient.start(first::provision, spec);
    Await.until(() -> ProvisionAgainstSandboxTest.running(first.progress(), "Create VPC"));

    assertThatThrownBy(() -> WorkflowClient.start(cloud.provision(spec)::provision, spec))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    // Teardown shares the id: it cannot pull the cluster away under a provisioning run either.
    assertThatThrownBy(() -> WorkflowClient.start(cloud.teardown(spec)::teardown, spec))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);

    RunOutcome outcome = WorkflowStub.fromTyped(first).getResult(RunOutcome.class);
    assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
    // One run's creates only: the rejected starts sent nothing.
    assertThat(cloud.awsMutations()).containsExactlyElementsOf(EksSeed.MUTATIONS);
    cloud.teardown(spec).teardown(spec);
    assertThat(cloud.inventory()).isEmpty();
  }
}
