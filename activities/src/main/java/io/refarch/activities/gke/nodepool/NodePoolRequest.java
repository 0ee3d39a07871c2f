package io.refarch.activities.gke.nodepool;

import com.google.container.v1.MaxPodsConstraint;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodeManagement;
import com.google.container.v1.NodePool;
import com.google.container.v1.NodePoolAutoscaling;
import io.refarch.activities.Differences;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.GcpOptions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A spec's node pool as the GKE API's NodePool: the flags of the seed's {@code node-pools create}.
 */
public final class NodePoolRequest {
  public static final String DEFAULT_POOL = "default-pool";

  private NodePoolRequest() {}

  /**
   * One of the spec's pools, as the seed's {@code node-pools create}: its nodes run as {@code
   * gcp.nodePoolServiceAccount}. By default that is the Compute Engine default account, named by
   * sending no account, as the seed's command names none; GKE then reports {@code default}.
   */
  public static NodePool of(ClusterSpec spec, String poolName) {
    String account = GcpOptions.nodePoolEmail(spec.gcp());
    // gcloud expands gke-default one way without --service-account (the six GKE scopes) and
    // another with it (cloud-platform and userinfo.email): the account's roles then decide.
    return build(
        spec.gcp(),
        spec.pool(poolName),
        account,
        OAuthScopes.expand(spec.gcp().scopes(), account != null));
  }

  /**
   * The pool {@code clusters create} makes: named default-pool, with gcloud's scopes for an
   * account.
   */
  public static NodePool defaultPool(ClusterSpec spec, String serviceAccountEmail) {
    io.refarch.spec.NodePool pool = spec.gcp().defaultPool();
    io.refarch.spec.NodePool named =
        new io.refarch.spec.NodePool(
            DEFAULT_POOL,
            pool.machineType(),
            pool.minNodes(),
            pool.maxNodes(),
            pool.initialNodes(),
            pool.diskType(),
            pool.diskSizeGb(),
            pool.diskIops(),
            pool.diskThroughput(),
            pool.labels(),
            pool.maxPods());
    return build(
        spec.gcp(), named, serviceAccountEmail, OAuthScopes.expand(List.of("gke-default"), true));
  }

  private static NodePool build(
      GcpOptions gcp,
      io.refarch.spec.NodePool pool,
      String serviceAccountEmail,
      List<String> scopes) {
    NodeConfig.Builder config = NodeConfig.newBuilder().addAllOauthScopes(scopes);
    if (pool.machineType() != null) {
      config.setMachineType(pool.machineType());
    }
    if (pool.diskType() != null) {
      config.setDiskType(pool.diskType());
    }
    if (pool.diskSizeGb() != null) {
      config.setDiskSizeGb(pool.diskSizeGb());
    }
    if (gcp.imageType() != null) {
      config.setImageType(gcp.imageType());
    }
    if (pool.labels() != null) {
      config.putAllLabels(pool.labels());
    }
    if (gcp.metadata() != null) {
      config.putAllMetadata(gcp.metadata());
    }
    if (serviceAccountEmail != null) {
      config.setServiceAccount(serviceAccountEmail);
    }
    NodePool.Builder out =
        NodePool.newBuilder()
            .setName(pool.name())
            .setConfig(config)
            .setManagement(
                NodeManagement.newBuilder()
                    .setAutoRepair(!Boolean.FALSE.equals(gcp.autoRepair()))
                    .setAutoUpgrade(Boolean.TRUE.equals(gcp.autoUpgrade())))
            // gcloud sends maxSurge 1 (surge upgrades one node at a time); GKE's default too.
            .setUpgradeSettings(NodePool.UpgradeSettings.newBuilder().setMaxSurge(1));
    if (pool.initialNodes() != null) {
      out.setInitialNodeCount(pool.initialNodes());
    }
    if (pool.minNodes() != null && pool.maxNodes() != null) {
      out.setAutoscaling(
          NodePoolAutoscaling.newBuilder()
              .setEnabled(true)
              .setMinNodeCount(pool.minNodes())
              .setMaxNodeCount(pool.maxNodes()));
    }
    if (pool.maxPods() != null) {
      out.setMaxPodsConstraint(MaxPodsConstraint.newBuilder().setMaxPodsPerNode(pool.maxPods()));
    }
    return out.build();
  }

  /**
   * What an existing pool does differently from the wanted one. Node count is left out: the
   * autoscaler changes it. Labels and metadata GKE adds of its own are not differences.
   */
  public static Differences compare(NodePool actual, NodePool wanted) {
    NodeConfig a = actual.getConfig();
    NodeConfig w = wanted.getConfig();
    Differences d = new Differences("node pool " + wanted.getName());
    d.compare("machineType", a.getMachineType(), w.getMachineType())
        .compare("diskType", a.getDiskType(), w.getDiskType())
        .compare("diskSizeGb", a.getDiskSizeGb(), w.getDiskSizeGb())
        .compare("imageType", upper(a.getImageType()), upper(w.getImageType()))
        .compare(
            "labels", subset(a.getLabelsMap(), w.getLabelsMap()), new TreeMap<>(w.getLabelsMap()))
        .compare(
            "metadata",
            subset(a.getMetadataMap(), w.getMetadataMap()),
            new TreeMap<>(w.getMetadataMap()))
        .compare(
            "oauthScopes",
            new TreeSet<>(a.getOauthScopesList()),
            new TreeSet<>(w.getOauthScopesList()))
        .compare(
            "autoscaling.enabled",
            actual.getAutoscaling().getEnabled(),
            wanted.getAutoscaling().getEnabled())
        .compare(
            "autoscaling.minNodeCount",
            actual.getAutoscaling().getMinNodeCount(),
            wanted.getAutoscaling().getMinNodeCount())
        .compare(
            "autoscaling.maxNodeCount",
            actual.getAutoscaling().getMaxNodeCount(),
            wanted.getAutoscaling().getMaxNodeCount())
        .compare(
            "management.autoRepair",
            actual.getManagement().getAutoRepair(),
            wanted.getManagement().getAutoRepair())
        .compare(
            "management.autoUpgrade",
            actual.getManagement().getAutoUpgrade(),
            wanted.getManagement().getAutoUpgrade())
        .compare(
            "maxPodsPerNode",
            actual.getMaxPodsConstraint().getMaxPodsPerNode(),
            wanted.getMaxPodsConstraint().getMaxPodsPerNode());
    d.compare("serviceAccount", account(a), account(w));
    return d;
  }

  /** A pool's account as GKE reports it: a request that names none gets {@code default}. */
  private static String account(NodeConfig config) {
    return config.getServiceAccount().isEmpty()
        ? GcpOptions.COMPUTE_DEFAULT_ACCOUNT
        : config.getServiceAccount();
  }

  private static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  /** The actual entries under the wanted keys: extra entries GKE adds do not count. */
  private static Map<String, String> subset(
      Map<String, String> actual, Map<String, String> wanted) {
    Map<String, String> out = new TreeMap<>();
    wanted
        .keySet()
        .forEach(
            k -> {
              if (actual.containsKey(k)) out.put(k, actual.get(k));
            });
    return out;
  }
}
