package io.refarch.sandbox.aws.eks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.aws.core.AwsError;
import io.refarch.sandbox.aws.core.AwsOperation;
import io.refarch.sandbox.aws.ec2.Ec2;
import io.refarch.sandbox.aws.ec2.Ec2Network;
import io.refarch.sandbox.aws.iam.Iam;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.OperationTiming;
import io.refarch.sandbox.kube.KubeApiServer;
import io.refarch.sandbox.kube.KubeCluster;
import io.refarch.sandbox.kube.KubeStore;
import io.refarch.sandbox.kube.NodeObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * EKS's control plane as clients see it: clusters go {@code CREATING} → {@code ACTIVE} and {@code
 * DELETING} → gone, node groups likewise, each taking what the {@link Latency} gives ({@code
 * eks.CREATE_CLUSTER}, {@code eks.CREATE_NODEGROUP}, ...). EKS's rules: a cluster with node groups
 * cannot be deleted, node groups need an ACTIVE cluster, names are unique (ResourceInUseException),
 * subnets, roles and launch templates must exist (InvalidParameterException). Resources are kept as
 * the JSON EKS answers, so what a request set reads back as sent. Changes finish lazily, when the
 * next call comes.
 */
public final class Eks implements EmulatedService {

  /** The version a cluster gets when the request names none. */
  public static final String DEFAULT_VERSION = "1.33";

  /** A cluster with what hangs off it, as the state file keeps it. */
  public static final class Cluster {
    public ObjectNode cluster;

    /** When CREATING or DELETING ends (epoch millis); 0 when neither is in progress. */
    public long dueAt;

    public Map<String, Nodegroup> nodegroups = new TreeMap<>();
    public Map<String, ObjectNode> accessEntries = new TreeMap<>();

    /** Access policies associated, by principal ARN. */
    public Map<String, List<ObjectNode>> accessPolicies = new TreeMap<>();

    String status() {
      return cluster.path("status").asText();
    }
  }

  public static final class Nodegroup {
    public ObjectNode nodegroup;
    public long dueAt;

    /**
     * The pod network its nodes joined with ({@link EksNodes#podNetwork}), set when it became
     * ACTIVE; null in state from before the sandbox recorded it.
     */
    public String podNetwork;

    /** The tags of its Auto Scaling group, which EKS sets and CreateOrUpdateTags adds to. */
    public Map<String, String> autoScalingGroupTags = new TreeMap<>();

    public String autoScalingGroupName() {
      return nodegroup.path("resources").path("autoScalingGroups").path(0).path("name").asText();
    }

    String status() {
      return nodegroup.path("status").asText();
    }
  }

  private final String account;
  private final Clock clock;
  private final Latency latency;
  private final Runnable changed;
  private final Ec2 ec2;
  private final Iam iam;
  private final KubeApiServer.Options kubeOptions;
  private final EksTokens tokens;

  /** By region/name. */
  private Map<String, Cluster> clusters = new TreeMap<>();

  // Each cluster's Kubernetes API, by region/name: its objects, its server.
  private final Map<String, KubeStore> stores = new HashMap<>();
  private final Map<String, KubeApiServer> apis = new HashMap<>();

  /** The state changes since start, for benchmarks; not saved. */
  private final List<AwsOperation> operations = new ArrayList<>();

  /**
   * @param kubeOptions how the clusters' Kubernetes APIs run; null: none is served (the state is
   *     only read) and endpoints are placeholders
   */
  public Eks(
      String account,
      Clock clock,
      Latency latency,
      Ec2 ec2,
      Iam iam,
      KubeApiServer.Options kubeOptions,
      Runnable changed) {
    this.account = account;
    this.clock = clock;
    this.latency = latency;
    this.ec2 = ec2;
    this.iam = iam;
    this.kubeOptions = kubeOptions;
    this.tokens = new EksTokens(clock);
    this.changed = changed;
  }

  // ---- clusters ----

