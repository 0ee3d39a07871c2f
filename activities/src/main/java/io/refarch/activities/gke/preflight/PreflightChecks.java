package io.refarch.activities.gke.preflight;

import com.google.api.gax.rpc.ApiException;
import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import com.google.container.v1.ServerConfig;
import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.Differences;
import io.refarch.activities.Failures;
import io.refarch.activities.gke.CloudErrors;
import io.refarch.activities.gke.ClusterPath;
import io.refarch.activities.gke.cluster.ClusterRequest;
import io.refarch.activities.gke.cluster.Clusters;
import io.refarch.activities.gke.nodepool.NodePoolRequest;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.GcpOptions;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.PreflightReport.Check;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The GKE preflight: reads, never writes, what a provisioning run will need, and says for each what
 * to fix. A check whose read the caller may not make (403) is reported as not checked, not as
 * failed: the run itself may not need that permission. A cloud error that another attempt may not
 * meet (unavailable, rate limited) is thrown as the retryable failure it is.
 */
public final class PreflightChecks {

  /** The APIs a GKE run calls. */
  public static final List<String> APIS =
      List.of(
          "container.googleapis.com", "iam.googleapis.com", "cloudresourcemanager.googleapis.com");

  /** How many zones GKE spreads a regional cluster's nodes over when none are given. */
  static final int DEFAULT_REGIONAL_ZONES = 3;

  private final Identity identity;
  private final ServiceStates services;
  private final Function<String, ServerConfig> serverConfigs;
  private final RegionQuotas regions;
  private final Function<String, Optional<Cluster>> clusters;

  /**
   * @param serverConfigs GKE's serverConfig by location name ({@code projects/P/locations/L})
   * @param clusters a cluster by its full name, as {@link Clusters#find} reads it
   */
  public PreflightChecks(
      Identity identity,
      ServiceStates services,
      Function<String, ServerConfig> serverConfigs,
      RegionQuotas regions,
      Function<String, Optional<Cluster>> clusters) {
    this.identity = identity;
    this.services = services;
    this.serverConfigs = serverConfigs;
    this.regions = regions;
    this.clusters = clusters;
  }

  /**
   * Every check, in order. When the credentials do not work the other checks are not made: every
   * read would fail the same way.
   */
  public PreflightReport check(ClusterSpec spec) {
    List<Check> checks = new ArrayList<>();
    Check credentials = identity.check();
    checks.add(credentials);
    if (!credentials.ok()) {
      return new PreflightReport(checks);
    }
    checks.add(apis(spec));
    checks.add(version(spec));
    Optional<Cluster> existing = existing(spec, checks);
    checks.add(quota(spec, existing));
    return new PreflightReport(checks);
  }

  // ---- APIs ----

  private Check apis(ClusterSpec spec) {
    String project = spec.gcp().project();
    List<String> disabled = new ArrayList<>();
    for (String api : APIS) {
      try {
        if (!"ENABLED".equals(services.state(project, api))) {
          disabled.add(api);
        }
      } catch (IOException e) {
        return readFailed(
            "APIs enabled",
            "reading whether " + api + " is enabled",
            "serviceusage.services.get",
            e);
      }
    }
    if (disabled.isEmpty()) {
      return new Check("APIs enabled", true, String.join(", ", APIS) + " enabled in " + project);
    }
    return new Check(
        "APIs enabled",
        false,
        String.join(", ", disabled)
            + (disabled.size() == 1 ? " is" : " are")
            + " not enabled in project "
            + project
            + ". Fix: gcloud services enable "
            + String.join(" ", disabled)
            + " --project "
            + project);
  }

  // ---- Kubernetes version ----

