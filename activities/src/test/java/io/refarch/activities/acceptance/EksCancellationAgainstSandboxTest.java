package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.sandbox.core.Latency;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run of examples/eks.yaml cancelled while EKS creates its node groups leaves nothing. */
class EksCancellationAgainstSandboxTest {
  @TempDir static Path dir;
  private static TestWorkflowEnvironment temporal;
  private static SandboxWorker cloud;

  @BeforeAll
  static void start() throws Exception {
    temporal = SandboxWorker.temporal();
    // Slow node groups, so the cancel surely lands while they are CREATING, also on a loaded
    // machine (with every operation at 2 s, a slow cancel once came after them).
    cloud =
        SandboxWorker.start(
            temporal,
            dir,
            new Latency(
                Latency.DEFAULT,
                Duration.ofMillis(300),
                Map.of("eks.CREATE_NODEGROUP", Duration.ofSeconds(8)),
                1));
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
    temporal.close();
  }

  @Test
  void cancellingWhileTheNodeGroupsAreBeingCreatedCompensatesEverythingAndEndsCancelled()
      throws Exception {
    ClusterSpec spec = SandboxWorker.eksPreset();
    ProvisionClusterWorkflow run = cloud.provision(spec);
    WorkflowClient.start(run::provision, spec);
    Await.until(
        () ->
            cloud
                .awsMutations()
                .containsAll(List.of("CreateNodegroup services", "CreateNodegroup workspaces")));
    assertThat(cloud.inventory())
        .as("the cancel comes while EKS is still creating the node groups")
        .contains("eks eu-west-1 nodegroup gitpod/services CREATING");

    Progress progress = SandboxWorker.cancel(run);
    // Newest first: the node groups being created (in either order), down to the VPC; between
    // them what the run made in the cluster.
    List<String> deleted = progress.deleted();
    assertThat(deleted.subList(0, 2))
        .containsExactlyInAnyOrder("nodegroup/services", "nodegroup/workspaces");
    List<String> newestFirst = new ArrayList<>(EksSeed.CREATES_IN_ORDER);
    Collections.reverse(newestFirst);
    assertThat(
            EksSeed.byNodeGroupDeletes(
                deleted.stream().filter(EksSeed.CREATES_IN_ORDER::contains).toList()))
        .containsExactlyElementsOf(newestFirst);
    assertThat(cloud.inventory()).isEmpty();
    // EKS refuses to delete a node group while it is CREATING: the compensation waits for it
    // rather than spending its retries on refused deletes, one delete per group.
    assertThat(cloud.awsCalls("DeleteNodegroup")).isEqualTo(2);
  }
}
