package io.refarch.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.fakes.FakeCloud;
import io.refarch.workflow.fakes.FakeCloud.Attempt;
import io.refarch.workflow.fakes.TestSpecs;
import io.refarch.workflow.fakes.WorkflowHarness;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The timeouts and names every step is scheduled with, read from the histories of runs: what the
 * server enforces and the Web UI shows.
 */
class ActivityOptionsTest {

  /** Steps that wait on a cloud operation or on nodes: they heartbeat. */
  private static final Set<String> WAITING =
      Set.of(
          "GkeEnsureCluster",
          "GkeEnsureClusterWithNodePools",
          "GkeDeleteCluster",
          "GkeDeleteDefaultNodePool",
          "GkeEnsureNodePool",
          "GkeDeleteNodePool",
          "EksEnsureNetwork",
          "EksDeleteNetwork",
          "EksEnsureControlPlane",
          "EksDeleteControlPlane",
          "EksEnsureNodeGroup",
          "EksDeleteNodeGroup",
          "AksDeleteResourceGroup",
          "AksEnsureCluster",
          "AksDeleteCluster",
          "AksEnsureAgentPool",
          "AksDeleteAgentPool",
          "KubeVerifyNodes");

  /** A few requests to the cluster's API server. Everything else is a few cloud requests. */
  private static final Set<String> IN_CLUSTER =
      Set.of(
          "KubeEnsureClusterAdminBinding",
          "KubeDeleteClusterAdminBinding",
          "KubeDeleteAwsNode",
          "KubeEnsureCalicoInstallation",
          "KubeDeleteCalicoInstallation",
          "KubeEnsureServiceAccount",
          "KubeDeleteServiceAccount");

  private record Timeouts(Duration heartbeat, Duration startToClose) {}

  private static Timeouts expected(String type, Duration heartbeat) {
    if (WAITING.contains(type)) {
      return new Timeouts(heartbeat, Duration.ofHours(2));
    }
    return new Timeouts(
        Duration.ZERO, IN_CLUSTER.contains(type) ? Duration.ofMinutes(3) : Duration.ofMinutes(5));
  }

  @Test
  void everyActivityOfEveryCloudIsScheduledWithTheTimeoutsOfWhatItDoes() {
    Map<String, Timeouts> seen = new HashMap<>();
    for (ClusterSpec spec :
        List.of(
            TestSpecs.gke(), TestSpecs.gkePoolsWithCluster(), TestSpecs.eks(), TestSpecs.aks())) {
      seen.putAll(timeouts(successfulRun(spec)));
      // Failing the last step compensates every create, the in-cluster ones included.
      seen.putAll(timeouts(runFailingAt(spec, "verifyNodes")));
    }

    // Only runs started before ClusterAccess.NO_KUBECONFIG_STEP write a kubeconfig on a worker;
    // their stubs keep their sizes so those runs go on as they were.
    Set<String> onlyOlderRuns =
        Set.of(
            "GkeWriteKubeconfig",
            "GkeDeleteKubeconfig",
            "EksWriteKubeconfig",
            "EksDeleteKubeconfig");
    assertThat(ActivityStubs.SIZES.keySet()).containsAll(onlyOlderRuns);
    assertThat(seen.keySet())
        .containsExactlyInAnyOrderElementsOf(
            ActivityStubs.SIZES.keySet().stream()
                .filter(type -> !onlyOlderRuns.contains(type))
                .toList());
    seen.forEach(
        (type, timeouts) ->
            assertThat(timeouts).as(type).isEqualTo(expected(type, Duration.ofSeconds(30))));
  }

