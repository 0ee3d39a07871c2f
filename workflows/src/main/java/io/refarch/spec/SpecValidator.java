package io.refarch.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every rule a spec must pass before anything runs, each problem with its field path. Rules shared
 * by the clouds live here; each cloud's naming and sizing rules live in its own class.
 */
public final class SpecValidator {

  /** Gitpod's installer refuses older clusters ("validate cluster"). */
  static final int MIN_MINOR = 21;

  private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");
  // Kubernetes label syntax: optional DNS-subdomain prefix, then a 63-char name.
  private static final String LABEL_NAME = "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)";
  private static final String LABEL_KEY =
      "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?" + LABEL_NAME;

  private SpecValidator() {}

  public static List<String> validate(ClusterSpec spec) {
    Problems p = new Problems();
    if (spec.apiVersion() != null && !spec.apiVersion().equals(ClusterSpec.API_VERSION)) {
      p.add("apiVersion", "must be " + ClusterSpec.API_VERSION);
    }
    if (spec.kind() != null && !spec.kind().equals(ClusterSpec.KIND)) {
      p.add("kind", "must be " + ClusterSpec.KIND);
    }
    if (spec.cloud() == null) {
      p.add("cloud", "required; one of gcp, aws, azure");
    }
    p.required("name", spec.name());
    p.required("region", spec.region());
    checkZones(spec, p);
    if (p.required("kubernetesVersion", spec.kubernetesVersion())) {
      checkMinimumVersion(spec.kubernetesVersion(), p);
    }
    p.required("clusterAdmin", spec.clusterAdmin());
    checkHeartbeatTimeout(spec.heartbeatTimeoutSeconds(), p);
    checkPools(spec, p);
    if (spec.cloud() != null) {
      checkOtherClouds(spec, p);
      switch (spec.cloud()) {
        case GCP -> GkeRules.check(spec, p);
        case AWS -> EksRules.check(spec, p);
        case AZURE -> AksRules.check(spec, p);
      }
    }
    return p.list();
  }

  private static void checkHeartbeatTimeout(Integer seconds, Problems p) {
    if (seconds != null
        && (seconds < ClusterSpec.MIN_HEARTBEAT_TIMEOUT_SECONDS
            || seconds > ClusterSpec.MAX_HEARTBEAT_TIMEOUT_SECONDS)) {
      p.add(
          "heartbeatTimeoutSeconds",
          "must be from "
              + ClusterSpec.MIN_HEARTBEAT_TIMEOUT_SECONDS
              + " to "
              + ClusterSpec.MAX_HEARTBEAT_TIMEOUT_SECONDS);
    }
  }

  private static void checkZones(ClusterSpec spec, Problems p) {
    List<String> zones = spec.zones() == null ? List.of() : spec.zones();
    for (int i = 0; i < zones.size(); i++) {
      if (zones.indexOf(zones.get(i)) < i) {
        p.add("zones[" + i + "]", zones.get(i) + " is listed twice");
      }
    }
  }

  private static void checkMinimumVersion(String version, Problems p) {
    Matcher m = MAJOR_MINOR.matcher(version);
    if (m.find()) {
      // Any number of digits: "1.2147483648" is a (nonsensical) new version, not a crash.
      java.math.BigInteger major = new java.math.BigInteger(m.group(1));
      java.math.BigInteger minor = new java.math.BigInteger(m.group(2));
      java.math.BigInteger min = java.math.BigInteger.valueOf(MIN_MINOR);
      if (major.signum() == 0
          || (major.equals(java.math.BigInteger.ONE) && minor.compareTo(min) < 0)) {
        p.add(
            "kubernetesVersion",
            version + " is older than 1." + MIN_MINOR + ", the oldest Gitpod supports");
      }
    }
  }

