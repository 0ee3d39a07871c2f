package io.refarch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunOutcome;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker with {@code refarch.codec.require-encrypted-input}: a run started without the codec
 * fails at its first workflow task naming the fix, and a run started through the codec goes on.
 */
@SpringBootTest(
    properties = {
      "spring.temporal.test-server.enabled=true",
      "refarch.codec.require-encrypted-input=true",
      "refarch.codec.token=t",
      // GKE and EKS only (see WorkerCloudsTest), so an AKS run fails at its first activity.
      "spring.temporal.workers[0].task-queue=refarch",
      "spring.temporal.workers[0].workflow-classes[0]=io.refarch.workflow.ProvisionClusterWorkflowImpl",
      "spring.temporal.workers[0].workflow-classes[1]=io.refarch.workflow.TeardownClusterWorkflowImpl",
      "spring.temporal.workers[0].activity-beans[0]=gkeActivities",
      "spring.temporal.workers[0].activity-beans[1]=eksActivities",
      "spring.temporal.workers[0].activity-beans[2]=kubernetesActivities"
    })
class EncryptedInputRequiredTest {
  // The worker's own client: it encrypts with the worker's key, as the CLI does with the codec.
  @Autowired WorkflowClient encrypting;

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("refarch-require-encryption");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keys =
        Files.writeString(
            dir.resolve("codec.keys"), "k1=" + Base64.getEncoder().encodeToString(key) + "\n");
    registry.add("refarch.codec.key-file", keys::toString);
    registry.add("refarch.kubeconfig-dir", dir::toString);
  }

  static ClusterSpec spec(String name) throws Exception {
    // AKS: this worker is deployed without the Azure activities, so it fails such a run at its
    // first activity, which shows the run went on.
    String yaml = Files.readString(Path.of("../examples/aks.yaml"));
    Path file = Files.createTempFile("refarch-spec", ".yaml");
    Files.writeString(file, yaml.replaceFirst("(?m)^name: gitpod$", "name: " + name));
    return Specs.load(file);
  }

  ProvisionClusterWorkflow stub(WorkflowClient client, ClusterSpec spec) {
    return client.newWorkflowStub(
        ProvisionClusterWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(RunIds.workflowId(spec))
            .setTaskQueue(RunIds.TASK_QUEUE)
            .build());
  }

  @Test
  void aRunStartedInPlainTextFailsAtItsFirstWorkflowTaskNamingTheFix() throws Exception {
    WorkflowClient plain =
        WorkflowClient.newInstance(
            encrypting.getWorkflowServiceStubs(),
            WorkflowClientOptions.newBuilder()
                .setNamespace(encrypting.getOptions().getNamespace())
                .build());
    ClusterSpec spec = spec("plain-secret-cluster");

    WorkflowFailedException e =
        catchThrowableOfType(
            WorkflowFailedException.class, () -> stub(plain, spec).provision(spec));

    ApplicationFailure failure = (ApplicationFailure) e.getCause();
    assertThat(failure.getType()).isEqualTo(EncryptedInputGuard.FAILURE_TYPE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("--codec-endpoint", "REFARCH_CODEC_REQUIRE_ENCRYPTED_INPUT")
        .doesNotContain("plain-secret-cluster");
    List<EventType> events =
        encrypting.fetchHistory(RunIds.workflowId(spec)).getEvents().stream()
            .map(HistoryEvent::getEventType)
            .toList();
    assertThat(events)
        .as("failed by its first workflow task, not retried, nothing scheduled")
        .containsExactly(
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
  }

  @Test
  void aRunStartedThroughTheCodecGoesOn() throws Exception {
    ClusterSpec spec = spec("encrypted-cluster");

    WorkflowFailedException e =
        catchThrowableOfType(
            WorkflowFailedException.class, () -> stub(encrypting, spec).provision(spec));

    RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
    assertThat(outcome.errorType())
        .as("it reached its first activity")
        .isEqualTo(FailureTypes.ACTIVITY_NOT_REGISTERED);
  }
}
