package io.refarch.activities.eks;

import io.refarch.activities.ActivityConfig;
import io.refarch.activities.Caller;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.WorkerStopping;
import io.refarch.activities.eks.accessentry.AccessEntries;
import io.refarch.activities.eks.accessentry.ClusterAdminAccess;
import io.refarch.activities.eks.accessentry.EksAccessEntries;
import io.refarch.activities.eks.controlplane.ControlPlaneReconciler;
import io.refarch.activities.eks.controlplane.ControlPlaneReconciler.ControlPlaneSpec;
import io.refarch.activities.eks.iam.PolicyDocuments;
import io.refarch.activities.eks.iam.RoleReconciler;
import io.refarch.activities.eks.iam.RoleReconciler.RoleSpec;
import io.refarch.activities.eks.irsa.WellKnownPolicies;
import io.refarch.activities.eks.network.NetworkPlan;
import io.refarch.activities.eks.network.NetworkReconciler;
import io.refarch.activities.eks.nodegroup.AutoScalingGroupTags;
import io.refarch.activities.eks.nodegroup.AwsAutoScalingGroupTags;
import io.refarch.activities.eks.nodegroup.LaunchTemplates;
import io.refarch.activities.eks.nodegroup.NodeGroupReconciler;
import io.refarch.activities.eks.nodegroup.NodeGroupReconciler.NodeGroupSpec;
import io.refarch.activities.eks.nodegroup.NodeGroupTags;
import io.refarch.activities.eks.nodegroup.NodeImages;
import io.refarch.activities.eks.nodegroup.SsmNodeImages;
import io.refarch.activities.eks.nodegroup.UserData;
import io.refarch.activities.eks.oidc.OidcProviderReconciler;
import io.refarch.activities.eks.preflight.EksPreflight;
import io.refarch.activities.gke.operation.PollSchedule;
import io.refarch.spec.AwsOptions;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Network;
import io.refarch.spec.NodePool;
import io.refarch.spec.SpecDefaults;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.eks.EksActivities;
import io.refarch.workflow.eks.NetworkRef;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * The EKS activities: each call finds the region's clients and delegates to the reconciler of its
 * resource. Deletes remove only what their caller may (see {@link Ownership}); what they keep is
 * returned (the run's outcome lists it) and reported in the activity's last heartbeat.
 */
public class EksActivitiesImpl implements EksActivities, AutoCloseable {
  /**
   * The spec's (its defaults give eksctl's 0.0.0.0/0), or eksctl's default for specs started before
   * the field existed.
   */
  static List<String> publicAccessCidrs(Network network) {
    return network.publicAccessCidrs() != null
        ? network.publicAccessCidrs()
        : SpecDefaults.EKS_PUBLIC_ACCESS_CIDRS;
  }

  static final String CLUSTER_POLICY = "AmazonEKSClusterPolicy";

  private final AwsConnection connection;
  private final PollSchedule polls;
  private final WorkerStopping stopping;
  private final Supplier<Caller> caller;
  private final Parts parts;
  private final Map<String, AwsClients> clients = new HashMap<>();
  private EksPreflight preflight;

  /** On a worker: AWS through {@code connection}, polls and stop signal from {@code config}. */
  public EksActivitiesImpl(AwsConnection connection, ActivityConfig config) {
    this(connection, config.operationPolls(), config.stopping(), Caller::current, Parts.AWS);
  }

  /**
   * The calls behind a narrow interface because an emulator may lack them: EKS access entries, the
   * public SSM parameters naming node images, the Auto Scaling group EKS makes.
   */
  public record Parts(
      Function<AwsClients, AccessEntries> accessEntries,
      Function<AwsClients, NodeImages> nodeImages,
      Function<AwsClients, AutoScalingGroupTags> groupTags) {
    /** All through the AWS APIs. */
    public static final Parts AWS =
        new Parts(
            c -> new EksAccessEntries(c.eks),
            c -> new SsmNodeImages(c.ssm),
            c -> new AwsAutoScalingGroupTags(c.autoScaling));
  }

  /**
   * With each part given: tests act as one run or a teardown, and stand in for what an emulator
   * lacks (moto has no access entries and no public AMI parameters).
   */
  public EksActivitiesImpl(
      AwsConnection connection,
      PollSchedule polls,
      WorkerStopping stopping,
      Supplier<Caller> caller,
      Parts parts) {
    this.connection = connection;
    this.polls = polls;
    this.stopping = stopping;
    this.caller = caller;
    this.parts = parts;
  }

  // ---- preflight ----

  /** A failed check fails the step for good: what it found needs a person, not another attempt. */
  @Override
  public PreflightReport preflight(ClusterSpec spec) {
    check(spec);
    EksPreflight checks;
    synchronized (this) {
      if (preflight == null) {
        preflight = new EksPreflight(connection);
      }
      checks = preflight;
    }
    PreflightReport report = checks.check(spec);
    if (!report.ok()) {
      throw ApplicationFailure.newNonRetryableFailure(
          report.summary(), FailureTypes.PREFLIGHT_FAILED, report);
    }
    return report;
  }

  // ---- network ----

  @Override
  public NetworkRef ensureNetwork(ClusterSpec spec) {
    check(spec);
    NetworkReconciler network = network(spec);
    NetworkPlan plan =
        NetworkPlan.of(spec.network().vpcCidr(), network.zones(spec.zones()), spec.network().nat());
    return network.ensure(spec.name(), plan, tags(spec), heartbeat());
  }

  @Override
  public Deletion deleteNetwork(ClusterSpec spec) {
    check(spec);
    Heartbeat heartbeat = heartbeat();
    List<String> kept = network(spec).delete(spec.name(), caller.get(), heartbeat);
    return report(kept.isEmpty() ? Deletion.DELETED : Deletion.kept(String.join("; ", kept)));
  }

  // ---- IAM roles ----

  @Override
  public String ensureClusterRole(ClusterSpec spec) {
    check(spec);
    return roles(spec)
        .ensure(
            new RoleSpec(
                roleName(spec, "cluster"),
                "EKS control plane of " + spec.name() + " (refarch)",
                PolicyDocuments.trustService("eks.amazonaws.com"),
                List.of(managedPolicy(spec, CLUSTER_POLICY)),
                Map.of(),
                tags(spec)),
            spec.name());
  }

  @Override
  public Deletion deleteClusterRole(ClusterSpec spec) {
    check(spec);
    return report(roles(spec).delete(roleName(spec, "cluster"), spec.name(), caller.get()));
  }

  @Override
  public String ensureNodeRole(ClusterSpec spec) {
    check(spec);
    return roles(spec)
        .ensure(
            new RoleSpec(
                roleName(spec, "nodes"),
                "Nodes of EKS cluster " + spec.name() + " (refarch)",
                PolicyDocuments.trustService("ec2.amazonaws.com"),
                spec.aws().nodePolicies(),
                Map.of(),
                tags(spec)),
            spec.name());
  }

  @Override
  public Deletion deleteNodeRole(ClusterSpec spec) {
    check(spec);
    return report(roles(spec).delete(roleName(spec, "nodes"), spec.name(), caller.get()));
  }

  // ---- control plane ----

  @Override
  public void ensureControlPlane(ClusterSpec spec, NetworkRef network, String clusterRoleArn) {
    check(spec);
    AwsClients c = clients(spec);
    new ControlPlaneReconciler(c.eks, new Waiter(polls))
        .ensure(
            new ControlPlaneSpec(
                spec.name(),
                spec.kubernetesVersion(),
                clusterRoleArn,
                network,
                !Boolean.FALSE.equals(spec.network().privateAccess()),
                !Boolean.FALSE.equals(spec.network().publicAccess()),
                publicAccessCidrs(spec.network()),
                spec.aws().clusterLogging(),
                tags(spec)),
            heartbeat());
    String admin = spec.clusterAdmin();
    if (admin != null && admin.startsWith("arn:")) {
      new ClusterAdminAccess(parts.accessEntries().apply(c)).ensure(spec.name(), admin, tags(spec));
    }
  }

  @Override
  public Deletion deleteControlPlane(ClusterSpec spec) {
    check(spec);
    return report(
        new ControlPlaneReconciler(clients(spec).eks, new Waiter(polls))
            .delete(spec.name(), caller.get(), heartbeat()));
  }

  // ---- OIDC provider and IRSA roles ----

  @Override
  public void ensureOidcProvider(ClusterSpec spec) {
    check(spec);
    oidc(spec).ensure(issuer(spec), spec.name(), tags(spec));
  }

  @Override
  public Deletion deleteOidcProvider(ClusterSpec spec) {
    check(spec);
    return report(oidc(spec).delete(spec.name(), caller.get()));
  }

  @Override
  public String ensureServiceAccountRole(ClusterSpec spec, String serviceAccount) {
    check(spec);
    AwsOptions.IrsaServiceAccount account = serviceAccount(spec, serviceAccount);
    String issuer = issuer(spec);
    String provider = oidc(spec).require(issuer, spec.name());
    Map<String, String> inline = new LinkedHashMap<>();
    WellKnownPolicies.of(account.wellKnownPolicy(), partition(spec))
        .forEach(p -> inline.put(p.name(), p.document()));
    return roles(spec)
        .ensure(
            new RoleSpec(
                roleName(spec, account.name()),
                "IRSA role of " + account.namespace() + "/" + account.name() + " in " + spec.name(),
                PolicyDocuments.trustServiceAccount(
                    provider,
                    OidcProviderReconciler.hostPath(issuer),
                    account.namespace(),
                    account.name()),
                List.of(),
                inline,
                tags(spec)),
            spec.name());
  }

  @Override
  public Deletion deleteServiceAccountRole(ClusterSpec spec, String serviceAccount) {
    check(spec);
    return report(roles(spec).delete(roleName(spec, serviceAccount), spec.name(), caller.get()));
  }

  // ---- node groups ----

  @Override
  public void ensureNodeGroup(
      ClusterSpec spec, String poolName, NetworkRef network, String nodeRoleArn) {
    check(spec);
    NodePool pool = pool(spec, poolName);
    AwsClients c = clients(spec);
    Cluster cluster = new ControlPlaneReconciler(c.eks, new Waiter(polls)).describe(spec.name());
    String amiFamily = spec.aws().amiFamily();
    String image =
        parts
            .nodeImages()
            .apply(c)
            .imageId(
                amiFamily, spec.kubernetesVersion(), NodeImages.architecture(pool.machineType()));
    Map<String, String> labels = pool.labels() == null ? Map.of() : pool.labels();
    Map<String, String> tags = new LinkedHashMap<>(tags(spec));
    tags.putAll(NodeGroupTags.autoscaler(spec.name()));
    String serviceCidr =
        cluster.kubernetesNetworkConfig() == null
            ? null
            : cluster.kubernetesNetworkConfig().serviceIpv4Cidr();
    String userData =
        UserData.base64(
            amiFamily,
            new UserData.ClusterInfo(
                spec.name(),
                cluster.endpoint(),
                cluster.certificateAuthority() == null ? "" : cluster.certificateAuthority().data(),
                serviceCidr == null ? "10.100.0.0/16" : serviceCidr),
            pool.maxPods(),
            labels);
    new NodeGroupReconciler(c.eks, c.ec2, parts.groupTags().apply(c), new Waiter(polls))
        .ensure(
            new NodeGroupSpec(
                spec.name(),
                pool.name(),
                nodeRoleArn,
                network.privateSubnetIds(),
                pool.minNodes(),
                pool.maxNodes(),
                pool.initialNodes(),
                labels,
                tags,
                LaunchTemplates.data(pool, amiFamily, image, userData, tags)),
            heartbeat());
  }

  @Override
  public Deletion deleteNodeGroup(ClusterSpec spec, String pool) {
    check(spec);
    AwsClients c = clients(spec);
    return report(
        new NodeGroupReconciler(c.eks, c.ec2, parts.groupTags().apply(c), new Waiter(polls))
            .delete(spec.name(), pool, caller.get(), heartbeat()));
  }

  // ---- kubeconfig: not written on EKS workers ----

  /**
   * Runs of this refarch reach EKS clusters through {@link EksKubeAccess}, never through a file;
   * only runs started before in-memory access asked for one, and no EKS run predates it.
   */
  @Override
  public KubeconfigRef writeKubeconfig(ClusterSpec spec) {
    throw Failures.permanent(
        FailureTypes.CONFIGURATION,
        "refarch writes no kubeconfig files for EKS clusters; the worker reaches the cluster"
            + " in memory (EksKubeAccess). Start the run again with this refarch.");
  }

  @Override
  public void deleteKubeconfig(ClusterSpec spec) {
    // Nothing was written.
  }

  // ---- helpers ----

  private NetworkReconciler network(ClusterSpec spec) {
    return new NetworkReconciler(clients(spec).ec2, new Waiter(polls));
  }

  private RoleReconciler roles(ClusterSpec spec) {
    return new RoleReconciler(clients(spec).iam);
  }

  private OidcProviderReconciler oidc(ClusterSpec spec) {
    return new OidcProviderReconciler(clients(spec).iam);
  }

  private String issuer(ClusterSpec spec) {
    Cluster cluster =
        new ControlPlaneReconciler(clients(spec).eks, new Waiter(polls)).describe(spec.name());
    if (cluster.identity() == null
        || cluster.identity().oidc() == null
        || cluster.identity().oidc().issuer() == null) {
      throw Failures.retryable(
          Failures.NOT_READY, "EKS cluster " + spec.name() + " has no OIDC issuer yet");
    }
    return cluster.identity().oidc().issuer();
  }

  private Map<String, String> tags(ClusterSpec spec) {
    return Ownership.tags(spec, caller.get());
  }

  private Heartbeat heartbeat() {
    return Heartbeat.ofCurrentActivity(stopping);
  }

  /**
   * A kept resource is no failure: the reason is returned (the run's outcome lists it) and goes
   * into the activity's last heartbeat, where the Web UI shows it on the step.
   */
  private Deletion report(Deletion deletion) {
    if (deletion.kept() != null) {
      heartbeat().beat("kept " + deletion.kept());
    }
    return deletion;
  }

  /** IAM role names are at most 64 characters. */
  static String roleName(ClusterSpec spec, String suffix) {
    String name = spec.name() + "-" + suffix;
    if (name.length() > 64) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "IAM role name "
              + name
              + " is longer than 64 characters: choose a shorter cluster name (at most "
              + (63 - suffix.length())
              + " characters with "
              + suffix
              + ")");
    }
    return name;
  }

  /** The ARN partition of the region: aws, aws-cn or aws-us-gov. */
  static String partition(ClusterSpec spec) {
    String region = spec.region();
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    return "aws";
  }

  private static String managedPolicy(ClusterSpec spec, String name) {
    return "arn:" + partition(spec) + ":iam::aws:policy/" + name;
  }

  private static AwsOptions.IrsaServiceAccount serviceAccount(ClusterSpec spec, String name) {
    return spec.aws().serviceAccounts().stream()
        .filter(a -> a.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                Failures.permanent(
                    FailureTypes.INVALID_ARGUMENT,
                    "aws.serviceAccounts: no service account named " + name));
  }

  private static NodePool pool(ClusterSpec spec, String name) {
    if (spec.nodePools() == null) {
      throw Failures.permanent(FailureTypes.INVALID_ARGUMENT, "nodePools: none given");
    }
    return spec.nodePools().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                Failures.permanent(
                    FailureTypes.INVALID_ARGUMENT, "nodePools: no node pool named " + name));
  }

  private static void check(ClusterSpec spec) {
    if (spec == null || spec.aws() == null || spec.name() == null || spec.region() == null) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT, "name, region and aws are required for an EKS cluster");
    }
  }

  private synchronized AwsClients clients(ClusterSpec spec) {
    return clients.computeIfAbsent(spec.region(), r -> AwsClients.connect(connection, r));
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(AwsClients::close);
    clients.clear();
    if (preflight != null) {
      preflight.close();
      preflight = null;
    }
  }
}