  private Check version(ClusterSpec spec) {
    String name = "Kubernetes version";
    String wanted = spec.kubernetesVersion();
    ServerConfig config;
    try {
      config = serverConfigs.apply(ClusterPath.of(spec).parent());
    } catch (ApiException e) {
      return denied(name, "container.clusters.getServerConfig", e);
    }
    String offered = String.join(", ", config.getValidMasterVersionsList());
    if (wanted == null || wanted.isBlank() || wanted.equals("latest") || wanted.equals("-")) {
      return new Check(
          name,
          true,
          "latest: GKE's default in " + spec.region() + ", " + config.getDefaultClusterVersion());
    }
    Optional<String> master = match(wanted, config.getValidMasterVersionsList());
    Optional<String> node = match(wanted, config.getValidNodeVersionsList());
    if (master.isPresent() && node.isPresent()) {
      return new Check(
          name,
          true,
          wanted
              + (master.get().equals(wanted) ? "" : " (" + master.get() + ")")
              + " is offered in "
              + spec.region());
    }
    String channels =
        config.getChannelsList().stream()
            .map(c -> c.getChannel().name() + " " + c.getDefaultVersion())
            .collect(Collectors.joining(", "));
    return new Check(
        name,
        false,
        "GKE does not offer Kubernetes "
            + wanted
            + " in "
            + spec.region()
            + " (as "
            + (master.isEmpty() ? "master" : "node")
            + " version). It offers "
            + offered
            + (channels.isEmpty() ? "" : "; release channels: " + channels)
            + ". Fix: set kubernetesVersion to one of them, a minor such as "
            + minor(config.getDefaultClusterVersion())
            + ", or latest");
  }

  /** "1.31" matches 1.31.x-gke.y; "1.31.8" matches 1.31.8-gke.y; a full version only itself. */
  private static Optional<String> match(String wanted, List<String> versions) {
    return versions.stream()
        .filter(v -> v.equals(wanted) || v.startsWith(wanted + ".") || v.startsWith(wanted + "-"))
        .findFirst();
  }

  private static String minor(String version) {
    String[] parts = version.split("[.-]");
    return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
  }

  // ---- names ----

  /** Adds the names check; returns the cluster that exists under the spec's name, if any. */
  private Optional<Cluster> existing(ClusterSpec spec, List<Check> checks) {
    String name = "Names";
    ClusterPath path = ClusterPath.of(spec);
    Optional<Cluster> found;
    try {
      found = clusters.apply(path.name());
    } catch (ApiException e) {
      checks.add(denied(name, "container.clusters.get", e));
      return Optional.empty();
    }
    if (found.isEmpty()) {
      checks.add(
          new Check(
              name,
              true,
              "no cluster "
                  + spec.name()
                  + " in "
                  + spec.region()
                  + " of project "
                  + spec.gcp().project()
                  + " yet"));
      return found;
    }
    // The very comparisons the run's ensure steps make before they adopt (SpecMismatch).
    List<String> mismatches = new ArrayList<>();
    GcpOptions gcp = spec.gcp();
    Cluster wanted = ClusterRequest.of(spec, GcpOptions.email(gcp.project(), gcp.serviceAccount()));
    Differences cluster = ClusterRequest.compare(found.get(), wanted);
    if (!cluster.isEmpty()) {
      mismatches.add(
          "cluster " + spec.name() + " exists with " + String.join("; ", cluster.fields()));
    }
    Map<String, NodePool> pools = new LinkedHashMap<>();
    found.get().getNodePoolsList().forEach(p -> pools.put(p.getName(), p));
    for (var pool : spec.nodePools()) {
      NodePool actual = pools.get(pool.name());
      if (actual != null) {
        Differences d = NodePoolRequest.compare(actual, NodePoolRequest.of(spec, pool.name()));
        if (!d.isEmpty()) {
          mismatches.add(
              "node pool " + pool.name() + " exists with " + String.join("; ", d.fields()));
        }
      }
    }
    if (mismatches.isEmpty()) {
      checks.add(
          new Check(
              name,
              true,
              "cluster "
                  + spec.name()
                  + " exists with this spec; the run adopts it and deletes nothing it finds"));
    } else {
      checks.add(
          new Check(
              name,
              false,
              String.join(". ", mismatches)
                  + ". Fix: choose another name, change the spec to match, or delete the cluster"));
    }
    return found;
  }

  // ---- quota ----

