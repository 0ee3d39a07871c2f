package io.refarch.cli;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.gke.GkeActivities;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.temporal.activity.Activity;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The fake GKE activities, but Create cluster is held until the test releases it, the way a real
 * cluster takes minutes; then it heartbeats, which is how it learns its run was cancelled.
 */
final class HeldCluster implements GkeActivities {
  private final GkeActivities fake;
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  HeldCluster(GkeActivities fake) {
    this.fake = fake;
  }

  boolean awaitStarted() throws InterruptedException {
    return started.await(60, TimeUnit.SECONDS);
  }

  void release() {
    released.countDown();
  }

  @Override
  public PreflightReport preflight(ClusterSpec spec) {
    return fake.preflight(spec);
  }

  @Override
  public Ensured ensureCluster(ClusterSpec spec) {
    started.countDown();
    try {
      released.await(120, TimeUnit.SECONDS);
      for (int i = 0; i < 20; i++) {
        Activity.getExecutionContext().heartbeat(null);
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return fake.ensureCluster(spec);
  }

  public Ensured ensureClusterWithNodePools(ClusterSpec s) {
    return fake.ensureClusterWithNodePools(s);
  }

  public Ensured ensureServiceAccount(ClusterSpec s) {
    return fake.ensureServiceAccount(s);
  }

  public Deletion deleteServiceAccount(ClusterSpec s) {
    return fake.deleteServiceAccount(s);
  }

  public Ensured ensureRoleBindings(ClusterSpec s) {
    return fake.ensureRoleBindings(s);
  }

  public Deletion removeRoleBindings(ClusterSpec s) {
    return fake.removeRoleBindings(s);
  }

  public Deletion deleteCluster(ClusterSpec s) {
    return fake.deleteCluster(s);
  }

  public void deleteDefaultNodePool(ClusterSpec s) {
    fake.deleteDefaultNodePool(s);
  }

  public Ensured ensureNodePool(ClusterSpec s, String pool) {
    return fake.ensureNodePool(s, pool);
  }

  public Deletion deleteNodePool(ClusterSpec s, String pool) {
    return fake.deleteNodePool(s, pool);
  }

  public KubeconfigRef writeKubeconfig(ClusterSpec s) {
    return fake.writeKubeconfig(s);
  }

  public void deleteKubeconfig(ClusterSpec s) {
    fake.deleteKubeconfig(s);
  }
}
