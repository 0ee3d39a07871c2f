package io.refarch.spec;

import java.util.List;

/** GKE's names and limits, as the GKE and IAM APIs enforce them. */
final class GkeRules {
  // Cluster, node pool, subnetwork, project and service account names are spelled alike; only their
  // lengths differ.
  private static final String NAME = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String NAME_RULE =
      "lowercase letters, digits or hyphens, start with a letter and not end with a hyphen";
  static final NameRule CLUSTER_NAME =
      NameRule.atMost(40, NAME, NAME_RULE + " (GKE cluster names)");
  static final NameRule POOL_NAME = NameRule.atMost(40, NAME, NAME_RULE + " (GKE node pool names)");
  static final NameRule PROJECT_ID = NameRule.between(6, 30, NAME, NAME_RULE);
  static final NameRule SERVICE_ACCOUNT_ID = PROJECT_ID;
  static final NameRule SUBNETWORK = NameRule.atMost(63, NAME, NAME_RULE);

  /**
   * A service account's email: user-made accounts end in iam.gserviceaccount.com, Google's own (the
   * Compute Engine default, NUMBER-compute@developer.gserviceaccount.com) in another
   * gserviceaccount.com domain.
   */
  static final String SERVICE_ACCOUNT_EMAIL =
      "[a-z0-9][-a-z0-9]*@[a-z0-9][-a-z0-9.]*\\.gserviceaccount\\.com";

  static final String REGION = "[a-z]+(-[a-z]+)+[0-9]+";
  static final String VERSION = "latest|\\d+\\.\\d+(\\.\\d+(-gke\\.\\d+)?)?";
  static final String MACHINE_TYPE = "[a-z][a-z0-9]*-[a-z0-9-]+";
  static final String ROLE = "(roles|projects/[^/]+/roles|organizations/\\d+/roles)/[A-Za-z0-9_.]+";
  static final List<String> DISK_TYPES =
      List.of("pd-standard", "pd-balanced", "pd-ssd", "pd-extreme", "hyperdisk-balanced");

  /** The values gcloud's --addons takes. */
  static final List<String> ADDONS =
      List.of(
          "HttpLoadBalancing",
          "HorizontalPodAutoscaling",
          "NetworkPolicy",
          "NodeLocalDNS",
          "ConfigConnector",
          "GcePersistentDiskCsiDriver",
          "GcpFilestoreCsiDriver",
          "GcsFuseCsiDriver",
          "BackupRestore");

  static final int MIN_MAX_PODS = 8;
  static final int MAX_MAX_PODS = 256;
  static final int MIN_DISK_GB = 10;

  private GkeRules() {}

  static void check(ClusterSpec spec, Problems p) {
    CLUSTER_NAME.check("name", spec.name(), p);
    p.matches("region", spec.region(), REGION, "not a GCP region (like us-central1)");
    if (spec.region() != null && spec.zones() != null) {
      for (int i = 0; i < spec.zones().size(); i++) {
        String zone = spec.zones().get(i);
        if (!zone.matches(java.util.regex.Pattern.quote(spec.region()) + "-[a-z]")) {
          p.add("zones[" + i + "]", zone + " is not a zone of " + spec.region());
        }
      }
    }
    p.matches(
        "kubernetesVersion",
        spec.kubernetesVersion(),
        VERSION,
        "not a GKE version (like 1.22.12-gke.1200 or 1.22)");
    p.matches(
        "clusterAdmin",
        spec.clusterAdmin(),
        "[^@\\s]+@[^@\\s]+\\.[^@\\s]+",
        "must be the Google account (an email) that gets cluster-admin");
    Network n = spec.network();
    boolean policy = n != null && Boolean.TRUE.equals(n.networkPolicy());
    // The default gitpod-<name> is valid whenever the name is; judge only a subnetwork the user
    // chose,
    // so a bad name is reported once.
    if (n != null && n.subnetwork() != null && !n.subnetwork().equals("gitpod-" + spec.name())) {
      SUBNETWORK.check("network.subnetwork", n.subnetwork(), p);
    }
    GcpOptions g = spec.gcp();
    if (g == null) {
      p.add("gcp.project", "required");
    } else {
      checkOptions(g, policy, p);
    }
    List<NodePool> pools = spec.nodePools() == null ? List.of() : spec.nodePools();
    boolean poolsWithCluster = GcpOptions.poolsWithCluster(g);
    if (poolsWithCluster && pools.isEmpty()) {
      p.add(
          "gcp.poolsWithCluster",
          "needs at least one of nodePools: GKE creates a cluster with at least one pool");
    }
    // With poolsWithCluster there is no default pool, so its name is free.
    String defaultPoolName =
        g == null || g.defaultPool() == null || poolsWithCluster ? null : g.defaultPool().name();
    for (int i = 0; i < pools.size(); i++) {
      NodePool pool = pools.get(i);
      if (pool == null) {
        continue;
      }
      String path = "nodePools[" + i + "]";
      checkPool(pool, path, p);
      if (pool.name() != null && pool.name().equals(defaultPoolName)) {
        p.add(
            path + ".name",
            pool.name()
                + " is the name of gcp.defaultPool, which is deleted after the cluster is created");
      }
    }
  }

