package io.refarch.activities.gke;

import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import io.refarch.activities.ActivityConfig;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.gke.cluster.ClusterManagerClusters;
import io.refarch.activities.gke.cluster.ClusterReconciler;
import io.refarch.activities.gke.cluster.ClusterRequest;
import io.refarch.activities.gke.kubeconfig.AccessTokens;
import io.refarch.activities.gke.kubeconfig.ApplicationDefaultTokens;
import io.refarch.activities.gke.kubeconfig.KubeconfigFiles;
import io.refarch.activities.gke.nodepool.ClusterManagerNodePools;
import io.refarch.activities.gke.nodepool.NodePoolReconciler;
import io.refarch.activities.gke.nodepool.NodePoolRequest;
import io.refarch.activities.gke.operation.ClusterManagerOperations;
import io.refarch.activities.gke.operation.OperationWaiter;
import io.refarch.activities.gke.rolebindings.ResourceManagerProjectPolicies;
import io.refarch.activities.gke.rolebindings.RoleBindingReconciler;
import io.refarch.activities.gke.serviceaccount.IamServiceAccounts;
import io.refarch.activities.gke.serviceaccount.ServiceAccountReconciler;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.gke.GkeActivities;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The GKE activities: each call delegates to the reconciler of its resource. */
public class GkeActivitiesImpl implements GkeActivities, AutoCloseable {
  private final ActivityConfig config;
  private final KubeconfigFiles kubeconfigs;
  private final Supplier<Caller> caller;
  private GcpClients clients;
  private Reconcilers reconcilers;
  private GkePreflight preflight;

  public GkeActivitiesImpl(ActivityConfig config) {
    this(config, Caller::current);
  }

  /** With {@code caller} saying which run calls: tests act as one run, or as a teardown. */
  public GkeActivitiesImpl(ActivityConfig config, Supplier<Caller> caller) {
    this.config = config;
    this.kubeconfigs = new KubeconfigFiles(config.kubeconfigDir());
    this.caller = caller;
  }

  private record Reconcilers(
      ServiceAccountReconciler serviceAccounts,
      RoleBindingReconciler roleBindings,
      ClusterReconciler clusters,
      NodePoolReconciler nodePools,
      AccessTokens tokens) {}

  /** Clients are made on first use so a worker serving only EKS needs no Google credentials. */
  private synchronized Reconcilers reconcilers() {
    if (reconcilers == null) {
      clients = GcpClients.connect(config.gcp());
      OperationWaiter waiter =
          new OperationWaiter(
              new ClusterManagerOperations(clients.clusterManager), config.operationPolls());
      reconcilers =
          new Reconcilers(
              new ServiceAccountReconciler(new IamServiceAccounts(clients.iam)),
              new RoleBindingReconciler(new ResourceManagerProjectPolicies(clients.projects)),
              new ClusterReconciler(new ClusterManagerClusters(clients.clusterManager), waiter),
              new NodePoolReconciler(new ClusterManagerNodePools(clients.clusterManager), waiter),
              // Only for runs started before runs stopped writing kubeconfigs.
              new ApplicationDefaultTokens(config.gcp().clusterCredentials()));
    }
    return reconcilers;
  }

  /** A failed check fails the step for good: what it found needs a person, not another attempt. */
  @Override
  public PreflightReport preflight(ClusterSpec spec) {
    checkGcp(spec);
    GkePreflight checks;
    synchronized (this) {
      if (preflight == null) {
        preflight = new GkePreflight(config.gcp());
      }
      checks = preflight;
    }
    PreflightReport report = checks.check(spec);
    if (!report.ok()) {
      throw ApplicationFailure.newNonRetryableFailure(
          report.summary(), FailureTypes.PREFLIGHT_FAILED, report);
    }
    return report;
  }

  @Override
  public Ensured ensureServiceAccount(ClusterSpec spec) {
    checkGcp(spec);
    return reconcilers()
        .serviceAccounts()
        .ensure(
            spec.gcp().project(),
            spec.gcp().serviceAccount(),
            ClusterPath.of(spec).name(),
            caller.get());
  }

  @Override
  public Deletion deleteServiceAccount(ClusterSpec spec) {
    checkGcp(spec);
    return reconcilers()
        .serviceAccounts()
        .delete(spec.gcp().project(), spec.gcp().serviceAccount(), keepAccount(spec));
  }

  @Override
  public Ensured ensureRoleBindings(ClusterSpec spec) {
    checkGcp(spec);
    return reconcilers().roleBindings().ensure(spec.gcp().project(), member(spec), roles(spec));
  }

  @Override
  public Deletion removeRoleBindings(ClusterSpec spec) {
    checkGcp(spec);
    return reconcilers()
        .roleBindings()
        .remove(spec.gcp().project(), member(spec), roles(spec), keepAccount(spec));
  }

  /** The account and its roles are the project's, shared by every cluster that relies on it. */
  private Optional<String> keepAccount(ClusterSpec spec) {
    ClusterPath path = ClusterPath.of(spec);
    return reconcilers()
        .serviceAccounts()
        .keepReason(
            spec.gcp().project(),
            spec.gcp().serviceAccount(),
            path.cluster(),
            path.location(),
            caller.get(),
            reconcilers().clusters()::inProject);
  }

  @Override
  public Ensured ensureCluster(ClusterSpec spec) {
    checkGcp(spec);
    Caller run = caller.get();
    Cluster wanted =
        ClusterRequest.of(spec, email(spec)).toBuilder()
            .putAllResourceLabels(Ownership.labels(spec, run))
            .build();
    return reconcilers()
        .clusters()
        .ensure(ClusterPath.of(spec), wanted, run, Heartbeat.ofCurrentActivity(config.stopping()));
  }

