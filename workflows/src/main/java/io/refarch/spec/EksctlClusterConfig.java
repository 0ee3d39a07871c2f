package io.refarch.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * eksctl's {@code ClusterConfig} (apiVersion eksctl.io/v1alpha5), such as the seed's
 * gitpod-cluster.yaml, read as a refarch spec for {@code cloud: aws}.
 *
 * <p>Each eksctl field refarch can honour is mapped onto the spec below; every other eksctl field
 * is reported by its path, never dropped, because a field that is silently ignored builds a
 * different cluster than the file describes. A field left out gets refarch's default (the seed's
 * value), as in a refarch spec; {@code refarch plan} prints them all.
 *
 * <p>The two values eksctl takes from the credentials it runs with, the account and who may
 * administer the cluster, go into {@code metadata.annotations}, which eksctl ignores: so the same
 * file still works with eksctl. Every problem, also those the validator finds later in the
 * translated spec, names the eksctl path (see {@link #problemPath}).
 */
final class EksctlClusterConfig {
  static final String API_VERSION = "eksctl.io/v1alpha5";
  static final String KIND = "ClusterConfig";

  /** The AWS account id (refarch's aws.account), which eksctl would take from the credentials. */
  static final String ACCOUNT_ANNOTATION = "refarch.io/account";

  /** The IAM principal that gets cluster-admin (refarch's clusterAdmin). */
  static final String CLUSTER_ADMIN_ANNOTATION = "refarch.io/cluster-admin";

  private static final List<String> ANNOTATIONS =
      List.of(ACCOUNT_ANNOTATION, CLUSTER_ADMIN_ANNOTATION);

  // eksctl's field names at each level (pkg/apis/eksctl.io/v1alpha5), mapped or not: a key that is
  // not here is a typo, reported with a did-you-mean instead of "not supported".
  static final List<String> CLUSTER_CONFIG =
      List.of(
          "apiVersion",
          "kind",
          "metadata",
          "kubernetesNetworkConfig",
          "autoModeConfig",
          "remoteNetworkConfig",
          "iam",
          "iamIdentityMappings",
          "identityProviders",
          "accessConfig",
          "vpc",
          "addons",
          "addonsConfig",
          "privateCluster",
          "nodeGroups",
          "managedNodeGroups",
          "fargateProfiles",
          "availabilityZones",
          "localZones",
          "cloudWatch",
          "secretsEncryption",
          "status",
          "git",
          "gitops",
          "karpenter",
          "outpost",
          "zonalShiftConfig");
  private static final List<String> METADATA =
      List.of("name", "region", "version", "tags", "annotations");
  private static final List<String> IAM =
      List.of(
          "withOIDC",
          "serviceAccounts",
          "serviceRoleARN",
          "serviceRolePermissionsBoundary",
          "fargatePodExecutionRoleARN",
          "fargatePodExecutionRolePermissionsBoundary",
          "podIdentityAssociations",
          "vpcResourceControllerPolicy");
  private static final List<String> SERVICE_ACCOUNT =
      List.of(
          "metadata",
          "wellKnownPolicies",
          "attachPolicyARNs",
          "attachPolicy",
          "attachRoleARN",
          "permissionsBoundary",
          "roleName",
          "roleOnly",
          "tags",
          "status");
  private static final List<String> SERVICE_ACCOUNT_METADATA =
      List.of("name", "namespace", "labels", "annotations");
  private static final List<String> VPC =
      List.of(
          "cidr",
          "nat",
          "clusterEndpoints",
          "publicAccessCIDRs",
          "autoAllocateIPv6",
          "id",
          "ipv6Cidr",
          "ipv6Pool",
          "securityGroup",
          "subnets",
          "extraCIDRs",
          "extraIPv6CIDRs",
          "sharedNodeSecurityGroup",
          "manageSharedNodeSecurityGroupRules",
          "hostnameType");
  private static final List<String> NAT = List.of("gateway");
  private static final List<String> CLUSTER_ENDPOINTS = List.of("privateAccess", "publicAccess");
  private static final List<String> CLOUD_WATCH = List.of("clusterLogging");
  private static final List<String> CLUSTER_LOGGING = List.of("enableTypes", "logRetentionInDays");
  private static final List<String> MANAGED_NODE_GROUP =
      List.of(
          "name",
          "amiFamily",
          "instanceType",
          "instanceTypes",
          "desiredCapacity",
          "minSize",
          "maxSize",
          "volumeSize",
          "volumeType",
          "volumeIOPS",
          "volumeThroughput",
          "labels",
          "tags",
          "iam",
          "maxPodsPerNode",
          "preBootstrapCommands",
          "disableIMDSv1",
          "spot",
          "ebsOptimized",
          "privateNetworking",
          "propagateASGTags",
          "ami",
          "availabilityZones",
          "subnets",
          "instancePrefix",
          "instanceName",
          "instanceSelector",
          "ssh",
          "securityGroups",
          "asgSuspendProcesses",
          "volumeName",
          "volumeEncrypted",
          "volumeKmsKeyID",
          "additionalVolumes",
          "overrideBootstrapCommand",
          "disablePodIMDS",
          "placement",
          "efaEnabled",
          "bottlerocket",
          "enableDetailedMonitoring",
          "capacityReservation",
          "outpostARN",
          "taints",
          "updateConfig",
          "launchTemplate",
          "releaseVersion",
          "nodeRepairConfig");
  private static final List<String> NODE_GROUP_IAM =
      List.of(
          "attachPolicyARNs",
          "attachPolicy",
          "instanceProfileARN",
          "instanceRoleARN",
          "instanceRoleName",
          "instanceRolePermissionsBoundary",
          "withAddonPolicies");

  /** Why refarch does not take a field, for the fields users are most likely to bring. */
  private static final Map<String, String> WHY =
      Map.ofEntries(
          Map.entry("nodeGroups", "refarch creates managed node groups only (managedNodeGroups)"),
          Map.entry("fargateProfiles", "Gitpod workspaces cannot run on Fargate"),
          Map.entry("addons", "refarch installs Calico in place of the VPC CNI, as the seed does"),
          Map.entry("iamIdentityMappings", "write the admin as " + CLUSTER_ADMIN_ANNOTATION),
          Map.entry("accessConfig", "write the admin as " + CLUSTER_ADMIN_ANNOTATION),
          Map.entry("subnets", "refarch creates its own VPC and subnets"),
          Map.entry("id", "refarch creates its own VPC and subnets"),
          Map.entry(
              "ssh",
              "refarch reaches nodes through SSM, which AmazonSSMManagedInstanceCore allows"),
          Map.entry("taints", "Gitpod schedules by the gitpod.io/workload_* labels"),
          Map.entry("ami", "refarch picks the image by amiFamily"),
          Map.entry("overrideBootstrapCommand", "refarch's nodes run the seed's bootstrap"),
          Map.entry("launchTemplate", "refarch writes the node group's launch template"),
          Map.entry("attachPolicyARNs", "refarch attaches the well-known policy only"),
          Map.entry("withAddonPolicies", "attach the policies by ARN (iam.attachPolicyARNs)"));

  /**
   * The seed's node group values that are not spec fields: refarch's EKS node groups always have
   * them (docs/spec.md, "Seed values that are not spec fields"), so only these values are taken.
   */
  private static final boolean SPOT = false;

  private static final boolean EBS_OPTIMIZED = true;
  private static final boolean PRIVATE_NETWORKING = true;
  private static final boolean PROPAGATE_ASG_TAGS = true;
  private static final boolean DISABLE_IMDSV1 = false;

  /** The seed's, text as written there (the sed line's two backslashes included). */
  static final List<String> PRE_BOOTSTRAP_COMMANDS =
      List.of(
          "echo \"export USE_MAX_PODS=false\" >> /etc/profile.d/bootstrap.sh",
          "echo \"export CONTAINER_RUNTIME=containerd\" >> /etc/profile.d/bootstrap.sh",
          "sed -i '/^set -o errexit/a\\\\nsource /etc/profile.d/bootstrap.sh' /etc/eks/bootstrap.sh");

  /** The cluster's public endpoint is open to all, as in the seed (and eksctl's default). */

  /** cluster-autoscaler's auto-discovery tags, which the seed puts on both node groups. */
  static Map<String, String> nodeGroupTags(String clusterName) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("k8s.io/cluster-autoscaler/enabled", "true");
    tags.put("k8s.io/cluster-autoscaler/" + clusterName, "owned");
    return tags;
  }

  // Pool fields as the validator names them, and eksctl's names for them.
  private static final Map<String, String> POOL_FIELDS =
      Map.ofEntries(
          Map.entry("name", "name"),
          Map.entry("minNodes", "minSize"),
          Map.entry("maxNodes", "maxSize"),
          Map.entry("initialNodes", "desiredCapacity"),
          Map.entry("diskType", "volumeType"),
          Map.entry("diskSizeGb", "volumeSize"),
          Map.entry("diskIops", "volumeIOPS"),
          Map.entry("diskThroughput", "volumeThroughput"),
          Map.entry("labels", "labels"),
          Map.entry("maxPods", "maxPodsPerNode"));
  private static final Pattern POOL_FIELD_WORD =
      Pattern.compile("\\b(minNodes|maxNodes|initialNodes|diskSizeGb|diskIops|diskThroughput)\\b");

  /** What eksctl takes from the credentials it runs with, and refarch needs written down. */
  private static final Map<String, String> REQUIRED_BECAUSE =
      Map.of(
          "aws.account",
          "the 12-digit AWS account id (eksctl uses its credentials' account; refarch names the"
              + " account in the run's id, before any AWS call)",
          "clusterAdmin",
          "the ARN of the IAM user or role that gets cluster-admin (eksctl makes its own caller"
              + " admin; refarch's worker is not you)");

  private final List<String> problems = new ArrayList<>();

  /** Spec path (as the validator writes it) -> the eksctl path it came from. */
  private final Map<String, String> sources = new LinkedHashMap<>();

  private EksctlClusterConfig() {
    sources.put("name", "metadata.name");
    sources.put("region", "metadata.region");
    sources.put("kubernetesVersion", "metadata.version");
    sources.put("zones", "availabilityZones");
    sources.put("clusterAdmin", annotationPath(CLUSTER_ADMIN_ANNOTATION));
    sources.put("aws.account", annotationPath(ACCOUNT_ANNOTATION));
    sources.put("aws.tags", "metadata.tags");
    sources.put("aws.withOIDC", "iam.withOIDC");
    sources.put("aws.serviceAccounts", "iam.serviceAccounts");
    sources.put("aws.clusterLogging", "cloudWatch.clusterLogging.enableTypes");
    sources.put("network", "vpc.clusterEndpoints");
    sources.put("network.vpcCidr", "vpc.cidr");
    sources.put("network.nat", "vpc.nat.gateway");
    sources.put("network.privateAccess", "vpc.clusterEndpoints.privateAccess");
    sources.put("network.publicAccess", "vpc.clusterEndpoints.publicAccess");
    sources.put("network.publicAccessCidrs", "vpc.publicAccessCIDRs");
    sources.put("nodePools", "managedNodeGroups");
  }

  /** The document header says eksctl; then it is read here or rejected for its version. */
  static boolean isEksctl(MappingNode root) {
    Node apiVersion = value(root, "apiVersion");
    return apiVersion instanceof ScalarNode s && s.getValue().startsWith("eksctl.io/");
  }

  /** The spec the ClusterConfig describes, with the way back to eksctl's paths for problems. */
  record Translation(ClusterSpec spec, Function<String, String> problemPath) {}

  /** Translates, or throws with every unsupported, unknown or ill-typed field at once. */
  static Translation translate(MappingNode root) throws SpecException {
    EksctlClusterConfig config = new EksctlClusterConfig();
    ClusterSpec spec = config.read(root);
    if (!config.problems.isEmpty()) {
      throw new SpecException(config.problems);
    }
    return new Translation(spec, config::problemPath);
  }

  private ClusterSpec read(MappingNode root) {
    Level top = new Level(root, "", CLUSTER_CONFIG);
    String apiVersion = str(top.take("apiVersion"), "apiVersion");
    String kind = str(top.take("kind"), "kind");
    if (!API_VERSION.equals(apiVersion)) {
      problems.add(
          "apiVersion: "
              + apiVersion
              + " is not read by refarch; write "
              + API_VERSION
              + " (eksctl's ClusterConfig) or "
              + ClusterSpec.API_VERSION
              + " (refarch's ClusterSpec)");
      return null;
    }
    if (!KIND.equals(kind)) {
      problems.add("kind: must be " + KIND + " for apiVersion " + API_VERSION);
      return null;
    }

    Level meta = new Level(top.take("metadata"), "metadata", METADATA);
    String name = str(meta.take("name"), "metadata.name");
    String region = str(meta.take("region"), "metadata.region");
    String version = str(meta.take("version"), "metadata.version");
    Map<String, String> tags = stringMap(meta.take("tags"), "metadata.tags");
    Map<String, String> annotations = stringMap(meta.take("annotations"), "metadata.annotations");
    meta.finish();
    String account = null;
    String clusterAdmin = null;
    if (annotations != null) {
      account = annotations.get(ACCOUNT_ANNOTATION);
      clusterAdmin = annotations.get(CLUSTER_ADMIN_ANNOTATION);
      // Other annotations are eksctl's "arbitrary metadata", ignored by eksctl too; a misspelt
      // one of ours would leave a value out, so refarch.io/ keys must be ours.
      for (String key : annotations.keySet()) {
        if (key.startsWith("refarch.io/") && !ANNOTATIONS.contains(key)) {
          problems.add(
              annotationPath(key)
                  + ": unknown refarch annotation; "
                  + SpecBinder.suggestion(key, ANNOTATIONS));
        }
      }
    }

    Level iam = new Level(top.take("iam"), "iam", IAM);
    Boolean withOIDC = bool(iam.take("withOIDC"), "iam.withOIDC");
    List<AwsOptions.IrsaServiceAccount> serviceAccounts = null;
    Node accountsNode = iam.take("serviceAccounts");
    if (accountsNode != null) {
      serviceAccounts = new ArrayList<>();
      List<Node> items = items(accountsNode, "iam.serviceAccounts");
      for (int i = 0; i < items.size(); i++) {
        serviceAccounts.add(serviceAccount(items.get(i), i));
      }
    }
    iam.finish();

    List<String> zones = stringList(top.take("availabilityZones"), "availabilityZones");

    Level vpc = new Level(top.take("vpc"), "vpc", VPC);
    String vpcCidr = str(vpc.take("cidr"), "vpc.cidr");
    Level nat = new Level(vpc.take("nat"), "vpc.nat", NAT);
    String gateway = str(nat.take("gateway"), "vpc.nat.gateway");
    nat.finish();
    Level endpoints =
        new Level(vpc.take("clusterEndpoints"), "vpc.clusterEndpoints", CLUSTER_ENDPOINTS);
    Boolean privateAccess =
        bool(endpoints.take("privateAccess"), "vpc.clusterEndpoints.privateAccess");
    Boolean publicAccess =
        bool(endpoints.take("publicAccess"), "vpc.clusterEndpoints.publicAccess");
    endpoints.finish();
    List<String> publicAccessCidrs =
        stringList(vpc.take("publicAccessCIDRs"), "vpc.publicAccessCIDRs");
    fixed(vpc.take("autoAllocateIPv6"), "vpc.autoAllocateIPv6", false, "refarch's VPC is IPv4");
    vpc.finish();

    Level cloudWatch = new Level(top.take("cloudWatch"), "cloudWatch", CLOUD_WATCH);
    Level logging =
        new Level(cloudWatch.take("clusterLogging"), "cloudWatch.clusterLogging", CLUSTER_LOGGING);
    List<String> clusterLogging =
        stringList(logging.take("enableTypes"), "cloudWatch.clusterLogging.enableTypes");
    logging.finish();
    cloudWatch.finish();

    List<NodePool> pools = null;
    NodeGroupWide wide = new NodeGroupWide();
    Node groupsNode = top.take("managedNodeGroups");
    if (groupsNode != null) {
      pools = new ArrayList<>();
      List<Node> items = items(groupsNode, "managedNodeGroups");
      for (int i = 0; i < items.size(); i++) {
        pools.add(nodeGroup(items.get(i), i, name, wide));
      }
    }
    top.finish();

    Network network =
        vpcCidr == null
                && gateway == null
                && privateAccess == null
                && publicAccess == null
                && publicAccessCidrs == null
            ? null
            : new Network(
                null, vpcCidr, gateway, null, privateAccess, publicAccess, publicAccessCidrs);
    AwsOptions aws =
        new AwsOptions(
            account,
            tags,
            withOIDC,
            serviceAccounts == null ? null : List.copyOf(serviceAccounts),
            wide.one("amiFamily", "aws.amiFamily"),
            wide.one("iam.attachPolicyARNs", "aws.nodePolicies"),
            clusterLogging,
            null);
    return new ClusterSpec(
        ClusterSpec.API_VERSION,
        ClusterSpec.KIND,
        Cloud.AWS,
        name,
        region,
        zones,
        version,
        clusterAdmin,
        null,
        null,
        network,
        pools == null ? null : Collections.unmodifiableList(pools),
        null,
        aws,
        null);
  }

  private AwsOptions.IrsaServiceAccount serviceAccount(Node node, int index) {
    String path = "iam.serviceAccounts[" + index + "]";
    String specPath = "aws.serviceAccounts[" + index + "]";
    sources.put(specPath, path);
    sources.put(specPath + ".name", path + ".metadata.name");
    sources.put(specPath + ".namespace", path + ".metadata.namespace");
    sources.put(specPath + ".wellKnownPolicy", path + ".wellKnownPolicies");
    Level sa = new Level(node, path, SERVICE_ACCOUNT);
    Level meta = new Level(sa.take("metadata"), path + ".metadata", SERVICE_ACCOUNT_METADATA);
    String name = str(meta.take("name"), path + ".metadata.name");
    String namespace = str(meta.take("namespace"), path + ".metadata.namespace");
    meta.finish();
    String policy = null;
    String policiesPath = path + ".wellKnownPolicies";
    Map<String, Boolean> policies = boolMap(sa.take("wellKnownPolicies"), policiesPath);
    if (policies != null) {
      List<String> enabled = new ArrayList<>();
      policies.forEach(
          (key, on) -> {
            if (!EksRules.WELL_KNOWN_POLICIES.contains(key)) {
              problems.add(
                  policiesPath
                      + "."
                      + key
                      + ": unknown well-known policy; "
                      + SpecBinder.suggestion(key, EksRules.WELL_KNOWN_POLICIES));
            } else if (on) {
              enabled.add(key);
            }
          });
      if (enabled.size() > 1) {
        problems.add(
            policiesPath
                + ": "
                + String.join(" and ", enabled)
                + " are both true; refarch gives each service account one well-known policy");
      } else if (enabled.size() == 1) {
        policy = enabled.get(0);
      }
    }
    sa.finish();
    return new AwsOptions.IrsaServiceAccount(name, namespace, policy);
  }

  private NodePool nodeGroup(Node node, int index, String clusterName, NodeGroupWide wide) {
    String path = "managedNodeGroups[" + index + "]";
    String specPath = "nodePools[" + index + "]";
    Level ng = new Level(node, path, MANAGED_NODE_GROUP);
    POOL_FIELDS.forEach((ours, theirs) -> sources.put(specPath + "." + ours, path + "." + theirs));
    sources.put(specPath, path);

    String name = str(ng.take("name"), path + ".name");
    String machineType = instanceType(ng, path, specPath);
    Integer desired = integer(ng.take("desiredCapacity"), path + ".desiredCapacity");
    Integer min = integer(ng.take("minSize"), path + ".minSize");
    Integer max = integer(ng.take("maxSize"), path + ".maxSize");
    Integer volumeSize = integer(ng.take("volumeSize"), path + ".volumeSize");
    String volumeType = str(ng.take("volumeType"), path + ".volumeType");
    Integer volumeIops = integer(ng.take("volumeIOPS"), path + ".volumeIOPS");
    Integer volumeThroughput = integer(ng.take("volumeThroughput"), path + ".volumeThroughput");
    Map<String, String> labels = stringMap(ng.take("labels"), path + ".labels");
    Integer maxPods = integer(ng.take("maxPodsPerNode"), path + ".maxPodsPerNode");

    wide.add(index, "amiFamily", str(ng.take("amiFamily"), path + ".amiFamily"));
    Level iam = new Level(ng.take("iam"), path + ".iam", NODE_GROUP_IAM);
    wide.add(
        index,
        "iam.attachPolicyARNs",
        stringList(iam.take("attachPolicyARNs"), path + ".iam.attachPolicyARNs"));
    iam.finish();
    fixed(ng, path, "spot", SPOT, "refarch's node groups are on-demand");
    fixed(ng, path, "ebsOptimized", EBS_OPTIMIZED, "refarch's node groups are EBS-optimized");
    fixed(
        ng, path, "privateNetworking", PRIVATE_NETWORKING, "refarch puts nodes in private subnets");
    fixed(
        ng,
        path,
        "propagateASGTags",
        PROPAGATE_ASG_TAGS,
        "refarch copies node group tags to the Auto Scaling group");
    fixed(ng, path, "disableIMDSv1", DISABLE_IMDSV1, "refarch keeps the seed's IMDSv1 on");
    List<String> commands =
        stringList(ng.take("preBootstrapCommands"), path + ".preBootstrapCommands");
    if (commands != null && !commands.equals(PRE_BOOTSTRAP_COMMANDS)) {
      problems.add(
          path
              + ".preBootstrapCommands: not supported by refarch unless they are the seed's three"
              + " (USE_MAX_PODS=false, CONTAINER_RUNTIME=containerd, source them in bootstrap.sh),"
              + " which refarch's nodes always run");
    }
    Map<String, String> tags = stringMap(ng.take("tags"), path + ".tags");
    if (tags != null && clusterName != null && !tags.equals(nodeGroupTags(clusterName))) {
      problems.add(
          path
              + ".tags: not supported by refarch unless they are cluster-autoscaler's discovery"
              + " tags "
              + nodeGroupTags(clusterName)
              + ", which refarch puts on every node group; tag everything with metadata.tags");
    }
    ng.finish();
    return new NodePool(
        name,
        machineType,
        min,
        max,
        desired,
        volumeType,
        volumeSize,
        volumeIops,
        volumeThroughput,
        labels,
        maxPods);
  }

  /** instanceType or a one-element instanceTypes (the seed's form): a pool has one type. */
  private String instanceType(Level ng, String path, String specPath) {
    Node single = ng.take("instanceType");
    Node list = ng.take("instanceTypes");
    if (single != null && list != null) {
      problems.add(path + ".instanceTypes: write either instanceType or instanceTypes, not both");
      return null;
    }
    if (list != null) {
      sources.put(specPath + ".machineType", path + ".instanceTypes[0]");
      List<String> types = stringList(list, path + ".instanceTypes");
      if (types == null) {
        return null;
      }
      if (types.size() != 1) {
        problems.add(
            path
                + ".instanceTypes: refarch creates a node group of one instance type, got "
                + types.size());
        return null;
      }
      return types.get(0);
    }
    sources.put(specPath + ".machineType", path + ".instanceType");
    return str(single, path + ".instanceType");
  }

  /**
   * Node group fields the spec holds once for all groups (one node role, one launch template
   * shape): every group must write the same value, or none.
   */
  private final class NodeGroupWide {
    private final Map<String, Map<Integer, Object>> values = new LinkedHashMap<>();
    private final Map<String, List<Integer>> written = new LinkedHashMap<>();

    void add(int index, String field, Object value) {
      values.computeIfAbsent(field, k -> new LinkedHashMap<>()).put(index, value);
      if (value != null) {
        written.computeIfAbsent(field, k -> new ArrayList<>()).add(index);
      }
    }

    @SuppressWarnings("unchecked")
    <T> T one(String field, String specPath) {
      List<Integer> writers = written.get(field);
      if (writers == null) {
        return null;
      }
      int first = writers.get(0);
      String firstPath = "managedNodeGroups[" + first + "]." + field;
      sources.put(specPath, firstPath);
      Object value = values.get(field).get(first);
      values
          .get(field)
          .forEach(
              (index, other) -> {
                if (index == first || Objects.equals(other, value)) {
                  return;
                }
                String path = "managedNodeGroups[" + index + "]." + field;
                problems.add(
                    path
                        + ": "
                        + (other == null ? "not set, unlike " : "differs from ")
                        + firstPath
                        + "; refarch gives every node group the same "
                        + field
                        + " ("
                        + specPath
                        + "), so write the same value in each");
              });
      return (T) value;
    }
  }

  /** The validator's problem with the path the user wrote in the ClusterConfig. */
  String problemPath(String problem) {
    String best = null;
    for (String specPath : sources.keySet()) {
      if (problem.startsWith(specPath)
          && (problem.length() == specPath.length()
              || ":.[ ".indexOf(problem.charAt(specPath.length())) >= 0)
          && (best == null || specPath.length() > best.length())) {
        best = specPath;
      }
    }
    if (best == null) {
      return problem;
    }
    String eksctl = sources.get(best);
    String rest = problem.substring(best.length());
    if (eksctl.startsWith("managedNodeGroups[")) {
      // "minSize (5) > maxNodes (4)" would mix both vocabularies.
      Matcher m = POOL_FIELD_WORD.matcher(rest);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, POOL_FIELDS.get(m.group(1)));
      }
      m.appendTail(out);
      rest = out.toString();
    }
    rest =
        rest.replace("aws.serviceAccounts", "iam.serviceAccounts")
            .replace("nodePools[", "managedNodeGroups[");
    if (rest.equals(": required") && REQUIRED_BECAUSE.containsKey(best)) {
      rest += ": " + REQUIRED_BECAUSE.get(best);
    }
    return eksctl + rest;
  }

  /** A boolean the seed sets to what refarch always does: any other value is refused. */
  private void fixed(Level level, String path, String field, boolean always, String because) {
    fixed(level.take(field), join(path, field), always, because);
  }

  private void fixed(Node node, String path, boolean always, String because) {
    Boolean value = bool(node, path);
    if (value != null && value != always) {
      problems.add(
          path + ": " + value + " is not supported by refarch (" + because + "); only " + always);
    }
  }

  /** The keys of one eksctl mapping: taken ones are mapped, the rest reported by finish(). */
  private final class Level {
    private final String path;
    private final List<String> eksctlFields;
    private final Map<String, Node> entries = new LinkedHashMap<>();

    Level(Node node, String path, List<String> eksctlFields) {
      this.path = path;
      this.eksctlFields = eksctlFields;
      if (isNull(node)) {
        return;
      }
      if (!(node instanceof MappingNode mapping)) {
        expected(path, "a mapping", node);
        return;
      }
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key) || isNull(key)) {
          problems.add((path.isEmpty() ? "top level" : path) + ": keys must be plain strings");
        } else if (entries.containsKey(key.getValue())) {
          problems.add(join(path, key.getValue()) + ": duplicate key");
        } else {
          entries.put(key.getValue(), tuple.getValueNode());
        }
      }
    }

    Node take(String key) {
      Node node = entries.remove(key);
      return isNull(node) ? null : node;
    }

    void finish() {
      entries.forEach(
          (key, node) -> {
            String keyPath = join(path, key);
            if (eksctlFields.contains(key)) {
              unsupported(keyPath, node, WHY.get(key));
            } else {
              problems.add(
                  keyPath + ": unknown eksctl field; " + SpecBinder.suggestion(key, eksctlFields));
            }
          });
      entries.clear();
    }
  }

  /** Names each value under an unsupported field, so the user sees all that would be lost. */
  private void unsupported(String path, Node node, String why) {
    if (node instanceof MappingNode mapping && !mapping.getValue().isEmpty()) {
      for (NodeTuple tuple : mapping.getValue()) {
        String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "(non-string key)";
        unsupported(join(path, key), tuple.getValueNode(), why);
      }
      return;
    }
    if (node instanceof SequenceNode sequence
        && sequence.getValue().stream().anyMatch(n -> !(n instanceof ScalarNode))) {
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        unsupported(path + "[" + i + "]", items.get(i), why);
      }
      return;
    }
    problems.add(path + ": not supported by refarch" + (why == null ? "" : " (" + why + ")"));
  }

  // Typed reads; each names the path of a value of the wrong type, as the spec binder does.

  private String str(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    expected(path, "a string", node);
    return null;
  }

  private Integer integer(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar && scalar.getValue().matches("[-+]?[0-9]{1,9}")) {
      return Integer.valueOf(scalar.getValue());
    }
    expected(path, "an integer", node);
    return null;
  }

  private Boolean bool(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar
        && (scalar.getValue().equals("true") || scalar.getValue().equals("false"))) {
      return Boolean.valueOf(scalar.getValue());
    }
    expected(path, "true or false", node);
    return null;
  }

  private List<Node> items(Node node, String path) {
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    expected(path, "a list", node);
    return List.of();
  }

  private List<String> stringList(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (!(node instanceof SequenceNode)) {
      expected(path, "a list", node);
      return null;
    }
    List<String> out = new ArrayList<>();
    List<Node> items = items(node, path);
    for (int i = 0; i < items.size(); i++) {
      String item = str(items.get(i), path + "[" + i + "]");
      if (item != null) {
        out.add(item);
      } else if (isNull(items.get(i))) {
        problems.add(path + "[" + i + "]: expected a string, got nothing");
      }
    }
    return List.copyOf(out);
  }

  private Map<String, String> stringMap(Node node, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!entries(node, path, (key, value) -> out.put(key, str(value, entry(path, key))))) {
      return null;
    }
    return Collections.unmodifiableMap(out);
  }

  private Map<String, Boolean> boolMap(Node node, String path) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    if (!entries(node, path, (key, value) -> out.put(key, bool(value, path + "." + key)))) {
      return null;
    }
    out.values().removeIf(Objects::isNull);
    return out;
  }

  /** Calls back for each entry with a value; false if there is no mapping to read. */
  private boolean entries(
      Node node, String path, java.util.function.BiConsumer<String, Node> each) {
    if (isNull(node)) {
      return false;
    }
    if (!(node instanceof MappingNode mapping)) {
      expected(path, "a mapping", node);
      return false;
    }
    List<String> seen = new ArrayList<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key) || isNull(key)) {
        problems.add(path + ": keys must be plain strings");
        continue;
      }
      String k = key.getValue();
      if (seen.contains(k)) {
        problems.add(entry(path, k) + ": duplicate key");
        continue;
      }
      seen.add(k);
      if (isNull(tuple.getValueNode())) {
        problems.add(entry(path, k) + ": expected a value, got nothing (write \"\" for empty)");
        continue;
      }
      each.accept(k, tuple.getValueNode());
    }
    return true;
  }

  private void expected(String path, String what, Node got) {
    String shown =
        got instanceof ScalarNode s
            ? "\"" + s.getValue() + "\""
            : got instanceof SequenceNode ? "a list" : "a mapping";
    problems.add(path + ": expected " + what + ", got " + shown);
  }

  private static Node value(MappingNode mapping, String key) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return tuple.getValueNode();
      }
    }
    return null;
  }

  private static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String entry(String path, String key) {
    return path + "[\"" + key + "\"]";
  }

  private static String annotationPath(String key) {
    return entry("metadata.annotations", key);
  }
}
