package io.refarch.spec;

import java.util.List;
import java.util.Map;

/**
 * Fills, in one place, what the seeds fix and users leave out. A value the user set is never
 * replaced; blocks of another cloud are left as they are (the validator names them).
 */
public final class SpecDefaults {

  // GKE: the seed's gcloud flags (000 and 002).
  public static final String GKE_SERVICE_ACCOUNT = "gitpod-gke";
  public static final List<String> GKE_SERVICE_ACCOUNT_ROLES =
      List.of(
          "roles/storage.admin",
          "roles/logging.logWriter",
          "roles/monitoring.metricWriter",
          "roles/container.admin");

  /**
   * The seed's {@code node-pools create} names no --service-account (only {@code clusters create}
   * does), so its pools run as the project's Compute Engine default account.
   */
  public static final String GKE_NODE_POOL_SERVICE_ACCOUNT = GcpOptions.COMPUTE_DEFAULT_ACCOUNT;

  public static final String GKE_IMAGE_TYPE = "UBUNTU_CONTAINERD";
  public static final List<String> GKE_SCOPES =
      List.of("gke-default", "https://www.googleapis.com/auth/ndev.clouddns.readwrite");
  public static final List<String> GKE_ADDONS =
      List.of("HorizontalPodAutoscaling", "NodeLocalDNS", "NetworkPolicy");
  public static final Map<String, String> GKE_METADATA = Map.of("disable-legacy-endpoints", "true");
  public static final String GKE_DISK_TYPE = "pd-ssd";

  /** gcloud's own default boot disk size, which the seed's services pool also uses. */
  public static final int GKE_DISK_SIZE_GB = 100;

  public static final NodePool GKE_DEFAULT_POOL =
      new NodePool(
          "default-pool", "e2-standard-2", 0, 1, 1, "pd-ssd", 50, null, null, Map.of(), 110);

