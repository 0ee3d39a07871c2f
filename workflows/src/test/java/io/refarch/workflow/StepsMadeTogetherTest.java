package io.refarch.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.fakes.FakeCloud;
import io.refarch.workflow.fakes.TestSpecs;
import io.refarch.workflow.fakes.WorkflowHarness;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * EKS node groups are made together, as eksctl makes them: each test lets the fake activities of
 * the three groups return only once all three have started ({@link FakeCloud#meet}), so a run that
 * made them one after another would fail with {@link FakeCloud#NOT_TOGETHER}.
 */
class StepsMadeTogetherTest {
  static final String[] ENSURES = {
    "ensureNodeGroup services", "ensureNodeGroup regular", "ensureNodeGroup headless"
  };
  static final String[] DELETES = {
    "deleteNodeGroup services", "deleteNodeGroup regular", "deleteNodeGroup headless"
  };

  @Test
  void nodeGroupsAreCreatedTogetherAfterCalicoAndBeforeTheAdminBinding() {
    ClusterSpec spec = TestSpecs.eks();
    FakeCloud fake = new FakeCloud().meet(ENSURES);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      RunOutcome outcome = wf.provision(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      List<String> calls = fake.calls();
      // Counted from Calico's step: what comes before it (preflight, network, roles) may grow.
      int calico = calls.indexOf("ensureCalicoInstallation");
      assertThat(calico).isPositive();
      assertThat(calls.subList(calico + 1, calico + 4)).containsExactlyInAnyOrder(ENSURES);
      assertThat(calls.get(calico + 4)).startsWith("ensureClusterAdminBinding");
      assertThat(outcome.created())
          .contains("nodegroup/services", "nodegroup/regular", "nodegroup/headless");
      assertThat(wf.progress().steps())
          .filteredOn(s -> s.title().startsWith("Create node group"))
          .hasSize(3)
          .allSatisfy(s -> assertThat(s.state()).isEqualTo(StepState.SUCCEEDED));
    }
  }

  @Test
  void whenOneNodeGroupFailsTheOthersFinishAndAllThreeAreDeletedTogether() {
    ClusterSpec spec = TestSpecs.eks();
    FakeCloud fake =
        new FakeCloud()
            .failPermanently("ensureNodeGroup regular", FailureTypes.QUOTA_EXCEEDED)
            .meet(DELETES);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      WorkflowFailedException e =
          catchThrowableOfType(WorkflowFailedException.class, () -> wf.provision(spec));

      RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
      assertThat(outcome.errorType()).isEqualTo(FailureTypes.QUOTA_EXCEEDED);
      List<String> calls = fake.calls();
      int calico = calls.indexOf("ensureCalicoInstallation");
      assertThat(calico).isPositive();
      // The failure did not stop the others half-way: no delete starts before every create ended.
      assertThat(calls.subList(calico + 1, calico + 4)).containsExactlyInAnyOrder(ENSURES);
      assertThat(calls.subList(calico + 4, calico + 7)).containsExactlyInAnyOrder(DELETES);
      assertThat(calls.get(calico + 7)).isEqualTo("deleteCalicoInstallation");
      assertThat(outcome.notDeleted()).isEmpty();
      // The failed create's delete runs too: it may have left part of its node group.
      assertThat(outcome.deleted().subList(0, 3))
          .containsExactlyInAnyOrder(
              "nodegroup/services", "nodegroup/regular", "nodegroup/headless");
      assertThat(outcome.deleted().get(3)).isEqualTo("installation/default");
      assertThat(outcome.deleted()).hasSize(outcome.created().size() + 1);
      Map<String, StepState> states = statesOfNodeGroups(wf.progress());
      assertThat(states)
          .containsEntry("Create node group regular", StepState.COMPENSATED)
          .containsEntry("Create node group services", StepState.COMPENSATED)
          .containsEntry("Create node group headless", StepState.COMPENSATED);
    }
  }

  @Test
  void teardownDeletesTheNodeGroupsTogetherBeforeTheControlPlane() {
    ClusterSpec spec = TestSpecs.eks();
    FakeCloud fake = new FakeCloud().meet(DELETES);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      TeardownClusterWorkflow wf = h.teardown(spec);
      RunOutcome outcome = wf.teardown(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      List<String> calls = fake.calls();
      assertThat(calls.subList(0, 3)).containsExactlyInAnyOrder(DELETES);
      assertThat(calls.subList(3, calls.size()))
          .containsSubsequence("deleteServiceAccountRole cluster-autoscaler", "deleteControlPlane");
      // Each delete is listed under its own name, whatever order they ran in.
      assertThat(wf.progress().steps().subList(0, 3))
          .extracting(StepProgress::title)
          .containsExactly(
              "Delete nodegroup/headless", "Delete nodegroup/regular", "Delete nodegroup/services");
    }
  }

  @Test
  void eachNodeGroupShowsItsOwnAttempts() {
    ClusterSpec spec = TestSpecs.eks();
    FakeCloud fake = new FakeCloud().failTransiently("ensureNodeGroup regular", 2);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      assertThat(wf.provision(spec).result()).isEqualTo(Phase.SUCCEEDED);

      Map<String, Integer> attempts =
          wf.progress().steps().stream()
              .filter(s -> s.title().startsWith("Create node group"))
              .collect(Collectors.toMap(StepProgress::title, StepProgress::attempt));
      assertThat(attempts)
          .containsEntry("Create node group regular", 3)
          .containsEntry("Create node group services", 1)
          .containsEntry("Create node group headless", 1);
    }
  }

  private static Map<String, StepState> statesOfNodeGroups(Progress progress) {
    return progress.steps().stream()
        .filter(s -> s.title().startsWith("Create node group"))
        .collect(Collectors.toMap(StepProgress::title, StepProgress::state));
  }
}
