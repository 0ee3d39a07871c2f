package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import io.refarch.activities.SeedSpecs;
import io.refarch.activities.gke.Ownership;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.Progress;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gcp.poolsWithCluster} under whole runs of {@code examples/gke.yaml} through the real
 * activities: one {@code clusters.create} that brings the pools, the same end state as the seed's
 * order; a failed create compensated; teardown of a cluster made either way.
 */
class PoolsWithClusterAgainstSandboxTest {
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

  private static ClusterSpec poolsWithCluster() throws Exception {
    return SeedSpecs.withPoolsWithCluster(SandboxWorker.gkePreset());
  }

  @Test
  void oneCreateMakesTheSeedsClusterWithItsPoolsAndTeardownLeavesNothing() throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION)) {
      ClusterSpec spec = poolsWithCluster();

      RunOutcome outcome = cloud.provision(spec).provision(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(outcome.nodes().passed()).isTrue();
      assertThat(cloud.mutations())
          .containsExactly(
              "GRPC /google.iam.admin.v1.IAM/CreateServiceAccount",
              "POST /v3/" + Seed.PROJECT + ":setIamPolicy",
              "POST /v1/" + Seed.PROJECT + "/locations/us-central1/clusters",
              "POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings");
      assertThat(cloud.inventory()).containsExactlyInAnyOrderElementsOf(Seed.INVENTORY);
      try (ClusterManagerClient gke = client(cloud)) {
        Cluster cluster = gke.getCluster(Seed.CLUSTER);
        for (io.refarch.spec.NodePool wanted : spec.nodePools()) {
          NodePool pool =
              cluster.getNodePoolsList().stream()
                  .filter(p -> p.getName().equals(wanted.name()))
                  .findFirst()
                  .orElseThrow();
          assertThat(pool.getConfig().getLabelsMap()).containsAllEntriesOf(wanted.labels());
          assertThat(pool.getConfig().getMachineType()).isEqualTo(wanted.machineType());
          assertThat(pool.getAutoscaling().getEnabled()).isTrue();
          assertThat(pool.getAutoscaling().getMinNodeCount()).isEqualTo(wanted.minNodes());
          assertThat(pool.getAutoscaling().getMaxNodeCount()).isEqualTo(wanted.maxNodes());
          // Marked as a pool created on its own would be: teardown in the seed's order finds it
          // this cluster's.
          assertThat(pool.getConfig().getResourceLabelsMap())
              .containsEntry(Ownership.CLUSTER, "gitpod");
        }
      }

      RunOutcome down = cloud.teardown(spec).teardown(spec);

      assertThat(down.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(down.deleted())
          .containsExactly(
              "cluster/gitpod", "project-roles/gitpod-gke", "service-account/gitpod-gke");
      assertThat(cloud.inventory()).isEmpty();
    }
  }

  @Test
  void aClusterMadeWithItsPoolsIsTornDownInTheSeedsOrderToo() throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION)) {
      ClusterSpec spec = poolsWithCluster();
      assertThat(cloud.provision(spec).provision(spec).result()).isEqualTo(Phase.SUCCEEDED);

      ClusterSpec seedOrder = SandboxWorker.gkePreset();
      RunOutcome down = cloud.teardown(seedOrder).teardown(seedOrder);

      assertThat(down.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(down.deleted())
          .containsExactly(
              "node-pool/workload-headless-workspaces",
              "node-pool/workload-regular-workspaces",
              "node-pool/workload-services",
              "cluster/gitpod",
              "project-roles/gitpod-gke",
              "service-account/gitpod-gke");
      assertThat(cloud.inventory()).isEmpty();
    }
  }

  @Test
  void aFailedCreateIsCompensatedByDeletingTheClusterWithItsPools() throws Exception {
    try (SandboxWorker cloud =
        SandboxWorker.start(
            temporal, dir, OPERATION, "createCluster.done:gitpod=RESOURCE_EXHAUSTED")) {
      ClusterSpec spec = poolsWithCluster();

      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> cloud.provision(spec).provision(spec));

      assertThat(e).as("the run fails").isNotNull();
      RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
      assertThat(outcome.failedStep()).isEqualTo("Create cluster with node pools");
      assertThat(outcome.errorType()).isEqualTo(FailureTypes.QUOTA_EXCEEDED);
      assertThat(outcome.deleted())
          .containsExactly(
              "cluster/gitpod", "project-roles/gitpod-gke", "service-account/gitpod-gke");
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(cloud.inventory()).isEmpty();
    }
  }

  @Test
  void cancellingWhileTheClusterIsCreatedWithItsPoolsDeletesItAndEndsCancelled() throws Exception {
    // Slow operations, so the cancel surely lands while the create is running.
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, Duration.ofSeconds(1))) {
      ClusterSpec spec = poolsWithCluster();
      ProvisionClusterWorkflow run = cloud.provision(spec);
      WorkflowClient.start(run::provision, spec);
      Await.until(
          () ->
              cloud
                  .mutations()
                  .contains("POST /v1/" + Seed.PROJECT + "/locations/us-central1/clusters"));

      Progress progress = SandboxWorker.cancel(run);
      assertThat(progress.deleted())
          .containsExactly(
              "cluster/gitpod", "project-roles/gitpod-gke", "service-account/gitpod-gke");
      assertThat(progress.notDeleted()).isEmpty();
      assertThat(cloud.inventory()).isEmpty();
    }
  }

  @Test
  void anExistingClusterWithoutThePoolsIsRefusedAndKept() throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION)) {
      ClusterSpec spec = poolsWithCluster();
      cloud.createUnlabelledCluster(SandboxWorker.gkePreset());

      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> cloud.provision(spec).provision(spec));

      assertThat(e).as("the run fails").isNotNull();
      RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
      assertThat(outcome.errorType()).isEqualTo(FailureTypes.SPEC_MISMATCH);
      assertThat(outcome.error())
          .contains(
              "without node pools workload-services, workload-regular-workspaces,"
                  + " workload-headless-workspaces");
      assertThat(cloud.inventory())
          .contains("gke " + Seed.CLUSTER, "gke " + Seed.CLUSTER + "/nodePools/default-pool");
      assertThat(cloud.mutations()).noneMatch(m -> m.startsWith("DELETE /v1/" + Seed.CLUSTER));
    }
  }

  private static ClusterManagerClient client(SandboxWorker cloud) throws Exception {
    return ClusterManagerClient.create(
        ClusterManagerSettings.newHttpJsonBuilder()
            .setEndpoint(cloud.sandbox.endpoints().gcpRest())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build());
  }
}