  // EKS: the seed's eksctl ClusterConfig (002).
  public static final String EKS_VPC_CIDR = "192.168.0.0/16";
  public static final String EKS_NAT = "Single";
  public static final String EKS_AMI_FAMILY = "Ubuntu2004";
  public static final List<String> EKS_NODE_POLICIES =
      List.of(
          "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
          "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
          "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
          "arn:aws:iam::aws:policy/ElasticLoadBalancingFullAccess",
          "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
  public static final List<String> EKS_CLUSTER_LOGGING = List.of("*");

  /**
   * A pinned Calico release instead of the seed's unversioned docs URL, so every run installs the
   * same operator. Its sha256 is not known offline; see docs/spec.md (aws.calico).
   */
  public static final String EKS_CALICO_OPERATOR_MANIFEST =
      "https://raw.githubusercontent.com/projectcalico/calico/v3.26.4/manifests/tigera-operator.yaml";

  /** eksctl's {@code vpc.publicAccessCIDRs} default: the public endpoint open to all. */
  public static final List<String> EKS_PUBLIC_ACCESS_CIDRS = List.of("0.0.0.0/0");

  public static final String EKS_DISK_TYPE = "gp3";
  public static final int EKS_DISK_SIZE_GB = 300;
  public static final int EKS_DISK_IOPS = 6000;
  public static final int EKS_DISK_THROUGHPUT = 500;

  // AKS: no seed procedure; the 000 seed's pools on Azure with AKS's own defaults.
  public static final String AKS_NETWORK_PLUGIN = "azure";
  public static final String AKS_NETWORK_POLICY = "calico";
  public static final String AKS_DISK_TYPE = "Managed";

  /** AKS's own default OS disk size. */
  public static final int AKS_DISK_SIZE_GB = 128;

  /** Gitpod's cluster check wants 110 pods on workspace nodes; the seeds use it on every pool. */
  public static final int MAX_PODS = 110;

  private SpecDefaults() {}

  public static ClusterSpec apply(ClusterSpec spec) {
    Cloud cloud = spec.cloud();
    String name = spec.name();
    List<NodePool> pools = spec.nodePools();
    if (cloud != null && pools != null) {
      pools = pools.stream().map(p -> p == null ? null : pool(cloud, p)).toList();
    }
    return new ClusterSpec(
        or(spec.apiVersion(), ClusterSpec.API_VERSION),
        or(spec.kind(), ClusterSpec.KIND),
        cloud,
        name,
        spec.region(),
        or(spec.zones(), List.of()),
        spec.kubernetesVersion(),
        spec.clusterAdmin(),
        or(spec.keepOnFailure(), false),
        spec.heartbeatTimeoutSeconds(),
        cloud == null ? spec.network() : network(cloud, name, spec.network()),
        pools,
        cloud == Cloud.GCP ? gcp(spec.gcp()) : spec.gcp(),
        cloud == Cloud.AWS ? aws(spec.aws()) : spec.aws(),
        cloud == Cloud.AZURE ? azure(name, spec.azure(), spec.network()) : spec.azure());
  }

  private static Network network(Cloud cloud, String clusterName, Network n) {
    Network in = n != null ? n : new Network(null, null, null, null, null, null, null);
    return switch (cloud) {
      case GCP ->
          new Network(
              or(in.subnetwork(), clusterName == null ? null : "gitpod-" + clusterName),
              in.vpcCidr(),
              in.nat(),
              or(in.networkPolicy(), true),
              in.privateAccess(),
              in.publicAccess(),
              in.publicAccessCidrs());
      case AWS ->
          new Network(
              in.subnetwork(),
              or(in.vpcCidr(), EKS_VPC_CIDR),
              or(in.nat(), EKS_NAT),
              or(in.networkPolicy(), true),
              or(in.privateAccess(), true),
              or(in.publicAccess(), true),
              // eksctl's default: a public endpoint open to every address unless narrowed.
              Boolean.FALSE.equals(in.publicAccess())
                  ? in.publicAccessCidrs()
                  : or(in.publicAccessCidrs(), EKS_PUBLIC_ACCESS_CIDRS));
      case AZURE ->
          new Network(
              in.subnetwork(),
              in.vpcCidr(),
              in.nat(),
              or(in.networkPolicy(), true),
              in.privateAccess(),
              in.publicAccess(),
              in.publicAccessCidrs());
    };
  }

  private static NodePool pool(Cloud cloud, NodePool p) {
    String diskType =
        or(
            p.diskType(),
            switch (cloud) {
              case GCP -> GKE_DISK_TYPE;
              case AWS -> EKS_DISK_TYPE;
              case AZURE -> AKS_DISK_TYPE;
            });
    int diskSize =
        switch (cloud) {
          case GCP -> GKE_DISK_SIZE_GB;
          case AWS -> EKS_DISK_SIZE_GB;
          case AZURE -> AKS_DISK_SIZE_GB;
        };
    // IOPS and throughput are settable on gp3 only; another volume type keeps what the user wrote.
    boolean gp3 = cloud == Cloud.AWS && diskType.equals(EKS_DISK_TYPE);
    return new NodePool(
        p.name(),
        p.machineType(),
        p.minNodes(),
        p.maxNodes(),
        or(p.initialNodes(), initialNodes(p.minNodes(), p.maxNodes())),
        diskType,
        or(p.diskSizeGb(), diskSize),
        gp3 ? or(p.diskIops(), EKS_DISK_IOPS) : p.diskIops(),
        gp3 ? or(p.diskThroughput(), EKS_DISK_THROUGHPUT) : p.diskThroughput(),
        or(p.labels(), Map.of()),
        or(p.maxPods(), MAX_PODS));
  }

  /**
   * The seed starts every pool with one node (--num-nodes=1), also the 0..1 default pool: so at
   * least one, at least minNodes, at most maxNodes.
   */
  static Integer initialNodes(Integer min, Integer max) {
    int initial = Math.max(1, min == null ? 0 : min);
    if (max != null && max >= (min == null ? 0 : min)) {
      initial = Math.min(initial, max);
    }
    return initial;
  }

  private static GcpOptions gcp(GcpOptions g) {
    GcpOptions in =
        g != null
            ? g
            : new GcpOptions(
                null, null, null, null, null, null, null, null, null, null, null, null);
    NodePool d = in.defaultPool();
    NodePool defaultPool =
        d == null
            ? GKE_DEFAULT_POOL
            : new NodePool(
                or(d.name(), GKE_DEFAULT_POOL.name()),
                or(d.machineType(), GKE_DEFAULT_POOL.machineType()),
                or(d.minNodes(), GKE_DEFAULT_POOL.minNodes()),
                or(d.maxNodes(), GKE_DEFAULT_POOL.maxNodes()),
                or(
                    d.initialNodes(),
                    initialNodes(
                        or(d.minNodes(), GKE_DEFAULT_POOL.minNodes()),
                        or(d.maxNodes(), GKE_DEFAULT_POOL.maxNodes()))),
                or(d.diskType(), GKE_DEFAULT_POOL.diskType()),
                or(d.diskSizeGb(), GKE_DEFAULT_POOL.diskSizeGb()),
                d.diskIops(),
                d.diskThroughput(),
                or(d.labels(), Map.of()),
                or(d.maxPods(), MAX_PODS));
    return new GcpOptions(
        in.project(),
        or(in.serviceAccount(), GKE_SERVICE_ACCOUNT),
        or(in.serviceAccountRoles(), GKE_SERVICE_ACCOUNT_ROLES),
        or(in.nodePoolServiceAccount(), GKE_NODE_POOL_SERVICE_ACCOUNT),
        or(in.imageType(), GKE_IMAGE_TYPE),
        or(in.scopes(), GKE_SCOPES),
        or(in.addons(), GKE_ADDONS),
        or(in.autoUpgrade(), false),
        or(in.autoRepair(), true),
        or(in.metadata(), GKE_METADATA),
        defaultPool,
        or(in.poolsWithCluster(), false));
  }

  private static AwsOptions aws(AwsOptions a) {
    AwsOptions in = a != null ? a : new AwsOptions(null, null, null, null, null, null, null, null);
    AwsOptions.Calico c = in.calico();
    AwsOptions.Calico calico =
        c == null
            ? new AwsOptions.Calico(EKS_CALICO_OPERATOR_MANIFEST, null)
            : new AwsOptions.Calico(
                or(c.operatorManifest(), EKS_CALICO_OPERATOR_MANIFEST), c.operatorManifestSha256());
    return new AwsOptions(
        in.account(),
        or(in.tags(), Map.of()),
        or(in.withOIDC(), true),
        or(in.serviceAccounts(), List.of()),
        or(in.amiFamily(), EKS_AMI_FAMILY),
        or(in.nodePolicies(), EKS_NODE_POLICIES),
        or(in.clusterLogging(), EKS_CLUSTER_LOGGING),
        calico);
  }

  private static AzureOptions azure(String clusterName, AzureOptions a, Network network) {
    AzureOptions in = a != null ? a : new AzureOptions(null, null, null, null, null);
    // network.networkPolicy: false turns policy enforcement off, so no engine is filled in then.
    boolean policy = network == null || !Boolean.FALSE.equals(network.networkPolicy());
    return new AzureOptions(
        in.subscription(),
        or(in.resourceGroup(), clusterName == null ? null : clusterName + "-rg"),
        or(in.dnsPrefix(), dnsPrefix(clusterName)),
        or(in.networkPlugin(), AKS_NETWORK_PLUGIN),
        policy ? or(in.networkPolicy(), AKS_NETWORK_POLICY) : in.networkPolicy(),
        in.tags());
  }

  /**
   * The cluster name made a valid DNS prefix (at most 54 letters, digits or hyphens, no hyphen at
   * either end): AKS allows underscores and 63 characters in names, not in DNS prefixes.
   */
  static String dnsPrefix(String clusterName) {
    if (clusterName == null) {
      return null;
    }
    String prefix = clusterName.replace('_', '-');
    prefix = prefix.substring(0, Math.min(prefix.length(), 54));
    return prefix.replaceAll("^-+|-+$", "");
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
