package io.refarch.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.refarch.activities.ActivityConfig;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.kubernetes.calico.AwsNode;
import io.refarch.activities.kubernetes.calico.CalicoInstallation;
import io.refarch.activities.kubernetes.calico.OperatorManifest;
import io.refarch.activities.kubernetes.calico.TigeraOperator;
import io.refarch.activities.kubernetes.nodes.NodeCheck;
import io.refarch.activities.kubernetes.rbac.ClusterAdminBinding;
import io.refarch.activities.kubernetes.serviceaccount.IrsaServiceAccount;
import io.refarch.spec.AwsOptions;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import io.refarch.workflow.kubernetes.NodeReport;
import io.refarch.workflow.kubernetes.PoolExpectation;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** The in-cluster steps; each opens a client from the kubeconfig file and closes it after. */
public class KubernetesActivitiesImpl implements KubernetesActivities {
  private final NodeCheck nodeCheck;
  private final Supplier<Caller> caller;

  public KubernetesActivitiesImpl(ActivityConfig config) {
    this(config, Caller::current);
  }

  /** With {@code caller} saying which run calls: tests act as one run. */
  public KubernetesActivitiesImpl(ActivityConfig config, Supplier<Caller> caller) {
    this.nodeCheck = new NodeCheck(config.nodeWait(), config.pollInitial(), config.pollMax());
    this.caller = caller;
  }

  @Override
  public Ensured ensureClusterAdminBinding(KubeconfigRef kubeconfig, String user) {
    if (user == null || user.isBlank()) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "clusterAdmin: required (the user that gets cluster-admin)");
    }
    return call(
        kubeconfig,
        "creating ClusterRoleBinding " + ClusterAdminBinding.NAME,
        c -> ClusterAdminBinding.ensure(c, user, caller.get()));
  }

  @Override
  public Deletion deleteClusterAdminBinding(KubeconfigRef kubeconfig) {
    return call(
        kubeconfig,
        "deleting ClusterRoleBinding " + ClusterAdminBinding.NAME,
        c -> ClusterAdminBinding.delete(c, caller.get()));
  }

  @Override
  public NodeReport verifyNodes(KubeconfigRef kubeconfig, List<PoolExpectation> pools) {
    Heartbeat heartbeat = Heartbeat.ofCurrentActivity();
    return call(kubeconfig, "checking nodes", c -> nodeCheck.verify(c, pools, heartbeat));
  }

  @Override
  public void deleteAwsNode(KubeconfigRef kubeconfig) {
    run(kubeconfig, "deleting DaemonSet kube-system/aws-node", AwsNode::delete);
  }

  @Override
  public void ensureTigeraOperator(KubeconfigRef kubeconfig, AwsOptions.Calico calico) {
    byte[] manifest = OperatorManifest.load(calico);
    run(
        kubeconfig,
        "applying the tigera-operator manifest",
        c -> TigeraOperator.ensure(c, manifest));
  }

  @Override
  public void deleteTigeraOperator(KubeconfigRef kubeconfig, AwsOptions.Calico calico) {
    byte[] manifest = OperatorManifest.load(calico);
    run(
        kubeconfig,
        "deleting the tigera-operator manifest",
        c -> TigeraOperator.delete(c, manifest));
  }

  @Override
  public void ensureCalicoInstallation(KubeconfigRef kubeconfig) {
    run(kubeconfig, "creating the Calico Installation", CalicoInstallation::ensure);
  }

  @Override
  public void deleteCalicoInstallation(KubeconfigRef kubeconfig) {
    run(kubeconfig, "deleting the Calico Installation", CalicoInstallation::delete);
  }

  @Override
  public void ensureServiceAccount(
      KubeconfigRef kubeconfig, String namespace, String name, String roleArn) {
    run(
        kubeconfig,
        "creating ServiceAccount " + namespace + "/" + name,
        c -> IrsaServiceAccount.ensure(c, namespace, name, roleArn));
  }

  @Override
  public void deleteServiceAccount(KubeconfigRef kubeconfig, String namespace, String name) {
    run(
        kubeconfig,
        "deleting ServiceAccount " + namespace + "/" + name,
        c -> IrsaServiceAccount.delete(c, namespace, name));
  }

  private static void run(KubeconfigRef kubeconfig, String doing, Consumer<KubernetesClient> step) {
    call(
        kubeconfig,
        doing,
        c -> {
          step.accept(c);
          return null;
        });
  }

  private static <T> T call(
      KubeconfigRef kubeconfig, String doing, Function<KubernetesClient, T> step) {
    try (KubernetesClient client = KubeClients.open(kubeconfig)) {
      return step.apply(client);
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(doing, e);
    }
  }
}