  @Test
  void theSpecSetsTheHeartbeatTimeoutOfTheStepsThatWait() {
    ClusterSpec spec = TestSpecs.withHeartbeatTimeout(TestSpecs.gke(), 45);
    Map<String, Timeouts> seen = timeouts(runFailingAt(spec, "verifyNodes"));

    assertThat(seen.get("GkeEnsureNodePool").heartbeat()).isEqualTo(Duration.ofSeconds(45));
    assertThat(seen.get("GkeDeleteCluster").heartbeat()).isEqualTo(Duration.ofSeconds(45));
    seen.forEach(
        (type, timeouts) ->
            assertThat(timeouts).as(type).isEqualTo(expected(type, Duration.ofSeconds(45))));
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  void aStepWhoseWorkerStopsHeartbeatingIsRetriedAfterTheHeartbeatTimeout() {
    String pool = "ensureNodePool workload-services";
    FakeCloud fake = new FakeCloud().stallFirstAttempt(pool);
    // The shortest timeout the spec allows, to keep the test short: the test server skips no time
    // while an activity runs, so it waits the heartbeat timeout for real.
    ClusterSpec spec = TestSpecs.withHeartbeatTimeout(TestSpecs.gke(), 10);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      ProvisionClusterWorkflow wf = h.provision(spec);
      RunOutcome outcome = wf.provision(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      List<Attempt> attempts = fake.attempts().stream().filter(a -> a.call().equals(pool)).toList();
      assertThat(attempts).extracting(Attempt::attempt).containsExactly(1, 2);
      // The retry starts once the heartbeat timeout has passed, after the retry policy's first 2 s
      // back-off: not when the start-to-close timeout (2 h) ends.
      Duration gap = Duration.ofMillis(attempts.get(1).startedAt() - attempts.get(0).startedAt());
      assertThat(gap).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
      StepProgress step = wf.progress().steps().get(5);
      assertThat(step.title()).isEqualTo("Create node pool workload-services");
      assertThat(step.attempt()).isEqualTo(2);
      assertThat(fake.calls()).containsOnlyOnce("ensureNodePool workload-regular-workspaces");
    } finally {
      fake.releaseStalled();
    }
  }

  @Test
  void eachStepOfAGkeRunCarriesItsNameAsSummary() {
    ClusterSpec spec = TestSpecs.gke();
    List<String> summaries = summaries(successfulRun(spec));

    assertThat(summaries)
        .containsExactly(
            "Preflight",
            "Create service account",
            "Grant project roles",
            "Create cluster",
            "Delete default node pool",
            "Create node pool workload-services",
            "Create node pool workload-regular-workspaces",
            "Create node pool workload-headless-workspaces",
            "Bind cluster-admin",
            "Verify nodes");
    // The names the progress query, `refarch status` and the RefarchStep attribute use.
    assertThat(summaries)
        .containsExactlyElementsOf(Procedures.plan(spec).stream().map(PlannedStep::title).toList());
  }

  @Test
  void compensatingAndTeardownDeletesAreNamedAsTheTeardownNamesThem() {
    ClusterSpec spec = TestSpecs.gke();
    List<String> compensated = summaries(runFailingAt(spec, "ensureNodePool workload-services"));
    assertThat(compensated)
        .containsExactly(
            "Preflight",
            "Create service account",
            "Grant project roles",
            "Create cluster",
            "Delete default node pool",
            "Create node pool workload-services",
            "Delete node-pool/workload-services",
            "Delete cluster/gitpod",
            "Delete project-roles/gitpod-gke",
            "Delete service-account/gitpod-gke");

    FakeCloud fake = new FakeCloud();
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      TeardownClusterWorkflow wf = h.teardown(spec);
      wf.teardown(spec);
      assertThat(summaries(new Run(h, spec)))
          .containsExactlyElementsOf(
              wf.progress().steps().stream().map(StepProgress::title).toList())
          .contains("Delete node-pool/workload-services", "Delete cluster/gitpod");
    }
  }

  @Test
  void theRunsStaticSummaryNamesCloudClusterRegionAndOwner() {
    assertThat(RunIds.summary(TestSpecs.gke()))
        .isEqualTo("gcp cluster gitpod in us-central1 (project " + TestSpecs.gke().owner() + ")");
    assertThat(RunIds.summary(TestSpecs.eks())).startsWith("aws cluster ").contains("(account ");
    assertThat(RunIds.summary(TestSpecs.aks()))
        .startsWith("azure cluster ")
        .contains("(subscription ");
  }

  /** A finished run's history. */
  private record Run(WorkflowHarness h, ClusterSpec spec) {}

  private static List<HistoryEvent> successfulRun(ClusterSpec spec) {
    try (WorkflowHarness h = new WorkflowHarness(new FakeCloud().activities().toArray())) {
      h.provision(spec).provision(spec);
      return scheduled(h, spec);
    }
  }

  private static List<HistoryEvent> runFailingAt(ClusterSpec spec, String call) {
    FakeCloud fake = new FakeCloud().failPermanently(call, FailureTypes.INVALID_ARGUMENT);
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      assertThat(catchThrowable(() -> h.provision(spec).provision(spec))).isNotNull();
      return scheduled(h, spec);
    }
  }

  private static List<HistoryEvent> scheduled(WorkflowHarness h, ClusterSpec spec) {
    return events(h, spec, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).toList();
  }

  private static List<String> summaries(Run run) {
    return summaries(scheduled(run.h(), run.spec()));
  }

  private static Stream<HistoryEvent> events(WorkflowHarness h, ClusterSpec spec, EventType type) {
    return h.client().fetchHistory(RunIds.workflowId(spec)).getEvents().stream()
        .filter(e -> e.getEventType() == type);
  }

  private static Map<String, Timeouts> timeouts(List<HistoryEvent> scheduled) {
    Map<String, Timeouts> byType = new HashMap<>();
    for (HistoryEvent e : scheduled) {
      ActivityTaskScheduledEventAttributes a = e.getActivityTaskScheduledEventAttributes();
      Timeouts t =
          new Timeouts(
              Duration.ofSeconds(
                  a.getHeartbeatTimeout().getSeconds(), a.getHeartbeatTimeout().getNanos()),
              Duration.ofSeconds(
                  a.getStartToCloseTimeout().getSeconds(), a.getStartToCloseTimeout().getNanos()));
      Timeouts before = byType.put(a.getActivityType().getName(), t);
      assertThat(before).as("every call of a type gets the same timeouts").isIn(null, t);
    }
    return byType;
  }

  private static List<String> summaries(List<HistoryEvent> scheduled) {
    Set<String> missing = new TreeSet<>();
    List<String> out =
        scheduled.stream()
            .map(
                e -> {
                  if (!e.getUserMetadata().hasSummary()) {
                    missing.add(
                        e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
                  }
                  return DefaultDataConverter.newDefaultInstance()
                      .fromPayload(e.getUserMetadata().getSummary(), String.class, String.class);
                })
            .toList();
    assertThat(missing).as("activities scheduled without a summary").isEmpty();
    return out;
  }
}