  /**
   * Creates a cluster from the CreateCluster body; {@code creator} is the caller's ARN, which gets
   * an access entry with cluster-admin rights unless the request says otherwise, as on EKS.
   */
  public synchronized ObjectNode createCluster(String region, JsonNode request, String creator) {
    advance();
    String name = request.path("name").asText("");
    if (!name.matches("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}")) {
      throw invalidParameter("The cluster name '" + name + "' is not valid.");
    }
    if (clusters.containsKey(region + "/" + name)) {
      throw new AwsError(
          409, "ResourceInUseException", "Cluster already exists with name: " + name);
    }
    String version = request.path("version").asText(DEFAULT_VERSION);
    if (!EksVersions.offered(version)) {
      // AWS's words for a version it does not (or no longer) offers.
      throw invalidParameter("unsupported Kubernetes version " + version);
    }
    String roleArn = request.path("roleArn").asText("");
    if (iam != null && !iam.roleExists(roleArn)) {
      throw invalidParameter(
          "Role with arn: "
              + roleArn
              + ", could not be assumed because it does not exist or the trusted entity is not"
              + " correct");
    }
    JsonNode vpcRequest = request.path("resourcesVpcConfig");
    List<Ec2Network.Subnet> subnets = subnets(vpcRequest.path("subnetIds"));
    if (subnets.stream().map(s -> s.availabilityZone).distinct().count() < 2) {
      throw invalidParameter("Subnets specified must be in at least two different AZs");
    }
    String id = UUID.randomUUID().toString().replace("-", "").toUpperCase();
    String key = region + "/" + name;
    ObjectNode cluster = Json.object();
    cluster.put("name", name);
    cluster.put("arn", "arn:aws:eks:" + region + ":" + account + ":cluster/" + name);
    cluster.put("createdAt", seconds(clock.millis()));
    cluster.put("version", version);
    // Replaced by the cluster's own API when one is served (startKube).
    cluster.put(
        "endpoint", "https://" + id.substring(0, 32) + ".gr7." + region + ".eks.amazonaws.com");
    cluster.put("roleArn", roleArn);
    ObjectNode vpc = cluster.putObject("resourcesVpcConfig");
    vpc.set("subnetIds", vpcRequest.path("subnetIds").deepCopy());
    vpc.set(
        "securityGroupIds",
        vpcRequest.has("securityGroupIds")
            ? vpcRequest.get("securityGroupIds").deepCopy()
            : Json.MAPPER.createArrayNode());
    vpc.put("clusterSecurityGroupId", "sg-" + id.substring(0, 17).toLowerCase());
    vpc.put("vpcId", subnets.get(0).vpcId);
    vpc.put("endpointPublicAccess", vpcRequest.path("endpointPublicAccess").asBoolean(true));
    vpc.put("endpointPrivateAccess", vpcRequest.path("endpointPrivateAccess").asBoolean(false));
    vpc.set(
        "publicAccessCidrs",
        vpcRequest.has("publicAccessCidrs")
            ? vpcRequest.get("publicAccessCidrs").deepCopy()
            : Json.MAPPER.createArrayNode().add("0.0.0.0/0"));
    ObjectNode network = cluster.putObject("kubernetesNetworkConfig");
    network.put(
        "serviceIpv4Cidr",
        request.path("kubernetesNetworkConfig").path("serviceIpv4Cidr").asText("10.100.0.0/16"));
    network.put(
        "ipFamily", request.path("kubernetesNetworkConfig").path("ipFamily").asText("ipv4"));
    if (request.has("logging")) {
      cluster.set("logging", request.get("logging").deepCopy());
    } else {
      ObjectNode off = cluster.putObject("logging").putArray("clusterLogging").addObject();
      ArrayNode types = off.putArray("types");
      List.of("api", "audit", "authenticator", "controllerManager", "scheduler")
          .forEach(types::add);
      off.put("enabled", false);
    }
    cluster
        .putObject("identity")
        .putObject("oidc")
        .put("issuer", "https://oidc.eks." + region + ".amazonaws.com/id/" + id.substring(0, 32));
    cluster.put("status", "CREATING");
    // Filled with the CA of the cluster's API when one is served (startKube).
    cluster.putObject("certificateAuthority");
    if (request.has("clientRequestToken")) {
      cluster.put("clientRequestToken", request.get("clientRequestToken").asText());
    }
    cluster.put("platformVersion", "eks.1");
    cluster.set("tags", request.has("tags") ? request.get("tags").deepCopy() : Json.object());
    ObjectNode access = cluster.putObject("accessConfig");
    JsonNode accessRequest = request.path("accessConfig");
    access.put(
        "authenticationMode",
        accessRequest.path("authenticationMode").asText("API_AND_CONFIG_MAP"));
    cluster.putObject("health").putArray("issues");
    cluster.putObject("upgradePolicy").put("supportType", "STANDARD");

    Cluster entry = new Cluster();
    entry.cluster = cluster;
    long now = clock.millis();
    entry.dueAt = now + latency.of("eks.CREATE_CLUSTER").toMillis();
    operations.add(new AwsOperation("eks.CREATE_CLUSTER", name, now, entry.dueAt));
    if (!access.path("authenticationMode").asText().equals("CONFIG_MAP")
        && accessRequest.path("bootstrapClusterCreatorAdminPermissions").asBoolean(true)) {
      ObjectNode creatorEntry = accessEntry(region, entry, creator, List.of(), null, "STANDARD");
      creatorEntry.put("username", creator);
      entry.accessEntries.put(creator, creatorEntry);
      entry.accessPolicies.put(
          creator,
          new ArrayList<>(
              List.of(
                  accessPolicy(
                      "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                      Json.object().put("type", "cluster")))));
    }
    clusters.put(key, entry);
    KubeStore store = new KubeStore();
    if (request.path("bootstrapSelfManagedAddons").asBoolean(true)) {
      EksAddons.bootstrap(store, region, cluster.path("version").asText());
    }
    stores.put(key, store);
    startKube(key, null);
    changed.run();
    return cluster;
  }

  public synchronized ObjectNode describeCluster(String region, String name) {
    advance();
    return cluster(region, name).cluster;
  }

  public synchronized List<String> listClusters(String region) {
    advance();
    return clusters.entrySet().stream()
        .filter(e -> e.getKey().startsWith(region + "/"))
        .map(e -> e.getValue().cluster.path("name").asText())
        .toList();
  }

  public synchronized ObjectNode deleteCluster(String region, String name) {
    advance();
    Cluster entry = cluster(region, name);
    if (!entry.nodegroups.isEmpty()) {
      throw new AwsError(409, "ResourceInUseException", "Cluster has nodegroups attached");
    }
    if (!entry.status().equals("DELETING")) {
      long now = clock.millis();
      entry.cluster.put("status", "DELETING");
      entry.dueAt = now + latency.of("eks.DELETE_CLUSTER").toMillis();
      operations.add(new AwsOperation("eks.DELETE_CLUSTER", name, now, entry.dueAt));
      changed.run();
    }
    return entry.cluster;
  }

  // ---- node groups ----

  public synchronized ObjectNode createNodegroup(
      String region, String clusterName, JsonNode request) {
    advance();
    Cluster entry = cluster(region, clusterName);
    String name = request.path("nodegroupName").asText("");
    if (name.isEmpty()) {
      throw invalidParameter("nodegroupName must not be empty");
    }
    if (!entry.status().equals("ACTIVE")) {
      throw new AwsError(
          400, "InvalidRequestException", "Cluster '" + clusterName + "' is not in ACTIVE status");
    }
    if (entry.nodegroups.containsKey(name)) {
      throw new AwsError(
          409,
          "ResourceInUseException",
          "NodeGroup already exists with name " + name + " and cluster name " + clusterName);
    }
    String nodeRole = request.path("nodeRole").asText("");
    if (iam != null && !iam.roleExists(nodeRole)) {
      throw invalidParameter("The role with name " + nodeRole + " cannot be found.");
    }
    subnets(request.path("subnets"));
    String uuid = UUID.randomUUID().toString();
    ObjectNode group = Json.object();
    group.put("nodegroupName", name);
    group.put(
        "nodegroupArn",
        "arn:aws:eks:"
            + region
            + ":"
            + account
            + ":nodegroup/"
            + clusterName
            + "/"
            + name
            + "/"
            + uuid);
    group.put("clusterName", clusterName);
    String version = request.path("version").asText(entry.cluster.path("version").asText());
    group.put("version", version);
    group.put("releaseVersion", request.path("releaseVersion").asText(version + ".0-20251101"));
    group.put("createdAt", seconds(clock.millis()));
    group.put("modifiedAt", seconds(clock.millis()));
    group.put("status", "CREATING");
    group.put("capacityType", request.path("capacityType").asText("ON_DEMAND"));
    ObjectNode scaling = group.putObject("scalingConfig");
    JsonNode scalingRequest = request.path("scalingConfig");
    scaling.put("minSize", scalingRequest.path("minSize").asInt(1));
    scaling.put("maxSize", scalingRequest.path("maxSize").asInt(2));
    scaling.put("desiredSize", scalingRequest.path("desiredSize").asInt(2));
    JsonNode templateRequest = request.path("launchTemplate");
    if (!templateRequest.isMissingNode()) {
      String templateId = templateRequest.path("id").asText(null);
      String templateName = templateRequest.path("name").asText(null);
      Ec2Network.LaunchTemplate template =
          (ec2 == null
                  ? Optional.<Ec2Network.LaunchTemplate>empty()
                  : ec2.launchTemplate(templateId, templateName))
              .orElseThrow(
                  () ->
                      invalidParameter(
                          "Launch template "
                              + (templateId != null ? templateId : templateName)
                              + " does not exist"));
      group
          .putObject("launchTemplate")
          .put("name", template.name)
          .put("version", templateRequest.path("version").asText("1"))
          .put("id", template.id);
    } else {
      group.set(
          "instanceTypes",
          request.has("instanceTypes")
              ? request.get("instanceTypes").deepCopy()
              : Json.MAPPER.createArrayNode().add("t3.medium"));
      group.put("diskSize", request.path("diskSize").asInt(20));
    }
    group.set("subnets", request.path("subnets").deepCopy());
    if (request.has("amiType")) {
      group.put("amiType", request.get("amiType").asText());
    } else if (templateRequest.isMissingNode()) {
      group.put("amiType", "AL2023_x86_64_STANDARD");
    }
    group.put("nodeRole", nodeRole);
    group.set("labels", request.has("labels") ? request.get("labels").deepCopy() : Json.object());
    if (request.has("taints")) {
      group.set("taints", request.get("taints").deepCopy());
    }
    String asg = "eks-" + name + "-" + uuid;
    group.putObject("resources").putArray("autoScalingGroups").addObject().put("name", asg);
    group.putObject("health").putArray("issues");
    group.putObject("updateConfig").put("maxUnavailable", 1);
    group.set("tags", request.has("tags") ? request.get("tags").deepCopy() : Json.object());

    Nodegroup entryGroup = new Nodegroup();
    entryGroup.nodegroup = group;
    long now = clock.millis();
    entryGroup.dueAt = now + latency.of("eks.CREATE_NODEGROUP").toMillis();
    operations.add(
        new AwsOperation("eks.CREATE_NODEGROUP", clusterName + "/" + name, now, entryGroup.dueAt));
    // The tags EKS puts on the group it manages, so the cluster autoscaler finds it.
    entryGroup.autoScalingGroupTags.put("eks:cluster-name", clusterName);
    entryGroup.autoScalingGroupTags.put("eks:nodegroup-name", name);
    entryGroup.autoScalingGroupTags.put("k8s.io/cluster-autoscaler/enabled", "true");
    entryGroup.autoScalingGroupTags.put("k8s.io/cluster-autoscaler/" + clusterName, "owned");
    entryGroup.autoScalingGroupTags.put("kubernetes.io/cluster/" + clusterName, "owned");
    entry.nodegroups.put(name, entryGroup);
    changed.run();
    return group;
  }

  public synchronized ObjectNode describeNodegroup(String region, String clusterName, String name) {
    advance();
    return nodegroup(cluster(region, clusterName), name).nodegroup;
  }

  public synchronized List<String> listNodegroups(String region, String clusterName) {
    advance();
    return List.copyOf(cluster(region, clusterName).nodegroups.keySet());
  }

  public synchronized ObjectNode deleteNodegroup(String region, String clusterName, String name) {
    advance();
    Nodegroup group = nodegroup(cluster(region, clusterName), name);
    if (!group.status().equals("DELETING")) {
      // One reading of the clock: the change lasts exactly its latency.
      long now = clock.millis();
      group.nodegroup.put("status", "DELETING");
      group.nodegroup.put("modifiedAt", seconds(now));
      group.dueAt = now + latency.of("eks.DELETE_NODEGROUP").toMillis();
      operations.add(
          new AwsOperation("eks.DELETE_NODEGROUP", clusterName + "/" + name, now, group.dueAt));
      changed.run();
    }
    return group.nodegroup;
  }

  /** The Auto Scaling groups of the node groups in a region, by name. */
  public synchronized Map<String, Nodegroup> autoScalingGroups(String region) {
    advance();
    Map<String, Nodegroup> groups = new LinkedHashMap<>();
    clusters.forEach(
        (key, c) -> {
          if (key.startsWith(region + "/")) {
            c.nodegroups.values().forEach(g -> groups.put(g.autoScalingGroupName(), g));
          }
        });
    return groups;
  }

  /** Adds tags to a node group's Auto Scaling group. */
  public synchronized void tagAutoScalingGroup(
      String region, String name, Map<String, String> tags) {
    Nodegroup group = autoScalingGroups(region).get(name);
    if (group == null) {
      throw AwsError.client("ValidationError", "AutoScalingGroup name not found - " + name);
    }
    group.autoScalingGroupTags.putAll(tags);
    changed.run();
  }

  // ---- access entries ----

  public synchronized ObjectNode createAccessEntry(
      String region, String clusterName, JsonNode request) {
    advance();
    Cluster entry = cluster(region, clusterName);
    String principal = request.path("principalArn").asText("");
    if (!principal.startsWith("arn:")) {
      throw invalidParameter("The principalArn parameter format is not valid");
    }
    if (entry.accessEntries.containsKey(principal)) {
      throw new AwsError(
          409,
          "ResourceInUseException",
          "The specified access entry resource is already in use on this cluster.");
    }
    List<String> groups = new ArrayList<>();
    request.path("kubernetesGroups").forEach(g -> groups.add(g.asText()));
    ObjectNode access =
        accessEntry(
            region,
            entry,
            principal,
            groups,
            request.path("tags"),
            request.path("type").asText("STANDARD"));
    // EKS maps a role to the session of whoever assumes it.
    String defaultUser =
        principal.contains(":role/")
            ? "arn:aws:sts::"
                + account
                + ":assumed-role/"
                + principal.substring(principal.lastIndexOf('/') + 1)
                + "/{{SessionName}}"
            : principal;
    access.put("username", request.path("username").asText(defaultUser));
    entry.accessEntries.put(principal, access);
    changed.run();
    return access;
  }

  public synchronized ObjectNode describeAccessEntry(
      String region, String clusterName, String principal) {
    advance();
    return accessEntry(cluster(region, clusterName), principal);
  }

  public synchronized List<String> listAccessEntries(String region, String clusterName) {
    advance();
    return List.copyOf(cluster(region, clusterName).accessEntries.keySet());
  }

  public synchronized void deleteAccessEntry(String region, String clusterName, String principal) {
    advance();
    Cluster entry = cluster(region, clusterName);
    accessEntry(entry, principal);
    entry.accessEntries.remove(principal);
    entry.accessPolicies.remove(principal);
    changed.run();
  }

  /** Associates an access policy; answers the association. */
  public synchronized ObjectNode associateAccessPolicy(
      String region, String clusterName, String principal, JsonNode request) {
    advance();
    Cluster entry = cluster(region, clusterName);
    accessEntry(entry, principal);
    String policy = request.path("policyArn").asText("");
    if (!policy.startsWith("arn:aws:eks::aws:cluster-access-policy/")) {
      throw invalidParameter("The policyArn " + policy + " is not a valid access policy");
    }
    JsonNode scope = request.path("accessScope");
    if (!scope.path("type").asText("").matches("cluster|namespace")) {
      throw invalidParameter("accessScope.type must be cluster or namespace");
    }
    List<ObjectNode> policies =
        entry.accessPolicies.computeIfAbsent(principal, k -> new ArrayList<>());
    policies.removeIf(p -> p.path("policyArn").asText().equals(policy));
    ObjectNode association = accessPolicy(policy, scope.deepCopy());
    policies.add(association);
    changed.run();
    return association;
  }

  public synchronized List<ObjectNode> listAssociatedAccessPolicies(
      String region, String clusterName, String principal) {
    advance();
    Cluster entry = cluster(region, clusterName);
    accessEntry(entry, principal);
    return List.copyOf(entry.accessPolicies.getOrDefault(principal, List.of()));
  }

  private ObjectNode accessEntry(
      String region,
      Cluster cluster,
      String principal,
      List<String> groups,
      JsonNode tags,
      String type) {
    ObjectNode access = Json.object();
    String clusterName = cluster.cluster.path("name").asText();
    access.put("clusterName", clusterName);
    access.put("principalArn", principal);
    ArrayNode groupNodes = access.putArray("kubernetesGroups");
    groups.forEach(groupNodes::add);
    String kind = principal.contains(":role/") ? "role" : "user";
    access.put(
        "accessEntryArn",
        "arn:aws:eks:"
            + region
            + ":"
            + account
            + ":access-entry/"
            + clusterName
            + "/"
            + kind
            + "/"
            + account
            + "/"
            + principal.substring(principal.lastIndexOf('/') + 1)
            + "/"
            + UUID.randomUUID());
    access.put("createdAt", seconds(clock.millis()));
    access.put("modifiedAt", seconds(clock.millis()));
    access.set("tags", tags == null || tags.isMissingNode() ? Json.object() : tags.deepCopy());
    access.put("type", type);
    return access;
  }

  private ObjectNode accessPolicy(String policyArn, JsonNode scope) {
    ObjectNode association = Json.object();
    association.put("policyArn", policyArn);
    association.set("accessScope", scope);
    association.put("associatedAt", seconds(clock.millis()));
    association.put("modifiedAt", seconds(clock.millis()));
    return association;
  }

  private static ObjectNode accessEntry(Cluster cluster, String principal) {
    ObjectNode access = cluster.accessEntries.get(principal);
    if (access == null) {
      throw new AwsError(
          404,
          "ResourceNotFoundException",
          "The specified principalArn could not be found. You can view your available access"
              + " entries with 'list-access-entries'.");
    }
    return access;
  }

  // ---- lookups and lifecycle ----

  private Cluster cluster(String region, String name) {
    Cluster entry = clusters.get(region + "/" + name);
    if (entry == null) {
      throw new AwsError(
          404, "ResourceNotFoundException", "No cluster found for name: " + name + ".");
    }
    return entry;
  }

  private static Nodegroup nodegroup(Cluster cluster, String name) {
    Nodegroup group = cluster.nodegroups.get(name);
    if (group == null) {
      throw new AwsError(
          404, "ResourceNotFoundException", "No node group found for name: " + name + ".");
    }
    return group;
  }

  private List<Ec2Network.Subnet> subnets(JsonNode ids) {
    if (!ids.isArray() || ids.isEmpty()) {
      throw invalidParameter("Subnets are required");
    }
    List<Ec2Network.Subnet> subnets = new ArrayList<>();
    for (JsonNode id : ids) {
      Optional<Ec2Network.Subnet> subnet = ec2 == null ? Optional.empty() : ec2.subnet(id.asText());
      subnets.add(
          subnet.orElseThrow(
              () -> invalidParameter("The subnet ID '" + id.asText() + "' does not exist")));
    }
    return subnets;
  }

  private static AwsError invalidParameter(String message) {
    return new AwsError(400, "InvalidParameterException", message);
  }

  /** REST-JSON timestamps: epoch seconds, with milliseconds as the fraction. */
  private static double seconds(long millis) {
    return millis / 1000.0;
  }

  /** Finishes the creates and deletes that are due. */
  private void advance() {
    long now = clock.millis();
    var it = clusters.values().iterator();
    while (it.hasNext()) {
      Cluster c = it.next();
      var groups = c.nodegroups.values().iterator();
      while (groups.hasNext()) {
        Nodegroup g = groups.next();
        if (g.dueAt == 0 || g.dueAt > now) {
          continue;
        }
        if (g.status().equals("CREATING")) {
          KubeStore store = stores.get(region(c) + "/" + c.cluster.path("name").asText());
          g.podNetwork = EksNodes.podNetwork(store);
          if (EksNodes.CALICO.equals(g.podNetwork)) {
            EksAddons.calicoRunsOnNodes(store, java.time.Instant.ofEpochMilli(g.dueAt));
          }
          g.nodegroup.put("status", "ACTIVE");
          g.nodegroup.put("modifiedAt", seconds(g.dueAt));
          g.dueAt = 0;
        } else if (g.status().equals("DELETING")) {
          groups.remove();
        }
        changed.run();
      }
      if (c.dueAt == 0 || c.dueAt > now) {
        continue;
      }
      if (c.status().equals("CREATING")) {
        c.cluster.put("status", "ACTIVE");
        c.dueAt = 0;
      } else if (c.status().equals("DELETING")) {
        String key = region(c) + "/" + c.cluster.path("name").asText();
        stopKube(key);
        stores.remove(key);
        it.remove();
      }
      changed.run();
    }
  }

  private static String region(Cluster c) {
    // arn:aws:eks:REGION:ACCOUNT:cluster/NAME
    return c.cluster.path("arn").asText().split(":")[3];
  }

  // ---- the clusters' Kubernetes APIs ----

  /**
   * Serves the cluster's API at {@code preferredEndpoint} ({@code IP:PORT}; null: any) when free
   * and points its endpoint and CA there.
   */
  private void startKube(String key, String preferredEndpoint) {
    if (kubeOptions == null) {
      return;
    }
    try {
      KubeApiServer api =
          KubeApiServer.start(
              preferredEndpoint,
              stores.get(key),
              kubeCluster(key),
              kubeOptions,
              token ->
                  tokens.accessKeyId(token).map(caller -> mayEnter(key, caller)).orElse(false));
      apis.put(key, api);
      ObjectNode cluster = clusters.get(key).cluster;
      cluster.put("endpoint", "https://" + api.endpoint());
      cluster
          .with("certificateAuthority")
          .put(
              "data",
              Base64.getEncoder().encodeToString(api.caPem().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kubernetes API of EKS cluster " + key, e);
    }
  }

  private void stopKube(String key) {
    KubeApiServer api = apis.remove(key);
    if (api != null) {
      api.close();
    }
  }

  /**
   * Whether the caller with {@code accessKeyId} may use cluster {@code key}'s API: EKS
   * authenticates only IAM principals with an access entry (the creator's, made at CreateCluster,
   * and those added since); anyone else gets 401, as kubectl's "You must be logged in to the
   * server". (The aws-auth ConfigMap of CONFIG_MAP mode is not emulated.)
   */
  private synchronized boolean mayEnter(String key, String accessKeyId) {
    Cluster c = clusters.get(key);
    return c != null
        && c.accessEntries.containsKey("arn:aws:iam::" + account + ":user/" + accessKeyId);
  }

  /** What the cluster's API shows of EKS: its version and the nodes of its ACTIVE node groups. */
  private KubeCluster kubeCluster(String key) {
    return new KubeCluster() {
      @Override
      public Optional<String> version() {
        synchronized (Eks.this) {
          Cluster c = clusters.get(key);
          return c == null
              ? Optional.empty()
              : Optional.of(c.cluster.path("version").asText() + ".0-eks-sandbox");
        }
      }

      @Override
      public Instant created() {
        synchronized (Eks.this) {
          Cluster c = clusters.get(key);
          return c == null
              ? Instant.EPOCH
              : Instant.ofEpochMilli(Math.round(c.cluster.path("createdAt").asDouble() * 1000));
        }
      }

      @Override
      public List<NodeObject> nodes() {
        synchronized (Eks.this) {
          advance();
          Cluster c = clusters.get(key);
          List<NodeObject> nodes = new ArrayList<>();
          if (c != null) {
            c.nodegroups.values().stream()
                .filter(g -> g.status().equals("ACTIVE"))
                .forEach(g -> nodes.addAll(EksNodes.of(c.cluster, g.nodegroup, ec2, g.podNetwork)));
          }
          return nodes;
        }
      }
    };
  }

  /** When each cluster and node group create or delete since start started and ended. */
  public synchronized List<OperationTiming> timings() {
    long now = clock.millis();
    return operations.stream().map(o -> o.timing(now)).toList();
  }

  // ---- EmulatedService ----

  @Override
  public String key() {
    return "eks";
  }

  @Override
  public synchronized JsonNode snapshot() {
    ObjectNode snapshot = Json.MAPPER.valueToTree(clusters);
    snapshot
        .fields()
        .forEachRemaining(
            e -> {
              ObjectNode c = (ObjectNode) e.getValue();
              KubeStore store = stores.get(e.getKey());
              if (store != null) {
                c.set("objects", store.snapshot());
              }
            });
    return snapshot;
  }

  @Override
  public synchronized void restore(JsonNode snapshot, boolean serve) {
    clear();
    if (snapshot == null || !snapshot.isObject()) {
      return;
    }
    snapshot
        .fields()
        .forEachRemaining(
            e -> {
              ObjectNode c = ((ObjectNode) e.getValue()).deepCopy();
              // Clusters saved before the sandbox had one CA for all kept their own.
              c.remove("certificates");
              JsonNode objects = c.remove("objects");
              clusters.put(e.getKey(), Json.MAPPER.convertValue(c, Cluster.class));
              stores.put(
                  e.getKey(), objects == null ? new KubeStore() : KubeStore.restore(objects));
            });
    if (serve) {
      clusters.forEach(
          (key, c) -> {
            String endpoint = c.cluster.path("endpoint").asText();
            startKube(
                key,
                endpoint.startsWith("https://") ? endpoint.substring("https://".length()) : null);
          });
    }
  }

  @Override
  public synchronized void stop() {
    List.copyOf(apis.keySet()).forEach(this::stopKube);
  }

  @Override
  public synchronized List<String> inventory() {
    advance();
    List<String> lines = new ArrayList<>();
    clusters.forEach(
        (key, c) -> {
          String region = key.substring(0, key.indexOf('/'));
          String name = c.cluster.path("name").asText();
          lines.add(
              "eks "
                  + region
                  + " cluster "
                  + name
                  + " "
                  + c.status()
                  + " "
                  + c.cluster.path("version").asText());
          c.nodegroups.forEach(
              (n, g) ->
                  lines.add("eks " + region + " nodegroup " + name + "/" + n + " " + g.status()));
          c.accessEntries
              .keySet()
              .forEach(p -> lines.add("eks " + region + " access-entry " + name + " " + p));
          KubeStore store = stores.get(key);
          if (store != null) {
            store.inventory().forEach(o -> lines.add("k8s " + name + " " + o));
          }
        });
    return lines;
  }

  @Override
  public synchronized void clear() {
    stop();
    operations.clear();
    clusters = new TreeMap<>();
    stores.clear();
  }
}
