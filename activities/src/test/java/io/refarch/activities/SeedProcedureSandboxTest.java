package io.refarch.activities;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.NodePool;
import io.refarch.workflow.gke.GkeActivities;
import io.refarch.workflow.kubernetes.ClusterRef;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import io.refarch.workflow.kubernetes.NodeReport;
import io.refarch.workflow.kubernetes.PoolExpectation;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GKE seed's whole procedure, step by step, through the activities that {@link Activities}
 * hands a worker, against the sandbox; then the teardown, which leaves nothing behind.
 */
class SeedProcedureSandboxTest {
  @TempDir Path dir;

  @Test
  void provisionsTheSeedsClusterChecksItsNodesAndTearsItAllDown() throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(
            SandboxOptions.defaults(dir.resolve("state"))
                .withOperationDuration(Duration.ofMillis(100)))) {
      ActivityConfig config =
          new ActivityConfig(
              dir.resolve("kubeconfig"),
              GcpConnection.sandbox(sandbox.endpoints().gcpRest(), sandbox.endpoints().iamGrpc()),
              Duration.ofMillis(20),
              Duration.ofMillis(200),
              Duration.ofSeconds(30));
      TestActivityEnvironment env = TestActivityEnvironment.newInstance();
      try {
        env.registerActivitiesImplementations(
            Activities.create(config, () -> new Caller("seed-run", false)).toArray());
        ActivityOptions options =
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .build();
        GkeActivities gke = env.newActivityStub(GkeActivities.class, options);
        KubernetesActivities kube = env.newActivityStub(KubernetesActivities.class, options);
        ClusterSpec spec = SeedSpecs.gke("refarch-seed");

        gke.ensureServiceAccount(spec);
        gke.ensureRoleBindings(spec);
        gke.ensureCluster(spec);
        gke.deleteDefaultNodePool(spec);
        for (NodePool pool : spec.nodePools()) {
          gke.ensureNodePool(spec, pool.name());
        }
        // No kubeconfig is written: the in-cluster steps get the cluster's coordinates only.
        ClusterRef cluster = ClusterRef.of(spec);
        kube.ensureClusterAdminBinding(cluster, spec.clusterAdmin());
        NodeReport report =
            kube.verifyNodes(
                cluster,
                spec.nodePools().stream()
                    .map(p -> new PoolExpectation(p.name(), p.labels(), p.minNodes(), p.maxPods()))
                    .toList());

        assertThat(report.passed()).isTrue();
        assertThat(report.nodes())
            .extracting(NodeReport.Node::pool)
            .containsOnly(
                "workload-services", "workload-regular-workspaces", "workload-headless-workspaces");
        assertThat(sandbox.inventory())
            .anyMatch(l -> l.endsWith("/nodePools/workload-headless-workspaces"))
            .anyMatch(l -> l.contains("cluster-admin-binding"));

        kube.deleteClusterAdminBinding(cluster);
        List<NodePool> newestFirst = new ArrayList<>(spec.nodePools());
        Collections.reverse(newestFirst);
        for (NodePool pool : newestFirst) {
          gke.deleteNodePool(spec, pool.name());
        }
        gke.deleteCluster(spec);
        gke.removeRoleBindings(spec);
        gke.deleteServiceAccount(spec);

        assertThat(sandbox.inventory())
            .noneMatch(l -> l.startsWith("gke ") || l.contains("gitpod-gke@"));
        assertThat(dir.resolve("kubeconfig")).doesNotExist();
      } finally {
        env.close();
      }
    }
  }
}