  private Check quota(ClusterSpec spec, Optional<Cluster> existing) {
    String name = "CPU quota";
    RegionQuotas.Region region;
    try {
      region = regions.get(spec.gcp().project(), spec.region());
    } catch (IOException e) {
      return readFailed(
          name, "reading the quotas of region " + spec.region(), "compute.regions.get", e);
    }
    int zones =
        spec.zones() != null && !spec.zones().isEmpty()
            ? spec.zones().size()
            : Math.min(DEFAULT_REGIONAL_ZONES, Math.max(1, region.zones()));
    // Pools that exist already are in the region's usage; only new nodes need room.
    List<String> present =
        existing
            .map(c -> c.getNodePoolsList().stream().map(NodePool::getName).toList())
            .orElse(List.of());
    Map<String, Integer> pools = new TreeMap<>();
    Map<String, Integer> defaultPool = new TreeMap<>();
    List<String> uncounted = new ArrayList<>();
    List<String> counted = new ArrayList<>();
    for (var pool : spec.nodePools()) {
      if (!present.contains(pool.name())) {
        add(pools, pool.machineType(), pool.initialNodes() * zones, uncounted);
        counted.add(pool.initialNodes() * zones + " × " + pool.machineType());
      }
    }
    if (existing.isEmpty() && spec.gcp().defaultPool() != null) {
      var d = spec.gcp().defaultPool();
      add(defaultPool, d.machineType(), d.initialNodes() * zones, uncounted);
    }
    // default-pool comes with the cluster and goes before the pools are made: the peak is the
    // larger.
    Map<String, Integer> need = new TreeMap<>();
    for (String metric : union(pools.keySet(), defaultPool.keySet())) {
      need.put(
          metric, Math.max(pools.getOrDefault(metric, 0), defaultPool.getOrDefault(metric, 0)));
    }
    List<String> short_ = new ArrayList<>();
    List<String> fine = new ArrayList<>();
    for (var e : need.entrySet()) {
      RegionQuotas.Quota q = region.quotas().get(e.getKey());
      if (q == null) {
        continue; // The region has no such quota (a family without one of its own).
      }
      String line =
          e.getKey()
              + ": need "
              + e.getValue()
              + ", free "
              + fmt(q.free())
              + " (limit "
              + fmt(q.limit())
              + ", in use "
              + fmt(q.usage())
              + ")";
      (e.getValue() > q.free() ? short_ : fine).add(line);
    }
    String basis =
        counted.isEmpty()
            ? "no new nodes"
            : "initial nodes " + String.join(", ", counted) + " (" + zones + " zone(s))";
    String notCounted =
        uncounted.isEmpty() ? "" : "; not counted (unknown vCPUs): " + String.join(", ", uncounted);
    if (short_.isEmpty()) {
      return new Check(
          name, true, spec.region() + " " + String.join("; ", fine) + " for " + basis + notCounted);
    }
    return new Check(
        name,
        false,
        "region "
            + spec.region()
            + " of project "
            + spec.gcp().project()
            + " is short of quota: "
            + String.join("; ", short_)
            + " for "
            + basis
            + notCounted
            + ". Fix: request more at https://console.cloud.google.com/iam-admin/quotas?project="
            + spec.gcp().project()
            + ", or lower initialNodes, use smaller machines or fewer zones");
  }

  /** Every vCPU counts against CPUS, and against its family's metric where the region has one. */
  private static void add(
      Map<String, Integer> need, String machineType, int nodes, List<String> uncounted) {
    Optional<Integer> cpus = MachineTypes.vcpus(machineType);
    if (cpus.isEmpty()) {
      uncounted.add(machineType);
      return;
    }
    need.merge("CPUS", cpus.get() * nodes, Integer::sum);
    need.merge(MachineTypes.familyMetric(machineType), cpus.get() * nodes, Integer::sum);
  }

  private static List<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  // ---- errors ----

  /**
   * A REST read that failed. 403: the caller may not look (or the API that tells is off), and the
   * run may not need to, so not checked. Another 4xx: the check fails with Google's message. A
   * network error, 429 or 5xx: thrown, retryable.
   */
  private static Check readFailed(String name, String doing, String permission, IOException e) {
    if (e instanceof GoogleRest.Error err && !err.transientError()) {
      String detail = ConfigurationErrors.redact(err.getMessage());
      if (err.permissionDenied() || err.serviceDisabled()) {
        return new Check(
            name,
            true,
            "not checked: "
                + (err.serviceDisabled()
                    ? "the API that tells is not enabled"
                    : "the caller lacks " + permission)
                + " ("
                + detail
                + ")");
      }
      return new Check(name, false, doing + " failed: " + detail);
    }
    throw Failures.retryable(
        Failures.TRANSIENT, doing + " failed: " + ConfigurationErrors.redact(e.getMessage()));
  }

  /** A GKE read that failed: permanent errors are the check's failure, transient ones thrown. */
  private static Check denied(String name, String permission, ApiException e) {
    ApplicationFailure failure = CloudErrors.translate("checking " + name.toLowerCase(), e);
    if (!failure.isNonRetryable()) {
      throw failure;
    }
    return new Check(name, false, failure.getOriginalMessage() + " (" + permission + ")");
  }
}
