package io.refarch.workflow.fakes;

import io.refarch.spec.AwsOptions;
import io.refarch.spec.AzureOptions;
import io.refarch.spec.Cloud;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.GcpOptions;
import io.refarch.spec.Labels;
import io.refarch.spec.Network;
import io.refarch.spec.NodePool;
import java.util.List;
import java.util.Map;

/**
 * Fully defaulted specs of the three clouds, built in code so the workflow tests do not depend on
 * the YAML loader. They follow the 000 seed's three pools.
 */
public final class TestSpecs {
  private TestSpecs() {}

  public static List<NodePool> pools(
      String services, String regular, String headless, String diskType) {
    return List.of(
        pool(
            services,
            "services-machine",
            1,
            4,
            diskType,
            Map.of(Labels.META, "true", Labels.IDE, "true", Labels.WORKSPACE_SERVICES, "true")),
        pool(
            regular,
            "workspace-machine",
            1,
            50,
            diskType,
            Map.of(Labels.WORKSPACE_REGULAR, "true")),
        pool(
            headless,
            "workspace-machine",
            1,
            50,
            diskType,
            Map.of(Labels.WORKSPACE_HEADLESS, "true")));
  }

  private static NodePool pool(
      String name, String machine, int min, int max, String disk, Map<String, String> labels) {
    return new NodePool(name, machine, min, max, min, disk, 100, null, null, labels, 110);
  }

  /** {@code spec} with its {@code heartbeatTimeoutSeconds} set. */
  public static ClusterSpec withHeartbeatTimeout(ClusterSpec s, int seconds) {
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
        seconds,
        s.network(),
        s.nodePools(),
        s.gcp(),
        s.aws(),
        s.azure());
  }

  public static ClusterSpec gke() {
    return gke("gitpod", false);
  }

  /** {@link #gke()} with gcp.poolsWithCluster: the pools are created with the cluster. */
  public static ClusterSpec gkePoolsWithCluster() {
    ClusterSpec s = gke();
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

  public static ClusterSpec gke(String name, boolean keepOnFailure) {
    return new ClusterSpec(
        ClusterSpec.API_VERSION,
        ClusterSpec.KIND,
        Cloud.GCP,
        name,
        "us-central1",
        List.of(),
        "1.22.12-gke.1200",
        "admin@example.com",
        keepOnFailure,
        null,
        new Network("gitpod-" + name, null, null, true, null, null, null),
        pools(
            "workload-services",
            "workload-regular-workspaces",
            "workload-headless-workspaces",
            "pd-ssd"),
        new GcpOptions(
            "test-project",
            "gitpod-gke",
            List.of(
                "roles/storage.admin",
                "roles/logging.logWriter",
                "roles/monitoring.metricWriter",
                "roles/container.admin"),
            "default",
            "UBUNTU_CONTAINERD",
            List.of("gke-default"),
            List.of("HorizontalPodAutoscaling", "NodeLocalDNS", "NetworkPolicy"),
            false,
            true,
            Map.of("disable-legacy-endpoints", "true"),
            new NodePool(
                "default-pool", "e2-standard-2", 0, 1, 1, "pd-ssd", 50, null, null, Map.of(), 110),
            false),
        null,
        null);
  }

  public static ClusterSpec eks() {
    return new ClusterSpec(
        ClusterSpec.API_VERSION,
        ClusterSpec.KIND,
        Cloud.AWS,
        "gitpod",
        "eu-west-1",
        List.of(),
        "1.22",
        "admin@example.com",
        false,
        null,
        new Network(null, "192.168.0.0/16", "Single", true, true, true, List.of("0.0.0.0/0")),
        pools("services", "regular", "headless", "gp3"),
        null,
        new AwsOptions(
            "123456789012",
            Map.of("project", "gitpod"),
            true,
            List.of(
                new AwsOptions.IrsaServiceAccount(
                    "cluster-autoscaler", "kube-system", "autoScaler")),
            "Ubuntu2004",
            List.of("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"),
            List.of("*"),
            new AwsOptions.Calico("tigera-operator.yaml", null)),
        null);
  }

  public static ClusterSpec aks() {
    return new ClusterSpec(
        ClusterSpec.API_VERSION,
        ClusterSpec.KIND,
        Cloud.AZURE,
        "gitpod",
        "westeurope",
        List.of(),
        "1.27",
        "admin@example.com",
        false,
        null,
        new Network(null, null, null, true, null, null, null),
        pools("services", "regularws", "headlessws", "Managed"),
        null,
        null,
        new AzureOptions(
            "00000000-0000-0000-0000-000000000000", "gitpod-rg", "gitpod", "azure", "calico"));
  }
}