  /** The pools carry the same ownership marks as when created one by one. */
  @Override
  public Ensured ensureClusterWithNodePools(ClusterSpec spec) {
    checkGcp(spec);
    Caller run = caller.get();
    Map<String, String> marks = Ownership.labels(spec, run);
    List<NodePool> pools =
        spec.nodePools() == null
            ? List.of()
            : spec.nodePools().stream()
                .map(p -> marked(NodePoolRequest.of(spec, p.name()), marks))
                .toList();
    Cluster wanted =
        ClusterRequest.withNodePools(spec, pools).toBuilder().putAllResourceLabels(marks).build();
    ClusterPath path = ClusterPath.of(spec);
    Ensured cluster =
        reconcilers()
            .clusters()
            .ensure(path, wanted, run, Heartbeat.ofCurrentActivity(config.stopping()));
    reconcilers().clusters().checkNodePools(path, pools);
    return cluster;
  }

  @Override
  public Deletion deleteCluster(ClusterSpec spec) {
    checkGcp(spec);
    return reconcilers()
        .clusters()
        .delete(ClusterPath.of(spec), caller.get(), Heartbeat.ofCurrentActivity(config.stopping()));
  }

  /**
   * GKE's default pool carries no labels of refarch's: it may go when the cluster is one refarch
   * made for this spec, not from a cluster refarch found and adopted.
   */
  @Override
  public void deleteDefaultNodePool(ClusterSpec spec) {
    checkGcp(spec);
    ClusterPath path = ClusterPath.of(spec);
    Cluster cluster = reconcilers().clusters().describe(path);
    if (!spec.name().equals(cluster.getResourceLabelsMap().get(Ownership.CLUSTER))) {
      Heartbeat.ofCurrentActivity(config.stopping())
          .beat("kept " + NodePoolRequest.DEFAULT_POOL + ": the cluster was not made by refarch");
      return;
    }
    reconcilers()
        .nodePools()
        .delete(
            path,
            NodePoolRequest.DEFAULT_POOL,
            Heartbeat.ofCurrentActivity(config.stopping()),
            pool -> Optional.empty());
  }

  @Override
  public Ensured ensureNodePool(ClusterSpec spec, String pool) {
    checkGcp(spec);
    checkPool(spec, pool);
    Caller run = caller.get();
    NodePool wanted = marked(NodePoolRequest.of(spec, pool), Ownership.labels(spec, run));
    return reconcilers()
        .nodePools()
        .ensure(ClusterPath.of(spec), wanted, run, Heartbeat.ofCurrentActivity(config.stopping()));
  }

  @Override
  public Deletion deleteNodePool(ClusterSpec spec, String pool) {
    checkGcp(spec);
    return reconcilers()
        .nodePools()
        .delete(
            ClusterPath.of(spec),
            pool,
            caller.get(),
            Heartbeat.ofCurrentActivity(config.stopping()));
  }

  @Override
  public KubeconfigRef writeKubeconfig(ClusterSpec spec) {
    checkGcp(spec);
    ClusterPath path = ClusterPath.of(spec);
    Cluster cluster = reconcilers().clusters().describe(path);
    if (cluster.getEndpoint().isEmpty()
        || cluster.getMasterAuth().getClusterCaCertificate().isEmpty()) {
      throw Failures.retryable(
          Failures.NOT_READY, "cluster " + spec.name() + " has no endpoint yet");
    }
    String contextName = "gke_" + path.project() + "_" + path.location() + "_" + path.cluster();
    String content =
        KubeconfigFiles.render(
            contextName,
            "https://" + cluster.getEndpoint(),
            cluster.getMasterAuth().getClusterCaCertificate(),
            reconcilers().tokens().token());
    Path file = kubeconfigs.write(kubeconfigPath(spec), content);
    return new KubeconfigRef(file.toString());
  }

  @Override
  public void deleteKubeconfig(ClusterSpec spec) {
    checkGcp(spec);
    kubeconfigs.delete(kubeconfigPath(spec));
  }

  private static NodePool marked(NodePool pool, Map<String, String> marks) {
    return pool.toBuilder()
        .setConfig(pool.getConfig().toBuilder().putAllResourceLabels(marks))
        .build();
  }

  private Path kubeconfigPath(ClusterSpec spec) {
    return kubeconfigs.path("gke", spec.gcp().project(), spec.region(), spec.name());
  }

  private static String email(ClusterSpec spec) {
    return ServiceAccountReconciler.email(spec.gcp().project(), spec.gcp().serviceAccount());
  }

  private static String member(ClusterSpec spec) {
    return "serviceAccount:" + email(spec);
  }

  private static List<String> roles(ClusterSpec spec) {
    return spec.gcp().serviceAccountRoles() == null ? List.of() : spec.gcp().serviceAccountRoles();
  }

  private static void checkGcp(ClusterSpec spec) {
    if (spec == null || spec.gcp() == null) {
      throw Failures.permanent(FailureTypes.INVALID_ARGUMENT, "gcp: required for a GKE cluster");
    }
    if (spec.gcp().project() == null
        || spec.gcp().serviceAccount() == null
        || spec.region() == null
        || spec.name() == null) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "name, region, gcp.project and gcp.serviceAccount are required for a GKE cluster");
    }
  }

  private static void checkPool(ClusterSpec spec, String pool) {
    if (spec.nodePools() == null
        || spec.nodePools().stream().noneMatch(p -> p.name().equals(pool))) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT, "nodePools: no node pool named " + pool);
    }
  }

  @Override
  public synchronized void close() {
    if (clients != null) {
      clients.close();
    }
    if (preflight != null) {
      preflight.close();
    }
  }
}
