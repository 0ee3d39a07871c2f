package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.RunOutcome;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults injected into the sandbox under a whole provisioning run of {@code examples/gke.yaml},
 * through the real activities: transient ones are retried without creating anything twice,
 * permanent ones fail the run and compensation leaves nothing behind.
 */
class FaultsAgainstSandboxTest {
  /**
   * Every GCP call a provisioning run makes, as the sandbox names them for faults; {@link
   * #theTransientFaultsCoverEveryCallOfACleanRun} keeps this list honest.
   */
  static final List<String> CALLS =
      List.of(
          "getService",
          "getServerConfig",
          "getRegion",
          "getServiceAccount",
          "createServiceAccount",
          "getIamPolicy",
          "setIamPolicy",
          "getCluster",
          "createCluster",
          "getNodePool",
          "deleteNodePool",
          "createNodePool",
          "getOperation");

  private static final Duration OPERATION = Duration.ofMillis(50);

  @TempDir Path dir;
  private static TestWorkflowEnvironment temporal;

  @BeforeAll
  static void start() {
    temporal = SandboxWorker.temporal();
  }

  @AfterAll
  static void stop() {
    temporal.close();
  }

  @Test
  void theTransientFaultsCoverEveryCallOfACleanRun() throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION)) {
      ClusterSpec spec = SandboxWorker.gkePreset();
      cloud.provision(spec).provision(spec);

      Set<String> made = new TreeSet<>();
      cloud.sandbox.requests().stream()
          .map(SandboxWorker::operation)
          .filter(Objects::nonNull)
          .forEach(made::add);
      assertThat(made).containsExactlyInAnyOrderElementsOf(CALLS);
    }
  }

  static Stream<String> calls() {
    return CALLS.stream();
  }

  @ParameterizedTest(name = "{0}=UNAVAILABLEx2")
  @MethodSource("calls")
  void aTransientFaultAtEachCallIsRetriedAndNothingIsCreatedTwice(String call) throws Exception {
    try (SandboxWorker cloud =
        SandboxWorker.start(temporal, dir, OPERATION, call + "=UNAVAILABLEx2")) {
      ClusterSpec spec = SandboxWorker.gkePreset();

      RunOutcome outcome = cloud.provision(spec).provision(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(outcome.deleted()).isEmpty();
      assertThat(cloud.calls(call))
          .as("two refused calls of %s, then one that passed", call)
          .isGreaterThanOrEqualTo(3);
      // The first two requests of the faulted call were refused; every other create went through
      // once.
      int[] refused = {0};
      List<String> accepted = new ArrayList<>();
      for (RecordedRequest r : cloud.mutatingRequests()) {
        if (call.equals(SandboxWorker.operation(r)) && refused[0] < 2) {
          refused[0]++;
        } else {
          accepted.add(SandboxWorker.describe(r));
        }
      }
      assertThat(accepted).containsExactlyElementsOf(Seed.MUTATIONS);
      assertThat(cloud.inventory()).containsExactlyInAnyOrderElementsOf(Seed.INVENTORY);
    }
  }

  /**
   * A permanent fault, where the run fails with it, and how many resources (in creation order) had
   * their delete registered by then: the failing step's own too, as its create may have
   * half-happened.
   */
  static Stream<Arguments> permanentFaults() {
    return Stream.of(
        Arguments.of(
            "createServiceAccount=PERMISSION_DENIED",
            "Create service account",
            FailureTypes.PERMISSION_DENIED,
            1),
        Arguments.of(
            "setIamPolicy=PERMISSION_DENIED",
            "Grant project roles",
            FailureTypes.PERMISSION_DENIED,
            2),
        Arguments.of(
            "createCluster=INVALID_ARGUMENT", "Create cluster", FailureTypes.INVALID_ARGUMENT, 3),
        // The call is accepted and GKE's operation ends in error, the cluster in ERROR.
        Arguments.of(
            "createCluster.done=INTERNAL", "Create cluster", FailureTypes.OPERATION_FAILED, 3),
        Arguments.of(
            "deleteNodePool:default-pool=PERMISSION_DENIED",
            "Delete default node pool",
            FailureTypes.PERMISSION_DENIED,
            3),
        Arguments.of(
            "createNodePool:workload-services=INVALID_ARGUMENT",
            "Create node pool workload-services",
            FailureTypes.INVALID_ARGUMENT,
            4),
        Arguments.of(
            "createNodePool:workload-regular-workspaces=RESOURCE_EXHAUSTED",
            "Create node pool workload-regular-workspaces",
            FailureTypes.QUOTA_EXCEEDED,
            5),
        // Quota found while provisioning: the operation fails and the pool is left in ERROR.
        Arguments.of(
            "createNodePool.done:workload-headless-workspaces=RESOURCE_EXHAUSTED",
            "Create node pool workload-headless-workspaces",
            FailureTypes.QUOTA_EXCEEDED,
            6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permanentFaults")
  void aPermanentFaultFailsTheRunAndCompensationLeavesNothing(
      String fault, String step, String type, int registered) throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION, fault)) {
      ClusterSpec spec = SandboxWorker.gkePreset();

      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> cloud.provision(spec).provision(spec));

      assertThat(e).as("the run fails").isNotNull();
      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      assertThat(failure.getType()).isEqualTo(FailureTypes.PROVISION_FAILED);
      RunOutcome outcome = failure.getDetails().get(RunOutcome.class);
      assertThat(outcome.result()).isEqualTo(Phase.FAILED);
      assertThat(outcome.failedStep()).isEqualTo(step);
      assertThat(outcome.errorType()).isEqualTo(type);
      if (type.equals(FailureTypes.QUOTA_EXCEEDED)) {
        assertThat(outcome.error()).containsIgnoringCase("quota");
        assertThat(failure.getOriginalMessage())
            .contains("QuotaExceeded")
            .containsIgnoringCase("quota");
      }
      List<String> newestFirst = new ArrayList<>(Seed.CREATES_IN_ORDER.subList(0, registered));
      Collections.reverse(newestFirst);
      assertThat(outcome.deleted()).containsExactlyElementsOf(newestFirst);
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(cloud.inventory()).isEmpty();
    }
  }
}
