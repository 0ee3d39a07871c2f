package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.SeedSpecs;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.gke.GkeActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Temporal's retries make of the activities' retryable failures: a busy cluster and a flaky
 * API end in success, with the retry policy a workflow would use.
 */
class GkeRetriesTest {
  private static final String QUEUE = "gke-retries";
  private static final String PROJECT = "refarch-test";

  /** Runs the GKE steps up to the node pools, the pools all at once. */
  @WorkflowInterface
  public interface PoolsAtOnce {
    @WorkflowMethod
    void provision(ClusterSpec spec);
  }

  public static class PoolsAtOnceImpl implements PoolsAtOnce {
    private final GkeActivities gke =
        Workflow.newActivityStub(
            GkeActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(20))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(200))
                        .setBackoffCoefficient(1.5)
                        .setMaximumInterval(Duration.ofSeconds(1))
                        .setMaximumAttempts(60)
                        .setDoNotRetry(FailureTypes.PERMANENT.toArray(String[]::new))
                        .build())
                .build());

    @Override
    public void provision(ClusterSpec spec) {
      gke.ensureServiceAccount(spec);
      gke.ensureRoleBindings(spec);
      gke.ensureCluster(spec);
      gke.deleteDefaultNodePool(spec);
      List<Promise<Void>> pools =
          spec.nodePools().stream()
              .map(p -> Async.procedure(gke::ensureNodePool, spec, p.name()))
              .toList();
      Promise.allOf(pools).get();
    }
  }

  @TempDir Path dir;
  private GkeSandbox sandbox;
  private TestWorkflowEnvironment env;
  private GkeActivitiesImpl impl;

  private PoolsAtOnce start(String... faults) throws Exception {
    sandbox = GkeSandbox.start(dir, Duration.ofMillis(500), faults);
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(PoolsAtOnceImpl.class);
    impl = new GkeActivitiesImpl(sandbox.config, () -> GkeActivitiesSandboxTest.RUN);
    worker.registerActivitiesImplementations(impl);
    env.start();
    return env.getWorkflowClient()
        .newWorkflowStub(
            PoolsAtOnce.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
  }

  @AfterEach
  void stop() throws Exception {
    if (env != null) {
      env.close();
    }
    if (impl != null) {
      impl.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void poolsCreatedAtOnceAllEndUpRunningThroughRetries() throws Exception {
    PoolsAtOnce workflow = start();
    ClusterSpec spec = SeedSpecs.gke(PROJECT);

    workflow.provision(spec);

    ClusterPath path = ClusterPath.of(spec);
    assertThat(sandbox.inventory())
        .contains(
            "gke " + path.nodePool("workload-services"),
            "gke " + path.nodePool("workload-regular-workspaces"),
            "gke " + path.nodePool("workload-headless-workspaces"))
        .noneMatch(line -> line.endsWith("/nodePools/default-pool"));
    // GKE (and the sandbox) take one operation per cluster: some creates were refused and retried.
    assertThat(sandbox.requests("POST", path.name() + "/nodePools")).isGreaterThan(3);
  }

  @Test
  void transientFaultsAreRetriedUntilTheyPass() throws Exception {
    PoolsAtOnce workflow =
        start(
            "createServiceAccount=UNAVAILABLEx3",
            "getOperation=UNAVAILABLEx3",
            "setIamPolicy=ABORTEDx2");
    ClusterSpec spec = SeedSpecs.gke(PROJECT);

    workflow.provision(spec);

    assertThat(sandbox.inventory())
        .contains("gke " + ClusterPath.of(spec).nodePool("workload-services"));
    assertThat(sandbox.requests("GRPC", "/google.iam.admin.v1.IAM/CreateServiceAccount"))
        .isEqualTo(4);
  }
}
