package io.refarch.activities.eks.preflight;

import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.eks.AwsErrors;
import io.refarch.activities.eks.Ownership;
import io.refarch.activities.eks.preflight.AwsReads.CallerIdentity;
import io.refarch.activities.eks.preflight.AwsReads.ClusterVersions;
import io.refarch.activities.eks.preflight.AwsReads.Clusters;
import io.refarch.activities.eks.preflight.AwsReads.ElasticIps;
import io.refarch.activities.eks.preflight.AwsReads.ExistingCluster;
import io.refarch.activities.eks.preflight.AwsReads.InstanceTypeVcpus;
import io.refarch.activities.eks.preflight.AwsReads.OfferedVersion;
import io.refarch.activities.eks.preflight.AwsReads.QuotaValues;
import io.refarch.activities.eks.preflight.AwsReads.RunningInstance;
import io.refarch.activities.eks.preflight.AwsReads.RunningInstances;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.NodePool;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.PreflightReport.Check;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The EKS preflight: reads, never writes, what a provisioning run will need, and says for each what
 * to fix. As GKE's: a read the caller may not make (AccessDenied, 403) leaves its check not
 * checked, not failed, since the run may not need that permission; a read another attempt may get
 * through (throttled, unavailable, the network) is thrown as the retryable failure it is.
 */
public final class EksPreflightChecks {

  /** Service Quotas' code of "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances". */
  public static final String STANDARD_VCPU_QUOTA = "L-1216C47A";

  static final String STANDARD_VCPU_QUOTA_NAME =
      "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances";

  /**
   * The instance families that quota covers: the letters before the type's generation digit (m6i →
   * m; im4gn and is4gen are I). Inf, DL, Trn, HPC, G, P, X ... have quotas of their own.
   */
  static final Set<String> STANDARD_FAMILIES =
      Set.of("a", "c", "d", "h", "i", "im", "is", "m", "r", "t", "z");

  /** eksctl's zone count when the spec names none (NetworkReconciler#zones takes as many). */
  static final int DEFAULT_ZONES = 3;

  private final CallerIdentity identity;
  private final ClusterVersions versions;
  private final Clusters clusters;
  private final QuotaValues quotas;
  private final InstanceTypeVcpus instanceTypes;
  private final RunningInstances running;
  private final ElasticIps elasticIps;

  public EksPreflightChecks(
      CallerIdentity identity,
      ClusterVersions versions,
      Clusters clusters,
      QuotaValues quotas,
      InstanceTypeVcpus instanceTypes,
      RunningInstances running,
      ElasticIps elasticIps) {
    this.identity = identity;
    this.versions = versions;
    this.clusters = clusters;
    this.quotas = quotas;
    this.instanceTypes = instanceTypes;
    this.running = running;
    this.elasticIps = elasticIps;
  }

  /**
   * Every check, in order. When the credentials do not work the other checks are not made: every
   * read would fail the same way.
   */
  public PreflightReport check(ClusterSpec spec) {
    List<Check> checks = new ArrayList<>();
    Check credentials = credentials();
    checks.add(credentials);
    if (!credentials.ok()) {
      return new PreflightReport(checks);
    }
    checks.add(version(spec));
    Optional<ExistingCluster> existing = existing(spec, checks);
    checks.add(vcpus(spec, existing));
    checks.add(elasticIps(spec));
    return new PreflightReport(checks);
  }

  // ---- credentials ----

  private Check credentials() {
    String name = "Credentials";
    try {
      return new Check(name, true, "as " + identity.arn());
    } catch (SdkException e) {
      // AwsErrors words rejected and missing credentials with what to fix.
      ApplicationFailure failure = AwsErrors.translate("sts:GetCallerIdentity", e);
      if (!failure.isNonRetryable()) {
        throw failure;
      }
      return new Check(name, false, failure.getOriginalMessage());
    }
  }

  // ---- Kubernetes version ----

  private Check version(ClusterSpec spec) {
    String name = "Kubernetes version";
    String wanted = spec.kubernetesVersion();
    try {
      if (wanted == null || wanted.isBlank() || wanted.equals("latest")) {
        Optional<OfferedVersion> defaultVersion =
            versions.offered(List.of()).stream().filter(OfferedVersion::isDefault).findFirst();
        return new Check(
            name,
            true,
            "latest: EKS's default in "
                + spec.region()
                + defaultVersion.map(v -> ", " + v.version()).orElse(""));
      }
      String minor = minor(wanted);
      Optional<OfferedVersion> found =
          versions.offered(List.of(minor)).stream()
              .filter(v -> v.version().equals(minor) && supported(v))
              .findFirst();
      if (found.isPresent()) {
        return new Check(
            name,
            true,
            wanted
                + " is offered by EKS in "
                + spec.region()
                + " ("
                + found.get().status().toLowerCase(Locale.ROOT).replace('_', ' ')
                + ")");
      }
      List<String> offered =
          versions.offered(List.of()).stream()
              .filter(EksPreflightChecks::supported)
              .map(OfferedVersion::version)
              .toList();
      return new Check(
          name,
          false,
          "EKS does not offer Kubernetes "
              + wanted
              + " in "
              + spec.region()
              + " (versions past extended support cannot be created). It offers "
              + (offered.isEmpty() ? "none" : String.join(", ", offered))
              + ". Fix: set kubernetesVersion to one of them");
    } catch (SdkException e) {
      return readFailed(name, "eks:DescribeClusterVersions", e);
    }
  }