  private static void checkOptions(GcpOptions g, boolean networkPolicy, Problems p) {
    if (p.required("gcp.project", g.project())) {
      PROJECT_ID.check("gcp.project", g.project(), p);
    }
    if (p.required("gcp.serviceAccount", g.serviceAccount())) {
      SERVICE_ACCOUNT_ID.check("gcp.serviceAccount", g.serviceAccount(), p);
    }
    checkNodePoolServiceAccount(g.nodePoolServiceAccount(), p);
    List<String> roles = g.serviceAccountRoles() == null ? List.of() : g.serviceAccountRoles();
    for (int i = 0; i < roles.size(); i++) {
      p.matches(
          "gcp.serviceAccountRoles[" + i + "]",
          roles.get(i),
          ROLE,
          "not a role (like roles/storage.admin)");
    }
    if (g.imageType() != null && !g.imageType().endsWith("_CONTAINERD")) {
      p.add(
          "gcp.imageType",
          g.imageType()
              + " is not a containerd image; Gitpod needs containerd (UBUNTU_CONTAINERD or COS_CONTAINERD)");
    }
    List<String> addons = g.addons() == null ? List.of() : g.addons();
    for (int i = 0; i < addons.size(); i++) {
      p.oneOf("gcp.addons[" + i + "]", addons.get(i), ADDONS);
    }
    if (networkPolicy && !addons.contains("NetworkPolicy")) {
      p.add("gcp.addons", "must include NetworkPolicy when network.networkPolicy is true");
    }
    if (g.defaultPool() != null) {
      SpecValidator.checkPoolShape(g.defaultPool(), "gcp.defaultPool", p);
      checkPool(g.defaultPool(), "gcp.defaultPool", p);
    }
  }

  /** {@code default}, an account id of the project, or an email; absent means default. */
  private static void checkNodePoolServiceAccount(String account, Problems p) {
    if (account == null || account.equals(GcpOptions.COMPUTE_DEFAULT_ACCOUNT)) {
      return;
    }
    boolean valid =
        account.contains("@")
            ? account.matches(SERVICE_ACCOUNT_EMAIL)
            : account.length() >= SERVICE_ACCOUNT_ID.minLength()
                && account.length() <= SERVICE_ACCOUNT_ID.maxLength()
                && account.matches(SERVICE_ACCOUNT_ID.pattern());
    if (!valid) {
      p.add(
          "gcp.nodePoolServiceAccount",
          account
              + " is not a service account: use "
              + GcpOptions.COMPUTE_DEFAULT_ACCOUNT
              + " (the project's Compute Engine default account), an account id of gcp.project ("
              + SERVICE_ACCOUNT_ID.rule().substring("must be ".length())
              + ") or a service account's email (NAME@PROJECT.iam.gserviceaccount.com)");
    }
  }

  private static void checkPool(NodePool pool, String path, Problems p) {
    POOL_NAME.check(path + ".name", pool.name(), p);
    p.matches(
        path + ".machineType",
        pool.machineType(),
        MACHINE_TYPE,
        "not a Compute Engine machine type (like n2d-standard-4)");
    p.oneOf(path + ".diskType", pool.diskType(), DISK_TYPES);
    if (pool.diskSizeGb() != null && pool.diskSizeGb() >= 1 && pool.diskSizeGb() < MIN_DISK_GB) {
      p.compare(
          path
              + ".diskSizeGb ("
              + pool.diskSizeGb()
              + ") < "
              + MIN_DISK_GB
              + ", the smallest GKE boot disk");
    }
    p.between(path + ".maxPods", pool.maxPods(), MIN_MAX_PODS, MAX_MAX_PODS, "on gcp");
  }
}
