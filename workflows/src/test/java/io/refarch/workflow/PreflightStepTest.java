package io.refarch.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.fakes.FakeCloud;
import io.refarch.workflow.fakes.TestSpecs;
import io.refarch.workflow.fakes.WorkflowHarness;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.WorkflowReplayer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Preflight is the first step of a new provisioning run, versioned with Workflow.getVersion so runs
 * started before it replay without it ({@link ReplayTest} replays such histories).
 */
class PreflightStepTest {

  private static List<HistoryEvent> events(WorkflowHarness h, ClusterSpec spec) {
    return h.client().fetchHistory(RunIds.workflowId(spec)).getEvents();
  }

  @Test
  void aNewRunChecksFirstAndItsHistoryReplays() throws Exception {
    ClusterSpec spec = TestSpecs.gke();
    FakeCloud fake = new FakeCloud();
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      wf.provision(spec);

      assertThat(fake.calls().get(0)).isEqualTo("preflight");
      assertThat(wf.progress().steps().get(0).title()).isEqualTo("Preflight");
      List<HistoryEvent> events = events(h, spec);
      HistoryEvent marker =
          events.stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
              .findFirst()
              .orElseThrow();
      HistoryEvent firstActivity =
          events.stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
              .findFirst()
              .orElseThrow();
      assertThat(marker.getEventId()).isLessThan(firstActivity.getEventId());
      assertThat(
              firstActivity.getActivityTaskScheduledEventAttributes().getActivityType().getName())
          .isEqualTo("GkePreflight");

      WorkflowExecutionHistory history = h.client().fetchHistory(RunIds.workflowId(spec));
      WorkflowReplayer.replayWorkflowExecution(history, ProvisionClusterWorkflowImpl.class);
    }
  }

  @Test
  void aFailedPreflightStopsTheRunBeforeAnythingIsCreated() {
    ClusterSpec spec = TestSpecs.gke();
    FakeCloud fake = new FakeCloud().failPermanently("preflight", FailureTypes.PREFLIGHT_FAILED);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      WorkflowFailedException failed =
          catchThrowableOfType(WorkflowFailedException.class, () -> wf.provision(spec));

      ApplicationFailure run = (ApplicationFailure) failed.getCause();
      assertThat(run.getType()).isEqualTo(FailureTypes.PROVISION_FAILED);
      assertThat(((ApplicationFailure) run.getCause().getCause()).getType())
          .isEqualTo(FailureTypes.PREFLIGHT_FAILED);
      // Not retried, nothing else called, nothing to compensate.
      assertThat(fake.calls()).containsExactly("preflight");
      RunOutcome outcome = run.getDetails().get(RunOutcome.class);
      assertThat(outcome.created()).isEmpty();
      assertThat(outcome.deleted()).isEmpty();
      assertThat(wf.progress().phase()).isEqualTo(Phase.FAILED);
      assertThat(wf.progress().steps().get(0).state()).isEqualTo(StepState.FAILED);
      assertThat(wf.progress().steps().subList(1, wf.progress().steps().size()))
          .allSatisfy(s -> assertThat(s.state()).isEqualTo(StepState.SKIPPED));
    }
  }

  @Test
  void aNewEksRunChecksFirstBehindItsOwnVersionMarker() throws Exception {
    ClusterSpec spec = TestSpecs.eks();
    FakeCloud fake = new FakeCloud();
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      wf.provision(spec);

      assertThat(fake.calls().get(0)).isEqualTo("preflight");
      assertThat(wf.progress().steps().get(0).title()).isEqualTo("Preflight");
      List<HistoryEvent> events = events(h, spec);
      assertThat(
              events.stream()
                  .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
                  .map(e -> e.getMarkerRecordedEventAttributes().getDetailsMap().toString()))
          .anySatisfy(details -> assertThat(details).contains("eks-preflight-first"));
      HistoryEvent firstActivity =
          events.stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
              .findFirst()
              .orElseThrow();
      assertThat(
              firstActivity.getActivityTaskScheduledEventAttributes().getActivityType().getName())
          .isEqualTo("EksPreflight");

      WorkflowExecutionHistory history = h.client().fetchHistory(RunIds.workflowId(spec));
      WorkflowReplayer.replayWorkflowExecution(history, ProvisionClusterWorkflowImpl.class);
    }
  }

  @Test
  void aFailedEksPreflightStopsTheRunBeforeAnythingIsCreated() {
    ClusterSpec spec = TestSpecs.eks();
    FakeCloud fake = new FakeCloud().failPermanently("preflight", FailureTypes.PREFLIGHT_FAILED);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      WorkflowFailedException failed =
          catchThrowableOfType(WorkflowFailedException.class, () -> wf.provision(spec));

      ApplicationFailure run = (ApplicationFailure) failed.getCause();
      assertThat(run.getType()).isEqualTo(FailureTypes.PROVISION_FAILED);
      assertThat(((ApplicationFailure) run.getCause().getCause()).getType())
          .isEqualTo(FailureTypes.PREFLIGHT_FAILED);
      // Not retried; no VPC, role or cluster made, nothing to compensate.
      assertThat(fake.calls()).containsExactly("preflight");
      RunOutcome outcome = run.getDetails().get(RunOutcome.class);
      assertThat(outcome.created()).isEmpty();
      assertThat(outcome.deleted()).isEmpty();
      assertThat(wf.progress().steps().subList(1, wf.progress().steps().size()))
          .allSatisfy(s -> assertThat(s.state()).isEqualTo(StepState.SKIPPED));
    }
  }
}
