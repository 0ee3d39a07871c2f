package io.refarch.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.fakes.FakeCloud;
import io.refarch.workflow.fakes.TestSpecs;
import io.refarch.workflow.fakes.WorkflowHarness;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays histories recorded from earlier versions of the workflow code. A change that would make
 * running workflows non-deterministic (a new step, a reordering without Workflow.getVersion) fails
 * here. The files without a suffix were recorded before runs stopped writing a kubeconfig on a
 * worker (they take the old side of {@code ClusterAccess.NO_KUBECONFIG_STEP}); those with {@code
 * -no-kubeconfig} after, and before preflight became the first step; those with {@code -preflight}
 * after that ({@code GkeProcedure.PREFLIGHT_FIRST}). Never re-record old files: record the current
 * version's under a new suffix when a change is intended and versioned ({@link #record} writes only
 * the newest): {@code ./mvnw -B -o -pl workflows test -Dtest=ReplayTest
 * -Drefarch.recordHistories=true}.
 */
class ReplayTest {
  private static final Path HISTORIES = Path.of("src/test/resources/histories");

  /** The suffix of the histories the current workflow code records. */
  private static final String NEWEST = "-preflight";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gke-provision-succeeded.json",
        "gke-provision-compensated.json",
        "gke-teardown.json",
        "gke-provision-succeeded-no-kubeconfig.json",
        "gke-provision-compensated-no-kubeconfig.json",
        "gke-teardown-no-kubeconfig.json",
        "gke-provision-succeeded-preflight.json",
        "gke-provision-compensated-preflight.json",
        "gke-teardown-preflight.json",
        "gke-provision-succeeded-pools-with-cluster.json",
        "gke-provision-compensated-pools-with-cluster.json",
        "gke-teardown-pools-with-cluster.json",
        // gke-provision-succeeded-preflight.json with gcp.poolsWithCluster: true written into its
        // input: a run a worker older than the option made in the seed's order (GkeProcedure
        // .POOLS_WITH_CLUSTER).
        "gke-provision-succeeded-pools-option-on-older-worker.json",
        // EKS, recorded before its preflight step (EksProcedure.PREFLIGHT_FIRST) and after.
        "eks-provision-succeeded.json",
        "eks-provision-compensated.json",
        "eks-teardown.json",
        "eks-provision-succeeded-preflight.json",
        "eks-provision-compensated-preflight.json",
        "eks-teardown-preflight.json"
      })
  void recordedHistoriesReplay(String file) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/" + file, ProvisionClusterWorkflowImpl.class, TeardownClusterWorkflowImpl.class);
  }

  @Test
  @EnabledIfSystemProperty(named = "refarch.recordHistories", matches = "true")
  void record() throws Exception {
    ClusterSpec spec = TestSpecs.gke();
    record(
        "gke-provision-succeeded" + NEWEST + ".json",
        new FakeCloud(),
        h -> h.provision(spec).provision(spec));
    record(
        "gke-provision-compensated" + NEWEST + ".json",
        new FakeCloud()
            .failPermanently(
                "ensureNodePool workload-headless-workspaces", FailureTypes.QUOTA_EXCEEDED)
            .failTransiently("deleteCluster", 1),
        h -> {
          try {
            h.provision(spec).provision(spec);
          } catch (RuntimeException expected) {
            // recorded for its compensation
          }
        });
    record(
        "gke-teardown" + NEWEST + ".json", new FakeCloud(), h -> h.teardown(spec).teardown(spec));
  }

  /**
   * The gcp.poolsWithCluster branch's runs: {@code -Drefarch.recordHistories=pools-with-cluster}.
   */
  @Test
  @EnabledIfSystemProperty(named = "refarch.recordHistories", matches = "pools-with-cluster")
  void recordPoolsWithCluster() throws Exception {
    ClusterSpec spec = TestSpecs.gkePoolsWithCluster();
    String suffix = "-pools-with-cluster.json";
    record(
        "gke-provision-succeeded" + suffix,
        new FakeCloud(),
        h -> h.provision(spec).provision(spec));
    record(
        "gke-provision-compensated" + suffix,
        new FakeCloud()
            .failPermanently("verifyNodes", FailureTypes.NODE_CHECK_FAILED)
            .failTransiently("deleteCluster", 1),
        h -> {
          try {
            h.provision(spec).provision(spec);
          } catch (RuntimeException expected) {
            // recorded for its compensation
          }
        });
    record("gke-teardown" + suffix, new FakeCloud(), h -> h.teardown(spec).teardown(spec));
  }

  /**
   * EKS's runs: {@code -Drefarch.recordHistories=eks}, under {@code -Drefarch.historySuffix} (none:
   * recorded before EKS's preflight step, {@code -preflight} after {@code
   * EksProcedure.PREFLIGHT_FIRST}).
   */
  @Test
  @EnabledIfSystemProperty(named = "refarch.recordHistories", matches = "eks")
  void recordEks() throws Exception {
    ClusterSpec spec = TestSpecs.eks();
    String suffix = System.getProperty("refarch.historySuffix", "-preflight") + ".json";
    record(
        "eks-provision-succeeded" + suffix,
        spec,
        new FakeCloud(),
        h -> h.provision(spec).provision(spec));
    record(
        "eks-provision-compensated" + suffix,
        spec,
        new FakeCloud()
            .failPermanently("ensureNodeGroup headless", FailureTypes.QUOTA_EXCEEDED)
            .failTransiently("deleteControlPlane", 1),
        h -> {
          try {
            h.provision(spec).provision(spec);
          } catch (RuntimeException expected) {
            // recorded for its compensation
          }
        });
    record("eks-teardown" + suffix, spec, new FakeCloud(), h -> h.teardown(spec).teardown(spec));
  }

  private void record(String file, FakeCloud fake, java.util.function.Consumer<WorkflowHarness> run)
      throws Exception {
    record(file, TestSpecs.gke(), fake, run);
  }

  private void record(
      String file,
      ClusterSpec spec,
      FakeCloud fake,
      java.util.function.Consumer<WorkflowHarness> run)
      throws Exception {
    if (Files.exists(HISTORIES.resolve(file))) {
      throw new IllegalStateException(file + " exists: record the new version under a new suffix");
    }
    try (WorkflowHarness h = new WorkflowHarness(fake.activities().toArray())) {
      run.accept(h);
      WorkflowExecutionHistory history = h.client().fetchHistory(RunIds.workflowId(spec));
      Files.createDirectories(HISTORIES);
      Files.writeString(HISTORIES.resolve(file), history.toJson(true));
      assertThat(history.getEvents()).isNotEmpty();
    }
  }
}
