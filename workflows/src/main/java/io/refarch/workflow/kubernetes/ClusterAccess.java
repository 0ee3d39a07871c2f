package io.refarch.workflow.kubernetes;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Procedure.Provisioned;
import io.refarch.workflow.Step;
import io.refarch.workflow.Steps;

/** The last two steps of every cloud's procedure, once the kubeconfig is written. */
public final class ClusterAccess {
  private ClusterAccess() {}

  /**
   * The seed's {@code kubectl create clusterrolebinding cluster-admin-binding} for the spec's user,
   * then the node check of {@code kubectl get nodes -o custom-columns=...}.
   */
  public static Provisioned bindAdminAndVerifyNodes(
      ClusterSpec spec, Steps steps, KubernetesActivities kube, KubeconfigRef kubeconfig) {
    steps.createInCluster(
        Step.of(
            "Bind cluster-admin",
            "cluster-role-binding/cluster-admin-binding",
            "ClusterRoleBinding cluster-admin-binding: cluster-admin to user "
                + spec.clusterAdmin()),
        () -> kube.ensureClusterAdminBinding(kubeconfig, spec.clusterAdmin()),
        () -> kube.deleteClusterAdminBinding(kubeconfig));
    NodeReport nodes =
        steps.perform(
            Step.of("Verify nodes", "nodes/" + spec.name(), PoolExpectations.describe(spec)),
            () -> kube.verifyNodes(kubeconfig, PoolExpectations.of(spec)));
    return new Provisioned(kubeconfig, nodes);
  }
}
