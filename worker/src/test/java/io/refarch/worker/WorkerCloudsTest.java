package io.refarch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunOutcome;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker deployed with some clouds' activities only (here GKE and EKS: {@code activity-beans}
 * without {@code aksActivities}) polls with an identity naming the clouds it can run, and an AKS
 * run sent to it fails at once with the reason instead of retrying.
 */
@SpringBootTest(
    properties = {
      "spring.temporal.test-server.enabled=true",
      // Deployed with the GKE and EKS activities only (an operator's choice in application.yaml):
      // a list set here replaces the whole list of workers, so every field of the worker is given.
      "spring.temporal.workers[0].task-queue=refarch",
      "spring.temporal.workers[0].workflow-classes[0]=io.refarch.workflow.ProvisionClusterWorkflowImpl",
      "spring.temporal.workers[0].workflow-classes[1]=io.refarch.workflow.TeardownClusterWorkflowImpl",
      "spring.temporal.workers[0].activity-beans[0]=gkeActivities",
      "spring.temporal.workers[0].activity-beans[1]=eksActivities",
      "spring.temporal.workers[0].activity-beans[2]=kubernetesActivities"
    })
class WorkerCloudsTest {
  @Autowired WorkflowClient client;

  @DynamicPropertySource
  static void kubeconfigs(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("refarch-worker-clouds");
    registry.add("refarch.kubeconfig-dir", dir::toString);
  }

  @Test
  void anAksRunFailsAtOnceNamingTheMissingCloudAndTheWorker() throws Exception {
    ClusterSpec spec = Specs.load(Path.of("../examples/aks.yaml"));
    ProvisionClusterWorkflow run =
        client.newWorkflowStub(
            ProvisionClusterWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(RunIds.workflowId(spec))
                .setTaskQueue(RunIds.TASK_QUEUE)
                .build());

    WorkflowFailedException e =
        catchThrowableOfType(WorkflowFailedException.class, () -> run.provision(spec));

    RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
    assertThat(outcome.errorType()).isEqualTo(FailureTypes.ACTIVITY_NOT_REGISTERED);
    assertThat(outcome.error())
        .matches("worker \\S+@\\S+ refarch-worker\\[gcp,aws\\] has no azure activities .*")
        .contains("it can run: gcp,aws)");
    List<HistoryEvent> started =
        client.fetchHistory(RunIds.workflowId(spec)).getEvents().stream()
            .filter(HistoryEvent::hasActivityTaskStartedEventAttributes)
            .toList();
    assertThat(started)
        .isNotEmpty()
        .allSatisfy(
            ev -> {
              assertThat(ev.getActivityTaskStartedEventAttributes().getAttempt()).isEqualTo(1);
              assertThat(ev.getActivityTaskStartedEventAttributes().getIdentity())
                  .endsWith(" refarch-worker[gcp,aws]");
            });
  }
}
