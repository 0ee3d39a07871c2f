package io.refarch.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.refarch.activities.ActivityConfig;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.WorkerStopping;
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
import io.refarch.workflow.kubernetes.ClusterRef;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import io.refarch.workflow.kubernetes.NodeReport;
import io.refarch.workflow.kubernetes.PoolExpectation;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The in-cluster steps; each attempt opens a client from the cloud ({@link KubeAccess}: endpoint,
 * CA, a fresh token) and closes it after.
 */
public class KubernetesActivitiesImpl implements KubernetesActivities {
  private final NodeCheck nodeCheck;
  private final Supplier<Caller> caller;
  private final KubeAccess access;
  private final WorkerStopping stopping;
  private final URI mirror;

  /**
   * With {@code caller} saying which run calls (tests act as one run) and how to reach clusters.
   */
  public KubernetesActivitiesImpl(
      ActivityConfig config, Supplier<Caller> caller, KubeAccess access) {
    this.nodeCheck = new NodeCheck(config.nodeWait(), config.pollInitial(), config.pollMax());
    this.caller = caller;
    this.access = access;
    this.stopping = config.stopping();
    this.mirror = config.mirror();
  }

  @Override
  public Ensured ensureClusterAdminBinding(ClusterRef cluster, String user) {
    if (user == null || user.isBlank()) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "clusterAdmin: required (the user that gets cluster-admin)");
    }
    return call(
        cluster,
        "creating ClusterRoleBinding " + ClusterAdminBinding.NAME,
        c -> ClusterAdminBinding.ensure(c, user, caller.get()));
  }

  @Override
  public Deletion deleteClusterAdminBinding(ClusterRef cluster) {
    return call(
        cluster,
        "deleting ClusterRoleBinding " + ClusterAdminBinding.NAME,
        c -> ClusterAdminBinding.delete(c, caller.get()));
  }

  @Override
  public NodeReport verifyNodes(ClusterRef cluster, List<PoolExpectation> pools) {
    Heartbeat heartbeat = Heartbeat.ofCurrentActivity(stopping);
    return call(cluster, "checking nodes", c -> nodeCheck.verify(c, pools, heartbeat));
  }

  @Override
  public void deleteAwsNode(ClusterRef cluster) {
    run(cluster, "deleting DaemonSet kube-system/aws-node", AwsNode::delete);
  }

  @Override
  public void ensureTigeraOperator(ClusterRef cluster, AwsOptions.Calico calico) {
    byte[] manifest = OperatorManifest.load(calico, mirror);
    run(cluster, "applying the tigera-operator manifest", c -> TigeraOperator.ensure(c, manifest));
  }

  @Override
  public void deleteTigeraOperator(ClusterRef cluster, AwsOptions.Calico calico) {
    byte[] manifest = OperatorManifest.load(calico, mirror);
    run(cluster, "deleting the tigera-operator manifest", c -> TigeraOperator.delete(c, manifest));
  }

  @Override
  public void ensureCalicoInstallation(ClusterRef cluster) {
    run(cluster, "creating the Calico Installation", CalicoInstallation::ensure);
  }

  @Override
  public void deleteCalicoInstallation(ClusterRef cluster) {
    run(cluster, "deleting the Calico Installation", CalicoInstallation::delete);
  }

  @Override
  public void ensureServiceAccount(
      ClusterRef cluster, String namespace, String name, String roleArn) {
    run(
        cluster,
        "creating ServiceAccount " + namespace + "/" + name,
        c -> IrsaServiceAccount.ensure(c, namespace, name, roleArn));
  }

  @Override
  public void deleteServiceAccount(ClusterRef cluster, String namespace, String name) {
    run(
        cluster,
        "deleting ServiceAccount " + namespace + "/" + name,
        c -> IrsaServiceAccount.delete(c, namespace, name));
  }

  private void run(ClusterRef cluster, String doing, Consumer<KubernetesClient> step) {
    call(
        cluster,
        doing,
        c -> {
          step.accept(c);
          return null;
        });
  }

  private <T> T call(ClusterRef cluster, String doing, Function<KubernetesClient, T> step) {
    try (KubernetesClient client = KubeClients.open(access, cluster)) {
      return step.apply(client);
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(doing, e);
    }
  }
}
