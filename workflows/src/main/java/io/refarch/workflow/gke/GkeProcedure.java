package io.refarch.workflow.gke;

import io.refarch.spec.ClusterSpec;
import io.refarch.spec.GcpOptions;
import io.refarch.spec.NodePool;
import io.refarch.workflow.Procedure;
import io.refarch.workflow.Step;
import io.refarch.workflow.Steps;
import io.refarch.workflow.Versions;
import io.refarch.workflow.kubernetes.ClusterAccess;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.refarch.workflow.kubernetes.KubernetesActivities;

/** The GCP section of the reference architecture, step for step. */
public final class GkeProcedure implements Procedure {
  private final GkeActivities gke;
  private final KubernetesActivities kube;

  /**
   * The change that made preflight the first step: runs started before it replay without the step.
   */
  public static final String PREFLIGHT_FIRST = "preflight-first";

  /**
   * The change that added gcp.poolsWithCluster. Asked only when the option is set, so runs without
   * it record no marker and replay as before. A run that has the option but no marker was started
   * on a worker older than the option, which ignored it and took the seed's order: it replays so.
   */
  public static final String POOLS_WITH_CLUSTER = "pools-with-cluster";

  public GkeProcedure(GkeActivities gke, KubernetesActivities kube) {
    this.gke = gke;
    this.kube = kube;
  }

  @Override
  public Provisioned run(ClusterSpec spec, Steps steps) {
    GcpOptions gcp = spec.gcp();
    String email = GcpOptions.email(gcp.project(), gcp.serviceAccount());

    if (steps.version(PREFLIGHT_FIRST, 1) != Versions.BEFORE) {
      // Before anything is created: what would otherwise fail twenty minutes in.
      steps.perform(
          Step.of(
              "Preflight",
              "preflight/" + spec.name(),
              "changes nothing: credentials; serviceusage.services.get container, iam,"
                  + " cloudresourcemanager; serverConfig offers "
                  + spec.kubernetesVersion()
                  + "; regions.get "
                  + spec.region()
                  + " CPU quotas cover the pools' initial nodes; clusters.get "
                  + spec.name()
                  + " absent or of this spec"),
          () -> gke.preflight(spec));
    }
    steps.create(
        Step.of(
            "Create service account",
            "service-account/" + gcp.serviceAccount(),
            "iam.serviceAccounts.create " + email),
        () -> gke.ensureServiceAccount(spec),
        () -> gke.deleteServiceAccount(spec));
    steps.create(
        Step.of(
            "Grant project roles",
            "project-roles/" + gcp.serviceAccount(),
            "projects.setIamPolicy "
                + gcp.project()
                + " serviceAccount:"
                + email
                + " "
                + String.join(",", gcp.serviceAccountRoles())),
        () -> gke.ensureRoleBindings(spec),
        () -> gke.removeRoleBindings(spec));
    if (GcpOptions.poolsWithCluster(gcp)
        && steps.version(POOLS_WITH_CLUSTER, 1) != Versions.BEFORE) {
      // One operation: the pools come with the cluster, and go with it.
      steps.create(
          Step.of(
              "Create cluster with node pools",
              "cluster/" + spec.name(),
              clusterWithPoolsRequest(spec)),
          () -> gke.ensureClusterWithNodePools(spec),
          () -> gke.deleteCluster(spec));
    } else {
      steps.create(
          Step.of("Create cluster", "cluster/" + spec.name(), clusterRequest(spec)),
          () -> gke.ensureCluster(spec),
          () -> gke.deleteCluster(spec));
      steps.perform(
          Step.of(
              "Delete default node pool",
              "node-pool/default-pool",
              "nodePools.delete " + spec.name() + "/default-pool"),
          () -> gke.deleteDefaultNodePool(spec));
      // One after another: GKE runs one operation per cluster at a time.
      for (NodePool pool : spec.nodePools()) {
        steps.create(
            Step.of(
                "Create node pool " + pool.name(),
                "node-pool/" + pool.name(),
                poolRequest(spec, pool)),
            () -> gke.ensureNodePool(spec, pool.name()),
            () -> gke.deleteNodePool(spec, pool.name()));
      }
    }
    // Runs of this version write no kubeconfig on a worker (see ClusterAccess.NO_KUBECONFIG_STEP);
    // runs started before keep the step, so their histories replay.
    KubeconfigRef kubeconfig = null;
    if (ClusterAccess.writesKubeconfig(steps)) {
      kubeconfig =
          steps.create(
              Step.of(
                  "Write kubeconfig",
                  "kubeconfig/" + spec.name(),
                  "clusters.get " + spec.name() + " (endpoint, CA) -> 0600 file on the worker"),
              () -> gke.writeKubeconfig(spec),
              () -> gke.deleteKubeconfig(spec));
    }
    return ClusterAccess.bindAdminAndVerifyNodes(spec, steps, kube, kubeconfig);
  }

  private static String clusterRequest(ClusterSpec spec) {
    GcpOptions gcp = spec.gcp();
    NodePool d = gcp.defaultPool();
    return clusterOnly(spec)
        + ", default pool "
        + d.machineType()
        + " "
        + d.diskType()
        + " "
        + d.diskSizeGb()
        + "GB "
        + gcp.imageType()
        + " autoscaling "
        + d.minNodes()
        + ".."
        + d.maxNodes()
        + " as "
        + GcpOptions.email(gcp.project(), gcp.serviceAccount())
        + network(spec)
        + ", max pods "
        + d.maxPods()
        + addons(spec);
  }

  private static String clusterWithPoolsRequest(ClusterSpec spec) {
    StringBuilder out =
        new StringBuilder(clusterOnly(spec)).append(network(spec)).append(addons(spec));
    for (NodePool pool : spec.nodePools()) {
      out.append("; ").append(poolRequest(spec, pool).substring("nodePools.create ".length()));
    }
    return out.toString();
  }

  private static String clusterOnly(ClusterSpec spec) {
    return "clusters.create "
        + spec.name()
        + " in "
        + spec.region()
        + " version "
        + spec.kubernetesVersion();
  }

  private static String network(ClusterSpec spec) {
    return ", subnetwork "
        + spec.network().subnetwork()
        + ", IP alias, network policy "
        + spec.network().networkPolicy();
  }

  private static String addons(ClusterSpec spec) {
    return ", addons " + String.join(",", spec.gcp().addons());
  }

  private static String poolRequest(ClusterSpec spec, NodePool pool) {
    return "nodePools.create "
        + pool.name()
        + ": "
        + pool.machineType()
        + " "
        + pool.diskType()
        + " "
        + pool.diskSizeGb()
        + "GB "
        + spec.gcp().imageType()
        + " autoscaling "
        + pool.minNodes()
        + ".."
        + pool.maxNodes()
        + " initial "
        + pool.initialNodes()
        + " max pods "
        + pool.maxPods()
        + " labels "
        + pool.labels()
        + ", nodes run as "
        + GcpOptions.describeNodePoolAccount(spec.gcp());
  }
}
