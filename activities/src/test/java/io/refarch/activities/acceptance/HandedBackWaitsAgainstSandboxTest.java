package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.OperationTiming;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunOutcome;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that hands every wait back to the server: while the cloud works, a run holds no activity
 * slot, so runs do not queue behind runs that merely wait; each read is an attempt the server
 * schedules, and the run's history does not grow with them.
 */
class HandedBackWaitsAgainstSandboxTest {
  /** Long enough that every operation is read several times, each read a new attempt. */
  private static final Latency LATENCY = Latency.flat(Duration.ofMillis(1500));

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
  void twoRunsOnOneActivitySlotWaitForTheirClustersAtTheSameTime() throws Exception {
    WorkerOptions oneSlot =
        WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(1).build();
    try (SandboxWorker cloud =
        SandboxWorker.handingBackWaits(temporal, dir.resolve("two"), LATENCY, oneSlot)) {
      ClusterSpec first = preset("fleet-a");
      ClusterSpec second = preset("fleet-b");
      ProvisionClusterWorkflow a = cloud.provision(first);
      ProvisionClusterWorkflow b = cloud.provision(second);
      CompletableFuture<RunOutcome> runA = WorkflowClient.execute(a::provision, first);
      CompletableFuture<RunOutcome> runB = WorkflowClient.execute(b::provision, second);

      assertThat(runA.get().result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(runB.get().result()).isEqualTo(Phase.SUCCEEDED);

      // With the one slot held through each wait, the second create could only start once the
      // first had been seen done; handed back, both clusters are made at once.
      List<OperationTiming> creates =
          cloud.operationTimings().stream()
              .filter(t -> t.kind().equals("gke.CREATE_CLUSTER"))
              .toList();
      assertThat(creates).hasSize(2);
      assertThat(creates.get(1).started()).isBefore(creates.get(0).ended());
    }
  }

  @Test
  void eachReadIsAnAttemptThatNeitherRepeatsTheCreateNorGrowsTheHistory() throws Exception {
    try (SandboxWorker cloud =
        SandboxWorker.handingBackWaits(
            temporal, dir.resolve("one"), LATENCY, WorkerOptions.getDefaultInstance())) {
      ClusterSpec spec = SandboxWorker.gkePreset();

      RunOutcome outcome = cloud.provision(spec).provision(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(outcome.nodes().passed()).isTrue();
      assertThat(cloud.inventory()).containsExactlyInAnyOrderElementsOf(Seed.INVENTORY);
      assertThat(cloud.mutations())
          .filteredOn(m -> m.startsWith("POST /v1/" + Seed.PROJECT))
          .as("one create of the cluster and of each pool")
          .hasSize(1 + spec.nodePools().size());
      List<HistoryEvent> history =
          cloud.client().fetchHistory(RunIds.workflowId(spec)).getHistory().getEventsList();
      int createAttempt =
          history.stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
              .mapToInt(e -> e.getActivityTaskStartedEventAttributes().getAttempt())
              .max()
              .orElseThrow();
      assertThat(createAttempt).as("the waits were read over several attempts").isGreaterThan(3);
      assertThat(history)
          .as("no attempt report per read")
          .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
      assertThat(history.size()).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void eksAndAksWaitTheSameWayAndCreateEachResourceOnce() throws Exception {
    // The node groups' creates resume by describing them, the AKS operations by reading the URL
    // the heartbeat kept: no create is sent twice.
    try (SandboxWorker cloud =
        SandboxWorker.handingBackWaits(
            temporal, dir.resolve("eks"), LATENCY, WorkerOptions.getDefaultInstance())) {
      ClusterSpec eks = SandboxWorker.eksPreset();
      assertThat(cloud.provision(eks).provision(eks).result()).isEqualTo(Phase.SUCCEEDED);
      // Each read of the NAT gateway runs the network step again, which sets the VPC's DNS
      // attributes again (idempotent writes); everything else is sent once.
      assertThat(withoutVpcAttributes(cloud.awsMutations()))
          .containsExactlyElementsOf(withoutVpcAttributes(EksSeed.MUTATIONS));
    }
    try (SandboxWorker cloud =
        SandboxWorker.handingBackWaits(
            temporal, dir.resolve("aks"), LATENCY, WorkerOptions.getDefaultInstance())) {
      ClusterSpec aks = SandboxWorker.aksPreset();
      assertThat(cloud.provision(aks).provision(aks).result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(cloud.azureMutations()).containsExactlyElementsOf(AksSeed.MUTATIONS);
    }
  }

  private static List<String> withoutVpcAttributes(List<String> mutations) {
    return mutations.stream().filter(m -> !m.equals("ModifyVpcAttribute")).toList();
  }

  /** examples/gke.yaml as a cluster and project of their own. */
  private static ClusterSpec preset(String name) throws Exception {
    String yaml =
        Files.readString(Path.of("../examples/gke.yaml"))
            .replace("name: gitpod", "name: " + name)
            .replace("project: my-gcp-project", "project: " + name + "-project");
    Path file = Files.createTempFile(name, ".yaml");
    Files.writeString(file, yaml);
    return Specs.load(file);
  }
}
