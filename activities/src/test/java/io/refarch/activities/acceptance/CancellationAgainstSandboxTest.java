package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run cancelled while GKE is creating a node pool cleans up after itself in the sandbox. */
class CancellationAgainstSandboxTest {
  @TempDir static Path dir;
  private static TestWorkflowEnvironment temporal;
  private static SandboxWorker cloud;

  @BeforeAll
  static void start() throws Exception {
    temporal = SandboxWorker.temporal();
    // Slow operations, so the cancel surely lands while the pool's operation is running.
    cloud = SandboxWorker.start(temporal, dir, Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
    temporal.close();
  }

  @Test
  void cancellingWhileANodePoolIsBeingCreatedCompensatesEverythingAndEndsCancelled()
      throws Exception {
    ClusterSpec spec = SandboxWorker.gkePreset();
    ProvisionClusterWorkflow run = cloud.provision(spec);
    WorkflowClient.start(run::provision, spec);
    String pool = "POST /v1/" + Seed.CLUSTER + "/nodePools workload-regular-workspaces";
    Await.until(() -> cloud.mutations().contains(pool));

    Progress progress = SandboxWorker.cancel(run);
    // Newest first, from at least the pool being created when the cancel came, down to the service
    // account.
    List<String> deleted = progress.deleted();
    assertThat(deleted).hasSizeGreaterThanOrEqualTo(5);
    List<String> newestFirst = new ArrayList<>(Seed.CREATES_IN_ORDER.subList(0, deleted.size()));
    Collections.reverse(newestFirst);
    assertThat(deleted).containsExactlyElementsOf(newestFirst);
    assertThat(cloud.inventory()).isEmpty();
    // GKE refuses to delete a pool while its create runs: the compensation waits for it rather than
    // spending its retries on refused deletes (a real pool can take longer than the retries last).
    assertThat(cloud.mutations())
        .filteredOn(
            m -> m.equals("DELETE /v1/" + Seed.CLUSTER + "/nodePools/workload-regular-workspaces"))
        .hasSize(1);
  }
}