  private static void checkPools(ClusterSpec spec, Problems p) {
    List<NodePool> pools = spec.nodePools();
    if (pools == null || pools.isEmpty()) {
      p.add("nodePools", "at least one node pool is required");
      return;
    }
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < pools.size(); i++) {
      String path = "nodePools[" + i + "]";
      NodePool pool = pools.get(i);
      if (pool == null) {
        p.add(path, "required");
        continue;
      }
      checkPoolShape(pool, path, p);
      if (pool.name() != null) {
        Integer first = firstIndex.putIfAbsent(pool.name(), i);
        if (first != null) {
          p.add(path + ".name", pool.name() + " is already the name of nodePools[" + first + "]");
        }
      }
      if (pool.maxPods() != null
          && pool.maxPods() < SpecDefaults.MAX_PODS
          && isWorkspacePool(pool)) {
        p.compare(
            path
                + ".maxPods ("
                + pool.maxPods()
                + ") < "
                + SpecDefaults.MAX_PODS
                + ", which Gitpod requires on workspace nodes");
      }
    }
    for (String label : Labels.REQUIRED) {
      boolean carried =
          pools.stream()
              .anyMatch(
                  pool ->
                      pool != null && pool.labels() != null && pool.labels().containsKey(label));
      if (!carried) {
        p.add("nodePools", "no pool carries the label " + label);
      }
    }
  }

  /** Rules every pool meets on every cloud; also used for GKE's default pool. */
  static void checkPoolShape(NodePool pool, String path, Problems p) {
    p.required(path + ".name", pool.name());
    p.required(path + ".machineType", pool.machineType());
    boolean hasMin = p.required(path + ".minNodes", pool.minNodes());
    boolean hasMax = p.required(path + ".maxNodes", pool.maxNodes());
    if (hasMin && pool.minNodes() < 0) {
      p.compare(path + ".minNodes (" + pool.minNodes() + ") < 0");
    }
    if (hasMax && pool.maxNodes() < 1) {
      p.compare(path + ".maxNodes (" + pool.maxNodes() + ") < 1");
    }
    if (hasMin && hasMax && pool.minNodes() > pool.maxNodes()) {
      p.compare(path + ".minNodes (" + pool.minNodes() + ") > maxNodes (" + pool.maxNodes() + ")");
    }
    // initialNodes is judged against a consistent range only; an inverted range is already
    // reported.
    Integer initial = pool.initialNodes();
    boolean ordered = !(hasMin && hasMax && pool.minNodes() > pool.maxNodes());
    if (initial != null && ordered && hasMin && initial < pool.minNodes()) {
      p.compare(path + ".initialNodes (" + initial + ") < minNodes (" + pool.minNodes() + ")");
    }
    if (initial != null && ordered && hasMax && initial > pool.maxNodes()) {
      p.compare(path + ".initialNodes (" + initial + ") > maxNodes (" + pool.maxNodes() + ")");
    }
    if (pool.diskSizeGb() != null && pool.diskSizeGb() < 1) {
      p.compare(path + ".diskSizeGb (" + pool.diskSizeGb() + ") < 1");
    }
    if (pool.labels() != null) {
      pool.labels()
          .forEach(
              (key, value) -> {
                String labelPath = path + ".labels[\"" + key + "\"]";
                if (!key.matches(LABEL_KEY) || key.indexOf('/') > 253) {
                  p.add(labelPath, "not a valid Kubernetes label key");
                } else if (value == null || (!value.isEmpty() && !value.matches(LABEL_NAME))) {
                  p.add(labelPath, "\"" + value + "\" is not a valid Kubernetes label value");
                }
              });
    }
  }

  /** Regular and headless workspaces run on this pool (Gitpod checks max pods there). */
  static boolean isWorkspacePool(NodePool pool) {
    return pool.labels() != null
        && (pool.labels().containsKey(Labels.WORKSPACE_REGULAR)
            || pool.labels().containsKey(Labels.WORKSPACE_HEADLESS));
  }

  /** Options of another cloud are a mistake, not something to ignore silently. */
  private static void checkOtherClouds(ClusterSpec spec, Problems p) {
    Cloud cloud = spec.cloud();
    if (cloud != Cloud.GCP && spec.gcp() != null) {
      p.add("gcp", "not used on " + cloud.id() + "; remove the block");
    }
    if (cloud != Cloud.AWS && spec.aws() != null) {
      p.add("aws", "not used on " + cloud.id() + "; remove the block");
    }
    if (cloud != Cloud.AZURE && spec.azure() != null) {
      p.add("azure", "not used on " + cloud.id() + "; remove the block");
    }
    Network n = spec.network();
    if (n != null) {
      if (cloud != Cloud.GCP) {
        notUsed("network.subnetwork", n.subnetwork(), cloud, p);
      }
      if (cloud != Cloud.AWS) {
        notUsed("network.vpcCidr", n.vpcCidr(), cloud, p);
        notUsed("network.nat", n.nat(), cloud, p);
        notUsed("network.privateAccess", n.privateAccess(), cloud, p);
        notUsed("network.publicAccess", n.publicAccess(), cloud, p);
        notUsed("network.publicAccessCidrs", n.publicAccessCidrs(), cloud, p);
      }
    }
    if (cloud != Cloud.AWS && spec.nodePools() != null) {
      for (int i = 0; i < spec.nodePools().size(); i++) {
        NodePool pool = spec.nodePools().get(i);
        if (pool != null) {
          notUsed("nodePools[" + i + "].diskIops", pool.diskIops(), cloud, p);
          notUsed("nodePools[" + i + "].diskThroughput", pool.diskThroughput(), cloud, p);
        }
      }
    }
  }

  static void notUsed(String path, Object value, Cloud cloud, Problems p) {
    if (value != null) {
      p.add(path, "not used on " + cloud.id());
    }
  }
}