  private static boolean supported(OfferedVersion v) {
    return v.status() == null || !v.status().toUpperCase(Locale.ROOT).equals("UNSUPPORTED");
  }

  /** EKS versions are minors: "1.31.2" is asked for as 1.31. */
  private static String minor(String version) {
    String[] parts = version.split("\\.");
    return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
  }

  // ---- names ----

  /** Adds the names check; returns the cluster that exists under the spec's name, if any. */
  private Optional<ExistingCluster> existing(ClusterSpec spec, List<Check> checks) {
    String name = "Names";
    Optional<ExistingCluster> found;
    try {
      found = clusters.find(spec.name());
    } catch (SdkException e) {
      checks.add(readFailed(name, "eks:DescribeCluster", e));
      return Optional.empty();
    }
    if (found.isEmpty()) {
      checks.add(
          new Check(name, true, "no EKS cluster " + spec.name() + " in " + spec.region() + " yet"));
      return found;
    }
    ExistingCluster cluster = found.get();
    if (!Ownership.madeFor(cluster.tags(), spec.name())) {
      checks.add(
          new Check(
              name,
              false,
              "EKS cluster "
                  + spec.name()
                  + " exists in "
                  + spec.region()
                  + " and was not made by refarch for this spec (no "
                  + Ownership.CLUSTER
                  + "="
                  + spec.name()
                  + " tag). Fix: choose another name, or delete that cluster"));
      return found;
    }
    String wanted = spec.kubernetesVersion();
    if (wanted != null
        && !wanted.isBlank()
        && !wanted.equals("latest")
        && cluster.version() != null
        && !minor(wanted).equals(cluster.version())) {
      checks.add(
          new Check(
              name,
              false,
              "EKS cluster "
                  + spec.name()
                  + " exists (made by refarch) with version "
                  + cluster.version()
                  + " (spec: "
                  + wanted
                  + "). Fix: set kubernetesVersion to "
                  + cluster.version()
                  + ", or delete the cluster (refarch down)"));
      return found;
    }
    checks.add(
        new Check(
            name,
            true,
            "EKS cluster "
                + spec.name()
                + " exists, made by refarch for this spec ("
                + Ownership.CLUSTER
                + "="
                + spec.name()
                + "); the run adopts it"));
    return found;
  }

  // ---- vCPU quota ----

  private Check vcpus(ClusterSpec spec, Optional<ExistingCluster> existing) {
    String name = "vCPU quota";
    // Node groups that exist already run in the region's usage; only new nodes need room.
    List<String> present = existing.map(ExistingCluster::nodegroups).orElse(List.of());
    List<NodePool> pools =
        spec.nodePools() == null
            ? List.of()
            : spec.nodePools().stream().filter(p -> !present.contains(p.name())).toList();
    List<String> types = pools.stream().map(NodePool::machineType).distinct().toList();
    Map<String, Integer> vcpus;
    try {
      vcpus = types.isEmpty() ? Map.of() : instanceTypes.vcpus(types);
    } catch (SdkException e) {
      if (e instanceof AwsServiceException s && AwsErrors.code(s).equals("InvalidInstanceType")) {
        return new Check(
            name,
            false,
            "nodePools[].machineType: "
                + AwsErrors.message(s)
                + " in "
                + spec.region()
                + ". Fix: use an EC2 instance type offered there, e.g. m6i.xlarge");
      }
      return readFailed(name, "ec2:DescribeInstanceTypes", e);
    }
    int need = 0;
    List<String> counted = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (NodePool pool : pools) {
      String type = pool.machineType();
      if (!standard(type)) {
        other.add(type);
        continue;
      }
      int perNode = vcpus.getOrDefault(type, 0);
      need += pool.initialNodes() * perNode;
      counted.add(pool.initialNodes() + " × " + type + " (" + perNode + " vCPUs)");
    }
    String outside =
        other.isEmpty()
            ? ""
            : "; not counted: "
                + String.join(", ", other)
                + " (outside the Standard families, under a quota of their own)";
    if (counted.isEmpty()) {
      return new Check(
          name, true, "no new nodes of the Standard families to make room for" + outside);
    }
    double limit;
    List<RunningInstance> instances;
    try {
      limit = quotas.value("ec2", STANDARD_VCPU_QUOTA);
    } catch (SdkException e) {
      return readFailed(name, "servicequotas:GetServiceQuota", e);
    }
    try {
      instances = running.running();
    } catch (SdkException e) {
      return readFailed(name, "ec2:DescribeInstances", e);
    }
    List<RunningInstance> inUse =
        instances.stream().filter(i -> i.onDemand() && standard(i.type())).toList();
    int usage = inUse.stream().mapToInt(RunningInstance::vcpus).sum();
    double free = limit - usage;
    String numbers =
        STANDARD_VCPU_QUOTA_NAME
            + " ("
            + STANDARD_VCPU_QUOTA
            + "): need "
            + need
            + " vCPUs for the initial nodes "
            + String.join(", ", counted)
            + "; free "
            + fmt(free)
            + " (quota "
            + fmt(limit)
            + ", in use "
            + usage
            + " by "
            + inUse.size()
            + " running On-Demand Standard instance(s))"
            + outside;
    if (need <= free) {
      return new Check(name, true, spec.region() + " " + numbers);
    }
    return new Check(
        name,
        false,
        "region "
            + spec.region()
            + " is short of vCPU quota: "
            + numbers
            + ". Fix: request "
            + fmt(limit + need - free)
            + " or more at https://"
            + spec.region()
            + ".console.aws.amazon.com/servicequotas/home/services/ec2/quotas/"
            + STANDARD_VCPU_QUOTA
            + ", or lower initialNodes, or use smaller instance types");
  }

