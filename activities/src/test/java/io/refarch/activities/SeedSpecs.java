package io.refarch.activities;

import io.refarch.spec.Cloud;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.GcpOptions;
import io.refarch.spec.Network;
import io.refarch.spec.NodePool;
import java.util.List;
import java.util.Map;

/** The GKE cluster of seed 000, written out in full (as SpecDefaults would fill it). */
public final class SeedSpecs {
  public static final String SCOPE_DNS = "https://www.googleapis.com/auth/ndev.clouddns.readwrite";

  private SeedSpecs() {}

  public static ClusterSpec gke(String project) {
    return gke(project, "gitpod", services("n2d-standard-4"));
  }

  public static ClusterSpec gke(String project, String name, NodePool services) {
    return new ClusterSpec(
        ClusterSpec.API_VERSION,
        ClusterSpec.KIND,
        Cloud.GCP,
        name,
        "us-central1",
        null,
        "1.22.12-gke.1200",
        "admin@example.com",
        null,
        null,
        new Network("gitpod-" + name, null, null, true, null, null, null),
        List.of(
            services,
            workspaces("workload-regular-workspaces", "gitpod.io/workload_workspace_regular"),
            workspaces("workload-headless-workspaces", "gitpod.io/workload_workspace_headless")),
        new GcpOptions(
            project,
            "gitpod-gke",
            List.of(
                "roles/storage.admin",
                "roles/logging.logWriter",
                "roles/monitoring.metricWriter",
                "roles/container.admin"),
            "default",
            "UBUNTU_CONTAINERD",
            List.of("gke-default", SCOPE_DNS),
            List.of("HorizontalPodAutoscaling", "NodeLocalDNS", "NetworkPolicy"),
            false,
            true,
            Map.of("disable-legacy-endpoints", "true"),
            new NodePool(
                "default-pool", "e2-standard-2", 0, 1, 1, "pd-ssd", 50, null, null, null, 110),
            false),
        null,
        null);
  }

  /** {@code s} with its node pools created with the cluster (gcp.poolsWithCluster). */
  public static ClusterSpec withPoolsWithCluster(ClusterSpec s) {
    GcpOptions g = s.gcp();
    return new ClusterSpec(
        s.apiVersion(),
        s.kind(),
        s.cloud(),
        s.name(),
        s.region(),
        s.zones(),
        s.kubernetesVersion(),
        s.clusterAdmin(),
        s.keepOnFailure(),
        s.heartbeatTimeoutSeconds(),
        s.network(),
        s.nodePools(),
        new GcpOptions(
            g.project(),
            g.serviceAccount(),
            g.serviceAccountRoles(),
            g.nodePoolServiceAccount(),
            g.imageType(),
            g.scopes(),
            g.addons(),
            g.autoUpgrade(),
            g.autoRepair(),
            g.metadata(),
            g.defaultPool(),
            true),
        s.aws(),
        s.azure());
  }

  /** {@code s} with its added node pools run as {@code account} (gcp.nodePoolServiceAccount). */
  public static ClusterSpec withNodePoolAccount(ClusterSpec s, String account) {
    GcpOptions g = s.gcp();
    return new ClusterSpec(
        s.apiVersion(),
        s.kind(),
        s.cloud(),
        s.name(),
        s.region(),
        s.zones(),
        s.kubernetesVersion(),
        s.clusterAdmin(),
        s.keepOnFailure(),
        s.heartbeatTimeoutSeconds(),
        s.network(),
        s.nodePools(),
        new GcpOptions(
            g.project(),
            g.serviceAccount(),
            g.serviceAccountRoles(),
            account,
            g.imageType(),
            g.scopes(),
            g.addons(),
            g.autoUpgrade(),
            g.autoRepair(),
            g.metadata(),
            g.defaultPool(),
            g.poolsWithCluster()),
        s.aws(),
        s.azure());
  }

  public static NodePool services(String machineType) {
    return new NodePool(
        "workload-services",
        machineType,
        1,
        4,
        1,
        "pd-ssd",
        100,
        null,
        null,
        Map.of(
            "gitpod.io/workload_meta",
            "true",
            "gitpod.io/workload_ide",
            "true",
            "gitpod.io/workload_workspace_services",
            "true"),
        110);
  }

  static NodePool workspaces(String name, String label) {
    return new NodePool(
        name, "n2d-standard-16", 1, 50, 1, "pd-ssd", 512, null, null, Map.of(label, "true"), 110);
  }
}
