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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TeardownClusterWorkflowTest {

  static Stream<Arguments> clouds() {
    return ProvisionClusterWorkflowTest.clouds();
  }

  /**
   * Teardown = the deletes of every cloud resource, last created first; in-cluster objects go with
   * the cluster.
   */
  static List<String> expectedTeardown(List<String> procedure) {
    List<String> deletes =
        new ArrayList<>(
            procedure.stream()
                .filter(ExpectedProcedures.UNDO::containsKey)
                .filter(c -> !ExpectedProcedures.IN_CLUSTER.contains(c))
                .map(ExpectedProcedures.UNDO::get)
                .toList());
    Collections.reverse(deletes);
    return deletes;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clouds")
  void deletesEveryResourceInReverseOrder(String cloud, ClusterSpec spec, List<String> procedure) {
    FakeCloud fake = new FakeCloud();
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      TeardownClusterWorkflow wf = h.teardown(spec);
      RunOutcome outcome = wf.teardown(spec);

      assertThat(ExpectedProcedures.withParallelCallsSorted(fake.calls()))
          .containsExactlyElementsOf(
              ExpectedProcedures.withParallelCallsSorted(expectedTeardown(procedure)));
      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(outcome.deleted()).hasSize(fake.calls().size());
      assertThat(wf.progress().steps())
          .allSatisfy(
              s -> {
                assertThat(s.title()).startsWith("Delete ");
                assertThat(s.state()).isEqualTo(StepState.SUCCEEDED);
              });
    }
  }

  @Test
  void gkeTeardownMatchesTheSeedInReverse() {
    FakeCloud fake = new FakeCloud();
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      RunOutcome outcome = h.teardown(spec).teardown(spec);
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

  /** A cluster made with its pools goes in one delete; so does one made the seed's way. */
  @Test
  void gkeTeardownWithPoolsWithClusterDeletesTheClusterWithItsPools() {
    FakeCloud fake = new FakeCloud();
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gkePoolsWithCluster();
      RunOutcome outcome = h.teardown(spec).teardown(spec);
      assertThat(fake.calls())
          .containsExactly("deleteCluster", "removeRoleBindings", "deleteServiceAccount");
      assertThat(outcome.deleted())
          .containsExactly(
              "cluster/gitpod", "project-roles/gitpod-gke", "service-account/gitpod-gke");
    }
  }

  @Test
  void aResourceThatCannotBeDeletedIsReportedAfterTryingAllOthers() {
    FakeCloud fake =
        new FakeCloud().failPermanently("deleteCluster", FailureTypes.PERMISSION_DENIED);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      TeardownClusterWorkflow wf = h.teardown(spec);
      WorkflowFailedException e =
          catchThrowableOfType(WorkflowFailedException.class, () -> wf.teardown(spec));

      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      assertThat(failure.getType()).isEqualTo(FailureTypes.TEARDOWN_INCOMPLETE);
      RunOutcome outcome = failure.getDetails().get(RunOutcome.class);
      assertThat(outcome.notDeleted())
          .extracting(ResourceFailure::resource)
          .containsExactly("cluster/gitpod");
      assertThat(fake.calls())
          .endsWith("deleteCluster", "removeRoleBindings", "deleteServiceAccount");
      assertThat(wf.progress().steps())
          .filteredOn(s -> s.state() == StepState.FAILED)
          .extracting(StepProgress::title)
          .containsExactly("Delete cluster/gitpod");
    }
  }

  @Test
  void transientDeleteFailuresAreRetried() {
    FakeCloud fake = new FakeCloud().failTransiently("deleteCluster", 4);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ClusterSpec spec = TestSpecs.gke();
      RunOutcome outcome = h.teardown(spec).teardown(spec);
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(fake.calls().stream().filter("deleteCluster"::equals)).hasSize(5);
    }
  }

  /** Teardown of one of two clusters: the shared account is kept, named with its users. */
  @Test
  void aTeardownThatKeepsSharedResourcesSucceedsAndSaysWhy() {
    ClusterSpec spec = io.refarch.workflow.fakes.TestSpecs.gke();
    FakeCloud fake =
        new FakeCloud()
            .keep("removeRoleBindings", "still used by clusters alpha")
            .keep("deleteServiceAccount", "still used by clusters alpha");
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      RunOutcome outcome = h.teardown(spec).teardown(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(outcome.kept())
          .extracting(ResourceFailure::resource)
          .containsExactly("project-roles/gitpod-gke", "service-account/gitpod-gke");
      assertThat(outcome.deleted())
          .contains("cluster/gitpod")
          .doesNotContain("service-account/gitpod-gke");
    }
  }

  /**
   * EKS deletes say what they kept too (a VPC or role not tagged as this cluster's): the teardown
   * succeeds and its outcome names them instead of counting them deleted.
   */
  @Test
  void anEksTeardownListsWhatItsDeletesKept() {
    ClusterSpec spec = io.refarch.workflow.fakes.TestSpecs.eks();
    FakeCloud fake =
        new FakeCloud()
            .keep("deleteNetwork", "VPC vpc-1: not tagged refarch.io/cluster=gitpod")
            .keep("deleteClusterRole", "IAM role gitpod-cluster: not made by refarch");
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      RunOutcome outcome = h.teardown(spec).teardown(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(outcome.kept())
          .extracting(ResourceFailure::resource, ResourceFailure::reason)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  "vpc/gitpod", "VPC vpc-1: not tagged refarch.io/cluster=gitpod"),
              org.assertj.core.groups.Tuple.tuple(
                  "iam-role/gitpod-cluster", "IAM role gitpod-cluster: not made by refarch"));
      assertThat(outcome.deleted())
          .contains("eks-cluster/gitpod")
          .doesNotContain("vpc/gitpod", "iam-role/gitpod-cluster");
    }
  }
}