  /** Whether {@code type}'s family counts against the Standard On-Demand vCPU quota. */
  static boolean standard(String type) {
    if (type == null) {
      return false;
    }
    String lower = type.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < lower.length() && Character.isLetter(lower.charAt(i))) {
      i++;
    }
    return STANDARD_FAMILIES.contains(lower.substring(0, i));
  }

  // ---- Elastic IPs ----

  private Check elasticIps(ClusterSpec spec) {
    String name = "Elastic IPs";
    String nat = spec.network() == null ? null : spec.network().nat();
    int zones =
        spec.zones() != null && !spec.zones().isEmpty() ? spec.zones().size() : DEFAULT_ZONES;
    int need =
        switch (nat == null ? "Single" : nat) {
          case "Disable" -> 0;
          case "HighlyAvailable" -> zones;
          default -> 1;
        };
    String mode =
        "NAT "
            + (nat == null ? "Single" : nat)
            + (need == zones && need > 1 ? " (one per zone)" : "");
    if (need == 0) {
      return new Check(name, true, mode + ": no NAT gateway, no Elastic IP needed");
    }
    int limit;
    List<Map<String, String>> allocated;
    try {
      limit = elasticIps.limit();
      allocated = elasticIps.allocated();
    } catch (SdkException e) {
      return readFailed(name, "ec2:DescribeAccountAttributes/DescribeAddresses", e);
    }
    // Addresses an earlier run made for this cluster are its NAT gateways' own: reused, not new.
    long own = allocated.stream().filter(t -> Ownership.madeFor(t, spec.name())).count();
    long newOnes = Math.max(0, need - own);
    long free = limit - allocated.size();
    String numbers =
        mode
            + " needs "
            + need
            + (own > 0 ? " (" + own + " allocated for " + spec.name() + " already)" : "")
            + "; "
            + allocated.size()
            + " of "
            + limit
            + " allocated in "
            + spec.region()
            + " (vpc-max-elastic-ips)";
    if (newOnes <= free) {
      return new Check(name, true, numbers);
    }
    return new Check(
        name,
        false,
        "too few Elastic IPs: "
            + numbers
            + ". Fix: release unused addresses, request more (Service Quotas: EC2-VPC Elastic IPs,"
            + " L-0263D0A3), or set network.nat to Single");
  }

  // ---- errors ----

  /**
   * A read that failed. Denied: the caller may not look, and the run may not need to, so not
   * checked. Another permanent error: the check fails with AWS's message. Transient: thrown.
   */
  private static Check readFailed(String name, String action, SdkException e) {
    ApplicationFailure failure = AwsErrors.translate("calling " + action, e);
    if (!failure.isNonRetryable()) {
      throw failure;
    }
    if (FailureTypes.PERMISSION_DENIED.equals(failure.getType())) {
      return new Check(
          name, true, "not checked: the caller may not call " + action + " (" + detail(e) + ")");
    }
    return new Check(name, false, failure.getOriginalMessage());
  }

  private static String detail(SdkException e) {
    if (e instanceof AwsServiceException s) {
      return AwsErrors.code(s) + ": " + ConfigurationErrors.redact(AwsErrors.message(s));
    }
    return ConfigurationErrors.redact(String.valueOf(e.getMessage()));
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
