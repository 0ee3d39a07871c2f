package io.refarch.activities.gke.cluster;

import com.google.container.v1.AddonsConfig;
import com.google.container.v1.Cluster;
import com.google.container.v1.DnsCacheConfig;
import com.google.container.v1.HorizontalPodAutoscaling;
import com.google.container.v1.HttpLoadBalancing;
import com.google.container.v1.IPAllocationPolicy;
import com.google.container.v1.KubernetesDashboard;
import com.google.container.v1.MasterAuth;
import com.google.container.v1.MaxPodsConstraint;
import com.google.container.v1.NetworkPolicy;
import com.google.container.v1.NetworkPolicyConfig;
import com.google.container.v1.NodePool;
import io.refarch.activities.Differences;
import io.refarch.activities.Failures;
import io.refarch.activities.gke.nodepool.NodePoolRequest;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.FailureTypes;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The seed's {@code gcloud container clusters create} as the GKE API's Cluster. */
public final class ClusterRequest {
  static final String HPA = "HorizontalPodAutoscaling";
  static final String NODE_LOCAL_DNS = "NodeLocalDNS";
  static final String NETWORK_POLICY = "NetworkPolicy";
  static final String HTTP_LOAD_BALANCING = "HttpLoadBalancing";
  static final String DASHBOARD = "KubernetesDashboard";
  private static final Set<String> KNOWN_ADDONS =
      Set.of(HPA, NODE_LOCAL_DNS, NETWORK_POLICY, HTTP_LOAD_BALANCING, DASHBOARD);

  /** Gitpod needs 110 pods per node; also the seed's --default-max-pods-per-node. */
  static final int DEFAULT_MAX_PODS = 110;

  private ClusterRequest() {}

