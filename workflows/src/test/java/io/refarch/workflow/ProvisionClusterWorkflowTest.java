package io.refarch.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.fakes.FakeCloud;
import io.refarch.workflow.fakes.TestSpecs;
import io.refarch.workflow.fakes.WorkflowHarness;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProvisionClusterWorkflowTest {

  static Stream<Arguments> clouds() {
    return Stream.of(
        Arguments.of("gcp", TestSpecs.gke(), ExpectedProcedures.GKE),
        Arguments.of(
            "gcp", TestSpecs.gkePoolsWithCluster(), ExpectedProcedures.GKE_POOLS_WITH_CLUSTER),
        Arguments.of("aws", TestSpecs.eks(), ExpectedProcedures.EKS),
        Arguments.of("azure", TestSpecs.aks(), ExpectedProcedures.AKS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clouds")
  void runsTheSeedProcedureInOrder(String cloud, ClusterSpec spec, List<String> procedure) {
    FakeCloud fake = new FakeCloud();
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      RunOutcome outcome = wf.provision(spec);

      assertThat(ExpectedProcedures.withParallelCallsSorted(fake.calls()))
          .containsExactlyElementsOf(ExpectedProcedures.withParallelCallsSorted(procedure));
      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      // No kubeconfig on a worker: the outcome says how people get one.
      assertThat(outcome.kubeconfigPath()).isNull();
      assertThat(outcome.kubeconfigCommand())
          .isEqualTo("refarch kubeconfig " + RunIds.workflowId(spec))
          .startsWith("refarch kubeconfig refarch/" + cloud + "/");
      assertThat(outcome.nodes().nodes()).hasSize(spec.nodePools().size());
      assertThat(outcome.deleted()).isEmpty();
      assertThat(outcome.created())
          .hasSize((int) procedure.stream().filter(ExpectedProcedures.UNDO::containsKey).count());

      Progress progress = wf.progress();
      assertThat(progress.phase()).isEqualTo(Phase.SUCCEEDED);
      assertThat(progress.steps())
          .hasSize(procedure.size())
          .allSatisfy(
              s -> {
                assertThat(s.state()).isEqualTo(StepState.SUCCEEDED);
                assertThat(s.attempt()).isEqualTo(1);
                assertThat(s.startedAt()).isNotNull();
                assertThat(s.endedAt()).isNotNull();
              });
    }
  }

  /** Every step of every cloud, failed in turn with a permanent error. */
  static Stream<Arguments> everyStep() {
    return clouds()
        .flatMap(
            a -> {
              @SuppressWarnings("unchecked")
              List<String> procedure = (List<String>) a.get()[2];
              return IntStream.range(0, procedure.size())
                  .mapToObj(i -> Arguments.of(a.get()[0], a.get()[1], procedure, i));
            });
  }

  @ParameterizedTest(name = "{0} fails at step {3}")
  @MethodSource("everyStep")
  void aFailureCompensatesWhatWasCreatedInReverseOrder(
      String cloud, ClusterSpec spec, List<String> procedure, int failing) {
    String failingCall = procedure.get(failing);
    FakeCloud fake = new FakeCloud().failPermanently(failingCall, FailureTypes.INVALID_ARGUMENT);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      WorkflowFailedException e =
          catchThrowableOfType(WorkflowFailedException.class, () -> wf.provision(spec));

      // Steps made together with the failing one run to their end too.
      int lastRun = ExpectedProcedures.endOfGroup(procedure, failing);
      List<String> upTo = procedure.subList(0, lastRun + 1);
      // The failing step's delete runs too: its create may have left part of the resource.
      List<String> undo =
          new ArrayList<>(
              upTo.stream()
                  .filter(ExpectedProcedures.UNDO::containsKey)
                  .map(ExpectedProcedures.UNDO::get)
                  .toList());
      Collections.reverse(undo);
      List<String> expected = new ArrayList<>(upTo);
      expected.addAll(undo);
      assertThat(ExpectedProcedures.withParallelCallsSorted(fake.calls()))
          .containsExactlyElementsOf(ExpectedProcedures.withParallelCallsSorted(expected));

      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      assertThat(failure.getType()).isEqualTo(FailureTypes.PROVISION_FAILED);
      RunOutcome outcome = failure.getDetails().get(RunOutcome.class);
      assertThat(outcome.result()).isEqualTo(Phase.FAILED);
      assertThat(outcome.errorType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
      assertThat(outcome.error()).isEqualTo("injected InvalidArgument at " + failingCall);
      assertThat(outcome.deleted()).hasSize(undo.size());
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(failure.getOriginalMessage())
          .contains("failed: InvalidArgument")
          .contains("deleted " + undo.size());

      Progress progress = wf.progress();
      assertThat(progress.phase()).isEqualTo(Phase.FAILED);
      assertThat(progress.steps().get(failing).lastError()).contains("InvalidArgument");
      assertThat(progress.steps().subList(lastRun + 1, procedure.size()))
          .allSatisfy(s -> assertThat(s.state()).isEqualTo(StepState.SKIPPED));
    }
  }

  @Test
  void outcomeNamesResourcesInReverseOrderOfCreation() {
    FakeCloud fake =
        new FakeCloud()
            .failPermanently(
                "ensureNodePool workload-headless-workspaces", FailureTypes.QUOTA_EXCEEDED);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> h.provision(spec).provision(spec));
      RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
      assertThat(outcome.failedStep()).isEqualTo("Create node pool workload-headless-workspaces");
      assertThat(outcome.created())
          .containsExactly(
              "service-account/gitpod-gke",
              "project-roles/gitpod-gke",
              "cluster/gitpod",
              "node-pool/workload-services",
              "node-pool/workload-regular-workspaces");
      assertThat(outcome.deleted())
          .containsExactly(
              "node-pool/workload-headless-workspaces",
              "node-pool/workload-regular-workspaces",
              "node-pool/workload-services",
              "cluster/gitpod",
              "project-roles/gitpod-gke",
              "service-account/gitpod-gke");
    }
  }

  @Test
  void aDeleteThatKeepsFailingIsReportedAndTheOthersStillRun() {
    FakeCloud fake =
        new FakeCloud()
            .failPermanently(
                "ensureNodePool workload-regular-workspaces", FailureTypes.QUOTA_EXCEEDED)
            .failPermanently("deleteCluster", FailureTypes.PERMISSION_DENIED);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> h.provision(spec).provision(spec));
      RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
      assertThat(outcome.notDeleted())
          .containsExactly(
              new ResourceFailure(
                  "cluster/gitpod",
                  "PermissionDenied: injected PermissionDenied at deleteCluster"));
      assertThat(fake.calls())
          .endsWith("deleteCluster", "removeRoleBindings", "deleteServiceAccount");
      assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
          .contains("NOT deleted cluster/gitpod");
    }
  }

  @Test
  void transientFailuresAreRetriedAndTheRunSucceeds() {
    FakeCloud fake =
        new FakeCloud()
            .failTransiently("ensureCluster", 2)
            .failTransiently("ensureNodePool workload-services", 3);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      ProvisionClusterWorkflow wf = h.provision(spec);
      RunOutcome outcome = wf.provision(spec);
      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(fake.calls().stream().filter("ensureCluster"::equals)).hasSize(3);
      // The query shows Temporal's attempt of each step, reported by the worker's interceptor.
      assertThat(wf.progress().steps())
          .extracting(StepProgress::title, StepProgress::attempt)
          .contains(
              org.assertj.core.groups.Tuple.tuple("Create cluster", 3),
              org.assertj.core.groups.Tuple.tuple("Create node pool workload-services", 4),
              org.assertj.core.groups.Tuple.tuple("Grant project roles", 1));
      assertThat(fake.calls().stream().filter("ensureNodePool workload-services"::equals))
          .hasSize(4);
      assertThat(fake.calls())
          .noneMatch(c -> c.startsWith("delete") && !c.equals("deleteDefaultNodePool"));
    }
  }

  @Test
  void aPermanentFailureIsNotRetried() {
    FakeCloud fake =
        new FakeCloud().failPermanently("ensureCluster", FailureTypes.PERMISSION_DENIED);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      assertThatThrownBy(() -> h.provision(spec).provision(spec))
          .isInstanceOf(WorkflowFailedException.class);
      assertThat(fake.calls().stream().filter("ensureCluster"::equals)).hasSize(1);
    }
  }

  @Test
  void aResourceThatExistsWithAnotherSpecIsNotDeleted() {
    FakeCloud fake = new FakeCloud().failPermanently("ensureCluster", FailureTypes.SPEC_MISMATCH);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      assertThatThrownBy(() -> h.provision(spec).provision(spec))
          .isInstanceOf(WorkflowFailedException.class);
      assertThat(fake.calls())
          .containsExactly(
              "preflight",
              "ensureServiceAccount",
              "ensureRoleBindings",
              "ensureCluster",
              "removeRoleBindings",
              "deleteServiceAccount");
    }
  }

  @Test
  void keepOnFailureLeavesEverythingForInspection() {
    FakeCloud fake =
        new FakeCloud()
            .failPermanently("ensureNodePool workload-services", FailureTypes.QUOTA_EXCEEDED);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke("gitpod", true);
      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> h.provision(spec).provision(spec));
      assertThat(fake.calls())
          .noneMatch(c -> c.startsWith("delete") && !c.equals("deleteDefaultNodePool"));
      assertThat(fake.calls()).noneMatch(c -> c.startsWith("remove"));
      RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
      assertThat(outcome.created()).hasSize(3);
      assertThat(outcome.deleted()).isEmpty();
      assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
          .contains("kept 3 for inspection");
    }
  }

  @Test
  void cancellingMidRunCompensatesAndEndsCancelled() {
    FakeCloud fake = new FakeCloud().block("ensureNodePool workload-regular-workspaces");
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      ProvisionClusterWorkflow wf = h.provision(spec);
      WorkflowClient.start(wf::provision, spec);
      waitUntil(() -> fake.called("ensureNodePool workload-regular-workspaces"));
      WorkflowStub.fromTyped(wf).cancel();

      assertThatThrownBy(() -> WorkflowStub.fromTyped(wf).getResult(RunOutcome.class))
          .isInstanceOf(WorkflowFailedException.class)
          .hasCauseInstanceOf(CanceledFailure.class);
      assertThat(fake.calls())
          .endsWith(
              "ensureNodePool workload-regular-workspaces",
              "deleteNodePool workload-regular-workspaces",
              "deleteNodePool workload-services",
              "deleteCluster",
              "removeRoleBindings",
              "deleteServiceAccount");
      Progress progress = wf.progress();
      assertThat(progress.phase()).isEqualTo(Phase.CANCELLED);
      assertThat(progress.deleted()).hasSize(5);
    }
  }

  @Test
  void aSecondRunForTheSameClusterIsRejected() {
    FakeCloud fake = new FakeCloud().block("ensureCluster");
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      WorkflowClient.start(h.provision(spec)::provision, spec);
      assertThatThrownBy(() -> WorkflowClient.start(h.provision(spec)::provision, spec))
          .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
      // A teardown shares the id, so it cannot run beside a provisioning of the same cluster.
      assertThatThrownBy(() -> WorkflowClient.start(h.teardown(spec)::teardown, spec))
          .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    }
  }

  @Test
  void theCurrentStepIsASearchAttribute() {
    FakeCloud fake = new FakeCloud();
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      ProvisionClusterWorkflow wf = h.provision(spec);
      wf.provision(spec);
      String id = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
      List<String> upserted =
          h.client().fetchHistory(id).getEvents().stream()
              .filter(
                  ev -> ev.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
              .map(
                  ev ->
                      ev.getUpsertWorkflowSearchAttributesEventAttributes()
                          .getSearchAttributes()
                          .getIndexedFieldsOrThrow(RunSearchAttributes.STEP.getName())
                          .getData()
                          .toStringUtf8())
              .toList();
      assertThat(upserted).hasSize(ExpectedProcedures.GKE.size());
      assertThat(upserted.get(0)).isEqualTo("\"Preflight\"");
      assertThat(upserted.get(upserted.size() - 1)).isEqualTo("\"Verify nodes\"");
    }
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /**
   * Re-running {@code up} on a healthy cluster: everything up to the failing pool exists and is
   * adopted; the failure deletes nothing of it (the review found the whole cluster deleted).
   */
  @Test
  void aFailedRunDeletesNothingItAdopted() {
    ClusterSpec spec = TestSpecs.gke();
    FakeCloud fake =
        new FakeCloud()
            .adopt("ensureServiceAccount")
            .adopt("ensureRoleBindings")
            .adopt("ensureCluster")
            .adopt("ensureNodePool workload-services")
            .adopt("ensureNodePool workload-regular-workspaces")
            .failPermanently("ensureNodePool workload-headless-workspaces", "QuotaExceeded");
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      WorkflowFailedException e =
          catchThrowableOfType(WorkflowFailedException.class, () -> wf.provision(spec));

      // Only the failing pool's own delete runs: its create may have started something.
      assertThat(fake.calls())
          .filteredOn(c -> c.startsWith("delete") || c.startsWith("remove"))
          .containsExactly("deleteDefaultNodePool", "deleteNodePool workload-headless-workspaces");
      RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
      assertThat(outcome.adopted())
          .containsExactly(
              "service-account/gitpod-gke",
              "project-roles/gitpod-gke",
              "cluster/gitpod",
              "node-pool/workload-services",
              "node-pool/workload-regular-workspaces");
      // The failing create is not counted as created, but its delete ran.
      assertThat(outcome.created()).isEmpty();
      assertThat(outcome.deleted()).containsExactly("node-pool/workload-headless-workspaces");
    }
  }

  /** A delete that keeps what is not the run's is reported as kept, with its reason. */
  @Test
  void whatACompensatingDeleteKeepsIsReportedWithItsReason() {
    ClusterSpec spec = TestSpecs.gke();
    FakeCloud fake =
        new FakeCloud()
            .keep("deleteServiceAccount", "used by clusters alpha")
            .failPermanently("ensureCluster", "QuotaExceeded");
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      WorkflowFailedException e =
          catchThrowableOfType(WorkflowFailedException.class, () -> wf.provision(spec));

      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      RunOutcome outcome = failure.getDetails().get(RunOutcome.class);
      assertThat(outcome.deleted()).containsExactly("cluster/gitpod", "project-roles/gitpod-gke");
      assertThat(outcome.kept())
          .containsExactly(
              new ResourceFailure("service-account/gitpod-gke", "used by clusters alpha"));
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(failure.getOriginalMessage())
          .contains("kept service-account/gitpod-gke (used by clusters alpha)");
      assertThat(wf.progress().steps().get(1).state()).isEqualTo(StepState.KEPT);
    }
  }
}
