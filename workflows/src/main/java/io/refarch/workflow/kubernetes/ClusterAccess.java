package io.refarch.workflow.kubernetes;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Procedure.Provisioned;
import io.refarch.workflow.Step;
import io.refarch.workflow.Steps;
import io.refarch.workflow.Versions;

/** The last two steps of every cloud's procedure, once the nodes are asked for. */
public final class ClusterAccess {
  /**
   * The change after which runs write no kubeconfig on a worker: the in-cluster steps reach the
   * cluster by its coordinates, and people get a kubeconfig with {@code refarch kubeconfig}. The
   * step is dropped, not kept as a harmless output, because a file with a one-hour token on
   * whichever worker ran it serves nobody. Runs recorded before it keep the step, so their
   * histories replay.
   */
  public static final String NO_KUBECONFIG_STEP = "cluster-access-from-cloud";

  private ClusterAccess() {}

  /** Whether this run still writes a kubeconfig on a worker (runs started before the change). */
  public static boolean writesKubeconfig(Steps steps) {
    return steps.version(NO_KUBECONFIG_STEP, 1) == Versions.BEFORE;
  }

  /**
   * The seed's {@code kubectl create clusterrolebinding cluster-admin-binding} for the spec's user,
   * then the node check of {@code kubectl get nodes -o custom-columns=...}. The steps reach the
   * cluster by its coordinates; {@code kubeconfig} is only what runs of older versions wrote on a
   * worker (null for runs that no longer write one), reported in the outcome.
   */
  public static Provisioned bindAdminAndVerifyNodes(
      ClusterSpec spec, Steps steps, KubernetesActivities kube, KubeconfigRef kubeconfig) {
    ClusterRef cluster = ClusterRef.of(spec);
    steps.createInCluster(
        Step.of(
            "Bind cluster-admin",
            "cluster-role-binding/cluster-admin-binding",
            "ClusterRoleBinding cluster-admin-binding: cluster-admin to user "
                + spec.clusterAdmin()),
        () -> kube.ensureClusterAdminBinding(cluster, spec.clusterAdmin()),
        () -> kube.deleteClusterAdminBinding(cluster));
    NodeReport nodes =
        steps.perform(
            Step.of("Verify nodes", "nodes/" + spec.name(), PoolExpectations.describe(spec)),
            () -> kube.verifyNodes(cluster, PoolExpectations.of(spec)));
    return new Provisioned(kubeconfig, nodes);
  }
}
