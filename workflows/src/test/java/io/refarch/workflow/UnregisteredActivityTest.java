package io.refarch.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.aks.AksActivities;
import io.refarch.workflow.eks.EksActivities;
import io.refarch.workflow.fakes.FakeCloud;
import io.refarch.workflow.fakes.TestSpecs;
import io.refarch.workflow.fakes.WorkflowHarness;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run whose activities the worker does not have (an EKS spec sent to a worker with the GKE
 * activities only) fails at the first attempt of its first step, says which cloud is missing, and
 * does not retry the compensating deletes either. Before, the SDK's "not registered" failure was
 * retried 30 times (about 26 minutes) per activity.
 */
class UnregisteredActivityTest {

  private static List<Object> without(FakeCloud fake, Class<?> cloudActivities) {
    return fake.activities().stream().filter(a -> !cloudActivities.isInstance(a)).toList();
  }

  @Test
  void anEksRunOnAWorkerWithoutTheEksActivitiesFailsAtOnceNamingTheCloud() {
    FakeCloud fake = new FakeCloud();
    ClusterSpec spec = TestSpecs.eks();
    try (WorkflowHarness h = new WorkflowHarness(without(fake, EksActivities.class).toArray())) {
      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> h.provision(spec).provision(spec));

      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      assertThat(failure.getType()).isEqualTo(FailureTypes.PROVISION_FAILED);
      RunOutcome outcome = failure.getDetails().get(RunOutcome.class);
      assertThat(outcome.errorType()).isEqualTo(FailureTypes.ACTIVITY_NOT_REGISTERED);
      assertThat(outcome.error())
          .contains("has no aws activities")
          .contains("EksPreflight is not registered there")
          .contains("it can run: gcp,azure)")
          .doesNotContain("Known types are");
      assertThat(outcome.created()).isEmpty();
      // The step created nothing, so there is nothing to delete (and no worker could delete it).
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(failure.getOriginalMessage()).contains("ActivityNotRegistered");
      assertThat(fake.calls()).isEmpty();

      // One attempt of the step; no compensating delete was scheduled.
      List<HistoryEvent> events = h.client().fetchHistory(RunIds.workflowId(spec)).getEvents();
      assertThat(events)
          .filteredOn(HistoryEvent::hasActivityTaskScheduledEventAttributes)
          .extracting(
              ev -> ev.getActivityTaskScheduledEventAttributes().getActivityType().getName())
          .containsExactly("EksPreflight");
      assertThat(events)
          .filteredOn(HistoryEvent::hasActivityTaskStartedEventAttributes)
          .extracting(ev -> ev.getActivityTaskStartedEventAttributes().getAttempt())
          .containsExactly(1);
    }
  }

  @Test
  void anAksTeardownOnAWorkerWithoutTheAksActivitiesStopsAtOnceWithTheReasonPerResource() {
    FakeCloud fake = new FakeCloud();
    ClusterSpec spec = TestSpecs.aks();
    try (WorkflowHarness h = new WorkflowHarness(without(fake, AksActivities.class).toArray())) {
      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> h.teardown(spec).teardown(spec));

      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      assertThat(failure.getType()).isEqualTo(FailureTypes.TEARDOWN_INCOMPLETE);
      RunOutcome outcome = failure.getDetails().get(RunOutcome.class);
      assertThat(outcome.notDeleted())
          .isNotEmpty()
          .allSatisfy(
              f ->
                  assertThat(f.reason())
                      .startsWith(FailureTypes.ACTIVITY_NOT_REGISTERED + ": ")
                      .contains("has no azure activities"));
      assertThat(fake.calls()).isEmpty();
      // Every delete was tried once, none retried.
      assertThat(
              h.client().fetchHistory(RunIds.workflowId(spec)).getEvents().stream()
                  .filter(HistoryEvent::hasActivityTaskStartedEventAttributes)
                  .map(ev -> ev.getActivityTaskStartedEventAttributes().getAttempt()))
          .hasSize(outcome.notDeleted().size())
          .containsOnly(1);
    }
  }

  @Test
  void anActivitysOwnIllegalArgumentKeepsItsMessage() {
    FakeCloud fake =
        new FakeCloud()
            .failPermanently("ensureServiceAccount", FailureTypes.SDK_ACTIVITY_NOT_REGISTERED);
    ClusterSpec spec = TestSpecs.gke();
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> h.provision(spec).provision(spec));

      RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
      assertThat(outcome.errorType()).isEqualTo(FailureTypes.SDK_ACTIVITY_NOT_REGISTERED);
      assertThat(outcome.error()).contains("injected");
    }
  }
}