  public static Cluster of(ClusterSpec spec, String serviceAccountEmail) {
    if (spec.gcp().defaultPool() == null) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "gcp.defaultPool: required (GKE creates a cluster with a default pool)");
    }
    return cluster(spec)
        .addNodePools(NodePoolRequest.defaultPool(spec, serviceAccountEmail))
        .build();
  }

  /**
   * {@code gcp.poolsWithCluster}: the cluster with {@code pools} (the spec's, as {@link
   * NodePoolRequest#of} makes them) in the one request, and no default pool.
   */
  public static Cluster withNodePools(ClusterSpec spec, List<NodePool> pools) {
    if (pools.isEmpty()) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "nodePools: gcp.poolsWithCluster needs at least one (GKE creates a cluster with a pool)");
    }
    return cluster(spec).addAllNodePools(pools).build();
  }

  private static Cluster.Builder cluster(ClusterSpec spec) {
    List<String> addons = spec.gcp().addons() == null ? List.of() : spec.gcp().addons();
    for (String addon : addons) {
      if (!KNOWN_ADDONS.contains(addon)) {
        throw Failures.permanent(
            FailureTypes.INVALID_ARGUMENT,
            "gcp.addons: unknown addon " + addon + ", known: " + new TreeSet<>(KNOWN_ADDONS));
      }
    }
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(spec.name())
            // --no-enable-basic-auth: gcloud sends an empty user name.
            .setMasterAuth(MasterAuth.newBuilder().setUsername(""))
            .setIpAllocationPolicy(
                IPAllocationPolicy.newBuilder()
                    .setUseIpAliases(true)
                    .setCreateSubnetwork(true)
                    .setSubnetworkName(subnetwork(spec)))
            .setDefaultMaxPodsConstraint(
                MaxPodsConstraint.newBuilder().setMaxPodsPerNode(defaultMaxPods(spec)))
            .setAddonsConfig(addons(addons));
    if (version(spec) != null) {
      cluster.setInitialClusterVersion(version(spec));
    }
    if (spec.zones() != null) {
      cluster.addAllLocations(spec.zones());
    }
    if (networkPolicy(spec, addons)) {
      cluster.setNetworkPolicy(
          NetworkPolicy.newBuilder().setEnabled(true).setProvider(NetworkPolicy.Provider.CALICO));
    }
    return cluster;
  }

  /**
   * What an existing cluster does differently. The default pool is not compared: the procedure
   * deletes it, so an adopted cluster usually has none. The master version is compared by the
   * version it was created with, since GKE upgrades masters on its own.
   */
  public static Differences compare(Cluster actual, Cluster wanted) {
    Differences d = new Differences("cluster " + wanted.getName());
    String version = actual.getInitialClusterVersion();
    String wantedVersion = wanted.getInitialClusterVersion();
    // GKE resolves "1.22" to the full version it used; that is no difference.
    if (!version.isEmpty() && !wantedVersion.isEmpty() && !version.startsWith(wantedVersion)) {
      d.compare("initialClusterVersion", version, wantedVersion);
    }
    if (!wanted.getLocationsList().isEmpty()) {
      d.compare(
          "locations",
          new TreeSet<>(actual.getLocationsList()),
          new TreeSet<>(wanted.getLocationsList()));
    }
    AddonsConfig a = actual.getAddonsConfig();
    AddonsConfig w = wanted.getAddonsConfig();
    d.compare(
            "networkPolicy.enabled",
            actual.getNetworkPolicy().getEnabled(),
            wanted.getNetworkPolicy().getEnabled())
        .compare(
            "ipAllocationPolicy.useIpAliases",
            actual.getIpAllocationPolicy().getUseIpAliases(),
            true)
        .compare(
            "defaultMaxPodsConstraint.maxPodsPerNode",
            actual.getDefaultMaxPodsConstraint().getMaxPodsPerNode(),
            wanted.getDefaultMaxPodsConstraint().getMaxPodsPerNode())
        .compare(
            "addonsConfig.horizontalPodAutoscaling.disabled",
            a.getHorizontalPodAutoscaling().getDisabled(),
            w.getHorizontalPodAutoscaling().getDisabled())
        .compare(
            "addonsConfig.dnsCacheConfig.enabled",
            a.getDnsCacheConfig().getEnabled(),
            w.getDnsCacheConfig().getEnabled())
        .compare(
            "addonsConfig.networkPolicyConfig.disabled",
            a.getNetworkPolicyConfig().getDisabled(),
            w.getNetworkPolicyConfig().getDisabled());
    return d;
  }

  static String subnetwork(ClusterSpec spec) {
    if (spec.network() != null && spec.network().subnetwork() != null) {
      return spec.network().subnetwork();
    }
    return "gitpod-" + spec.name();
  }

  private static String version(ClusterSpec spec) {
    String v = spec.kubernetesVersion();
    return v == null || v.isBlank() || v.equals("latest") ? null : v;
  }

  private static int defaultMaxPods(ClusterSpec spec) {
    var pool = spec.gcp().defaultPool();
    return pool != null && pool.maxPods() != null ? pool.maxPods() : DEFAULT_MAX_PODS;
  }

  private static boolean networkPolicy(ClusterSpec spec, List<String> addons) {
    boolean asked = spec.network() != null && Boolean.TRUE.equals(spec.network().networkPolicy());
    return asked || addons.contains(NETWORK_POLICY);
  }

  /**
   * Like gcloud's --addons: the listed ones on, HTTP load balancing and the dashboard off
   * otherwise.
   */
  private static AddonsConfig addons(List<String> addons) {
    AddonsConfig.Builder out =
        AddonsConfig.newBuilder()
            .setHttpLoadBalancing(
                HttpLoadBalancing.newBuilder().setDisabled(!addons.contains(HTTP_LOAD_BALANCING)))
            .setHorizontalPodAutoscaling(
                HorizontalPodAutoscaling.newBuilder().setDisabled(!addons.contains(HPA)))
            .setKubernetesDashboard(
                KubernetesDashboard.newBuilder().setDisabled(!addons.contains(DASHBOARD)));
    if (addons.contains(NETWORK_POLICY)) {
      out.setNetworkPolicyConfig(NetworkPolicyConfig.newBuilder().setDisabled(false));
    }
    if (addons.contains(NODE_LOCAL_DNS)) {
      out.setDnsCacheConfig(DnsCacheConfig.newBuilder().setEnabled(true));
    }
    return out.build();
  }
}
