package io.refarch.sandbox.azure.aks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.azure.AzureOptions;
import io.refarch.sandbox.azure.arm.ResourceGroups;
import io.refarch.sandbox.azure.compute.VmSizes;
import io.refarch.sandbox.azure.core.ArmError;
import io.refarch.sandbox.azure.core.AzureRegions;
import io.refarch.sandbox.core.CloudError;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Faults;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * AKS's managed clusters and agent pools as ARM serves them: a PUT answers {@code Creating} at once
 * and an async operation finishes it after what the {@link Latency} gives ({@code
 * aks.CREATE_CLUSTER}, {@code aks.CREATE_AGENT_POOL}, {@code aks.UPDATE_AGENT_POOL}, {@code
 * aks.DELETE_AGENT_POOL}, {@code aks.DELETE_CLUSTER}). AKS's rules: one operation at a time per
 * cluster (409 OperationNotAllowed while the cluster or any of its pools is busy), a PUT that
 * repeats the running one's body answers its state instead of starting another, bad values are 400
 * InvalidParameter naming the property, versions must be offered, vCPU quotas hold. Each cluster
 * serves its own HTTPS Kubernetes API whose nodes follow the agent pools ({@link AksNodes}).
 * Changes finish lazily, when the next call comes.
 */
public final class Aks implements EmulatedService {

  /** AKS's default max pods with Azure CNI, when an agent pool does not say. */
  public static final int DEFAULT_MAX_PODS = 30;

  /** A cluster with its pools, as the state file keeps it. */
  public static final class Cluster {
    public String subscription;
    public String group;
    public String name;
    public String location;

    /** The ARM resource without agentPoolProfiles (the pools give those). */
    public ObjectNode resource;

    /** The last PUT body, to tell a repeated PUT from a change. */
    public JsonNode request;

    public Map<String, Pool> pools = new TreeMap<>();

    /** The running operation's id; null when none runs on the cluster itself. */
    public String operation;

    /** The static tokens of the clusterAdmin and clusterUser kubeconfigs. */
    public String adminToken;

    public String userToken;

    /** The eight digits of its nodes' names, the same for every pool as on AKS. */
    public String nodeNumber;

    public long created;

    /** Where its Kubernetes API listens, IP:PORT, kept so a restart serves it there again. */
    public String kubeApiEndpoint;

    String state() {
      return resource.path("properties").path("provisioningState").asText();
    }
  }

  public static final class Pool {
    public String name;
    public ObjectNode properties;
    public JsonNode request;
    public String operation;

    /** When its nodes came up (epoch millis): they register the node registration delay later. */
    public long readyAt;

    String state() {
      return properties.path("provisioningState").asText();
    }
  }

  /** An async operation as ARM's operation status answers it. */
  public static final class Operation {
    public String id;
    public String kind;
    public String subscription;
    public String location;

    /** The cluster key, and the pool's lower-case name for pool operations. */
    public String cluster;

    public String pool;
    public String status = "InProgress";
    public long started;
    public long dueAt;

    /** Set when a fault makes the operation end Failed: ARM's error code and message. */
    public String errorCode;

    public String errorMessage;
  }

  private final Clock clock;
  private final Latency latency;
  private final Runnable changed;
  private final ResourceGroups groups;
  private final KubeApiServer.Options kubeOptions;
  private final AzureOptions options;
  private final Faults faults;
  private final SecureRandom random = new SecureRandom();

  private Map<String, Cluster> clusters = new TreeMap<>();
  private Map<String, Operation> operations = new LinkedHashMap<>();
  private final Map<String, KubeStore> stores = new HashMap<>();
  private final Map<String, KubeApiServer> apis = new HashMap<>();

  /**
   * @param kubeOptions how the clusters' Kubernetes APIs run; null: none is served (state only
   *     read)
   */
  public Aks(
      Clock clock,
      Latency latency,
      ResourceGroups groups,
      KubeApiServer.Options kubeOptions,
      AzureOptions options,
      Faults faults,
      Runnable changed) {
    this.faults = faults;
    this.clock = clock;
    this.latency = latency;
    this.groups = groups;
    this.kubeOptions = kubeOptions;
    this.options = options;
    this.changed = changed;
  }

  /** What a mutating call answers: the resource, whether created, the operation started. */
  public record Change(int status, ObjectNode resource, Operation operation) {}

  static String key(String subscription, String group, String name) {
    return (subscription + "/" + group + "/" + name).toLowerCase();
  }

  // ---- managed clusters ----

  public synchronized Change putCluster(
      String subscription, String groupName, String name, JsonNode request) {
    advance();
    ArmError.checkTags(request.get("tags"));
    for (JsonNode pool : request.path("properties").path("agentPoolProfiles")) {
      ArmError.checkTags(pool.get("tags"));
    }
    ResourceGroups.Group group = groups.group(subscription, groupName);
    if (group.provisioningState.equals("Deleting")) {
      throw new ArmError(
          409,
          "ResourceGroupBeingDeleted",
          "The resource group '"
              + group.name
              + "' is in deprovisioning state and cannot perform this operation.");
    }
    String key = key(subscription, groupName, name);
    Cluster existing = clusters.get(key);
    if (existing != null) {
      Operation running = operation(existing.operation);
      if (request.equals(existing.request)
          && !existing.state().equals("Deleting")
          && !existing.state().equals("Failed")) {
        // The same PUT again (a client retrying): the state as it is, the same operation.
        return new Change(200, toJson(existing), running);
      }
      busy(existing, null);
      if (request.has("tags")) {
        existing.resource.set("tags", request.get("tags").deepCopy());
      }
      existing.request = request.deepCopy();
      if (existing.state().equals("Failed")) {
        // A PUT on a Failed cluster reconciles it, as AKS does: another operation.
        ((ObjectNode) existing.resource.get("properties")).put("provisioningState", "Updating");
        Operation op = start("aks.UPDATE_CLUSTER", existing, null);
        existing.operation = op.id;
        existing.pools.values().stream()
            .filter(p -> p.state().equals("Failed"))
            .forEach(
                p -> {
                  p.properties.put("provisioningState", "Updating");
                  p.operation = op.id;
                });
        changed.run();
        return new Change(200, toJson(existing), op);
      }
      changed.run();
      return new Change(200, toJson(existing), null);
    }
    if (!name.matches("[a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?")) {
      throw ArmError.invalidProperty(
          "name",
          "The name must be 1-63 characters, start and end with a letter or number and contain"
              + " only letters, numbers, underscores and hyphens");
    }
    String location = location(request, "Microsoft.ContainerService/managedClusters");
    JsonNode properties = request.path("properties");
    // An empty version is the default, as the fluent API's withDefaultVersion() sends it.
    String requestedVersion = blankToNull(properties.path("kubernetesVersion").asText(null));
    String version =
        AksVersions.resolve(requestedVersion)
            .orElseThrow(
                () ->
                    new ArmError(
                        400,
                        "K8sVersionNotSupported",
                        "Version "
                            + requestedVersion
                            + " is not supported in this region. Please use [az aks get-versions]"
                            + " command to get the supported version list in this region. For"
                            + " more information, please check"
                            + " https://aka.ms/supported-version-list"));
    JsonNode profiles = properties.path("agentPoolProfiles");
    if (!profiles.isArray() || profiles.isEmpty()) {
      throw ArmError.invalidProperty(
          "agentPoolProfiles", "A managed cluster must have at least one agent pool");
    }
    Map<String, Pool> pools = new TreeMap<>();
    boolean system = false;
    for (JsonNode profile : profiles) {
      Pool pool = pool(profile.path("name").asText(""), profile, "System", version, location);
      if (pools.containsKey(pool.name.toLowerCase())) {
        throw ArmError.invalidProperty(
            "agentPoolProfile.name", "Agent pool name " + pool.name + " is used more than once");
      }
      system |= pool.properties.path("mode").asText().equals("System");
      pools.put(pool.name.toLowerCase(), pool);
    }
    if (!system) {
      throw ArmError.invalidProperty(
          "agentPoolProfile.mode", "A managed cluster must have at least one System agent pool");
    }
    checkQuota(subscription, location, pools.values(), null);

    long now = clock.millis();
    Cluster c = new Cluster();
    c.subscription = subscription;
    c.group = group.name;
    c.name = name;
    c.location = location;
    c.request = request.deepCopy();
    c.pools = pools;
    c.created = now;
    c.adminToken = token();
    c.userToken = token();
    c.nodeNumber = String.format("%08d", random.nextInt(100_000_000));
    c.resource = clusterResource(c, request, version);
    clusters.put(key, c);
    Operation op = start("aks.CREATE_CLUSTER", c, null);
    c.operation = op.id;
    pools.values().forEach(p -> p.operation = op.id);
    stores.put(key, new KubeStore());
    startKube(key, null);
    changed.run();
    return new Change(201, toJson(c), op);
  }

  private ObjectNode clusterResource(Cluster c, JsonNode request, String version) {
    JsonNode properties = request.path("properties");
    ObjectNode resource = Json.object();
    resource.put(
        "id",
        "/subscriptions/"
            + c.subscription
            + "/resourcegroups/"
            + c.group
            + "/providers/Microsoft.ContainerService/managedClusters/"
            + c.name);
    resource.put("location", c.location);
    resource.put("name", c.name);
    resource.put("type", "Microsoft.ContainerService/ManagedClusters");
    if (request.path("tags").isObject()) {
      resource.set("tags", request.get("tags").deepCopy());
    }
    resource
        .putObject("sku")
        .put("name", "Base")
        .put("tier", request.path("sku").path("tier").asText("Free"));
    String identityType = request.path("identity").path("type").asText("SystemAssigned");
    ObjectNode identity = resource.putObject("identity").put("type", identityType);
    if (identityType.equals("SystemAssigned")) {
      identity.put("principalId", UUID.randomUUID().toString());
      identity.put("tenantId", io.refarch.sandbox.azure.Azure.SANDBOX_TENANT_ID);
    } else if (request.path("identity").has("userAssignedIdentities")) {
      identity.set(
          "userAssignedIdentities",
          request.path("identity").get("userAssignedIdentities").deepCopy());
    }
    // What the request set reads back; AKS's own fields over it.
    ObjectNode p = properties.isObject() ? (ObjectNode) properties.deepCopy() : Json.object();
    p.remove("agentPoolProfiles");
    p.put("provisioningState", "Creating");
    p.putObject("powerState").put("code", "Running");
    p.put(
        "kubernetesVersion",
        Optional.ofNullable(blankToNull(properties.path("kubernetesVersion").asText(null)))
            .orElse(AksVersions.DEFAULT));
    p.put("currentKubernetesVersion", version);
    String dnsPrefix =
        properties
            .path("dnsPrefix")
            .asText(
                truncate(c.name, 10)
                    + "-"
                    + truncate(c.group, 16)
                    + "-"
                    + truncate(c.subscription, 6));
    if (!dnsPrefix.matches("[a-zA-Z0-9]([a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?")) {
      throw ArmError.invalidProperty(
          "dnsPrefix",
          "DNS prefix '"
              + dnsPrefix
              + "' is invalid. It must contain between 1 and 54 characters and can contain only"
              + " letters, numbers, and hyphens. It must start and end with a letter or number");
    }
    p.put("dnsPrefix", dnsPrefix);
    String hash = HexFormat.of().formatHex(random(4));
    p.put("fqdn", dnsPrefix.toLowerCase() + "-" + hash + ".hcp." + c.location + ".azmk8s.io");
    p.put(
        "azurePortalFQDN",
        dnsPrefix.toLowerCase() + "-" + hash + ".portal.hcp." + c.location + ".azmk8s.io");
    String nodeGroup =
        properties
            .path("nodeResourceGroup")
            .asText("MC_" + c.group + "_" + c.name + "_" + c.location);
    p.put("nodeResourceGroup", nodeGroup);
    p.put("enableRBAC", properties.path("enableRBAC").asBoolean(true));
    p.put("supportPlan", properties.path("supportPlan").asText("KubernetesOfficial"));
    p.put("maxAgentPools", 100);
    p.put("disableLocalAccounts", properties.path("disableLocalAccounts").asBoolean(false));
    if (!p.has("servicePrincipalProfile")) {
      p.putObject("servicePrincipalProfile").put("clientId", "msi");
    }
    ObjectNode network =
        properties.path("networkProfile").isObject()
            ? (ObjectNode) properties.get("networkProfile").deepCopy()
            : Json.object();
    String plugin = network.path("networkPlugin").asText("azure");
    if (!plugin.matches("azure|kubenet|none")) {
      throw ArmError.invalidProperty(
          "networkProfile.networkPlugin", "Network plugin " + plugin + " is not supported");
    }
    network.put("networkPlugin", plugin);
    String policy = network.path("networkPolicy").asText("none");
    if (!policy.matches("none|calico|azure|cilium")) {
      throw ArmError.invalidProperty(
          "networkProfile.networkPolicy", "Network policy " + policy + " is not supported");
    }
    if (!policy.equals("none")) {
      network.put("networkPolicy", policy);
    }
    putDefault(network, "serviceCidr", "10.0.0.0/16");
    putDefault(network, "dnsServiceIP", "10.0.0.10");
    putDefault(network, "outboundType", "loadBalancer");
    putDefault(network, "loadBalancerSku", "standard");
    if (plugin.equals("kubenet") || network.path("networkPluginMode").asText().equals("overlay")) {
      putDefault(network, "podCidr", "10.244.0.0/16");
    }
    network.putArray("serviceCidrs").add(network.path("serviceCidr").asText());
    network.putArray("ipFamilies").add("IPv4");
    p.set("networkProfile", network);
    String nodeGroupId = "/subscriptions/" + c.subscription + "/resourcegroups/" + nodeGroup;
    ObjectNode kubelet = p.putObject("identityProfile").putObject("kubeletidentity");
    kubelet.put(
        "resourceId",
        nodeGroupId
            + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
            + c.name
            + "-agentpool");
    kubelet.put("clientId", UUID.randomUUID().toString());
    kubelet.put("objectId", UUID.randomUUID().toString());
    p.putObject("oidcIssuerProfile").put("enabled", false);
    resource.set("properties", p);
    return resource;
  }

  public synchronized ObjectNode getCluster(String subscription, String group, String name) {
    advance();
    return toJson(cluster(subscription, group, name));
  }

  /** The clusters of a group, or of the subscription when {@code group} is null. */
  public synchronized List<ObjectNode> listClusters(String subscription, String group) {
    advance();
    if (group != null) {
      groups.group(subscription, group);
    }
    return clusters.values().stream()
        .filter(c -> c.subscription.equalsIgnoreCase(subscription))
        .filter(c -> group == null || c.group.equalsIgnoreCase(group))
        .map(this::toJson)
        .toList();
  }

  /** Starts deleting; empty when there is no such cluster (ARM answers 204). */
  public synchronized Optional<Change> deleteCluster(
      String subscription, String group, String name) {
    advance();
    groups.group(subscription, group);
    Cluster c = clusters.get(key(subscription, group, name));
    if (c == null) {
      return Optional.empty();
    }
    if (c.state().equals("Deleting")) {
      return Optional.of(new Change(202, toJson(c), operation(c.operation)));
    }
    // AKS lets a delete through while another operation runs: it cancels the running one.
    return Optional.of(new Change(202, toJson(c), beginDelete(c)));
  }

  private Operation beginDelete(Cluster c) {
    Operation running = operation(c.operation);
    if (running != null) {
      running.status = "Canceled";
    }
    c.pools
        .values()
        .forEach(
            p -> {
              Operation o = operation(p.operation);
              if (o != null && o.status.equals("InProgress")) {
                o.status = "Canceled";
              }
              p.properties.put("provisioningState", "Deleting");
            });
    ((ObjectNode) c.resource.get("properties")).put("provisioningState", "Deleting");
    Operation op = start("aks.DELETE_CLUSTER", c, null);
    c.operation = op.id;
    changed.run();
    return op;
  }

  /**
   * Starts deleting every cluster of the group (ARM deleting the group); answers when the last of
   * them is gone, epoch millis (now when there is none).
   */
  public synchronized long deleteAllIn(String subscription, String group) {
    advance();
    long due = clock.millis();
    for (Cluster c : clusters.values()) {
      if (c.subscription.equalsIgnoreCase(subscription) && c.group.equalsIgnoreCase(group)) {
        Operation op = c.state().equals("Deleting") ? operation(c.operation) : beginDelete(c);
        due = Math.max(due, op == null ? due : op.dueAt);
      }
    }
    return due;
  }

  /** The kubeconfig of the clusterAdmin or clusterUser credential, as AKS returns it. */
  public synchronized String kubeconfig(
      String subscription, String group, String name, boolean admin) {
    advance();
    Cluster c = cluster(subscription, group, name);
    if (c.state().equals("Deleting")) {
      throw new ArmError(
          409,
          "OperationNotAllowed",
          "Operation is not allowed while the managed cluster is being deleted.");
    }
    String key = key(subscription, group, name);
    KubeApiServer api = apis.get(key);
    String server = "https://" + (api == null ? "127.0.0.1:443" : api.endpoint());
    String ca =
        api == null
            ? ""
            : Base64.getEncoder().encodeToString(api.caPem().getBytes(StandardCharsets.UTF_8));
    String user = (admin ? "clusterAdmin_" : "clusterUser_") + c.group + "_" + c.name;
    // AKS names both contexts after the cluster; az get-credentials appends -admin itself.
    String context = c.name;
    return "apiVersion: v1\n"
        + "clusters:\n"
        + "- cluster:\n"
        + "    certificate-authority-data: "
        + ca
        + "\n"
        + "    server: "
        + server
        + "\n"
        + "  name: "
        + c.name
        + "\n"
        + "contexts:\n"
        + "- context:\n"
        + "    cluster: "
        + c.name
        + "\n"
        + "    user: "
        + user
        + "\n"
        + "  name: "
        + context
        + "\n"
        + "current-context: "
        + context
        + "\n"
        + "kind: Config\n"
        + "preferences: {}\n"
        + "users:\n"
        + "- name: "
        + user
        + "\n"
        + "  user:\n"
        + "    token: "
        + (admin ? c.adminToken : c.userToken)
        + "\n";
  }

  // ---- agent pools ----

  public synchronized Change putAgentPool(
      String subscription, String group, String clusterName, String name, JsonNode request) {
    advance();
    ArmError.checkTags(request.path("properties").get("tags"));
    Cluster c = cluster(subscription, group, clusterName);
    Pool existing = c.pools.get(name.toLowerCase());
    if (existing != null
        && request.equals(existing.request)
        && !existing.state().equals("Deleting")
        && !existing.state().equals("Failed")) {
      return new Change(200, poolJson(c, existing), operation(existing.operation));
    }
    busy(c, existing);
    JsonNode properties = request.path("properties");
    String version = c.resource.path("properties").path("currentKubernetesVersion").asText();
    Pool pool = pool(name, properties, "User", version, c.location);
    pool.request = request.deepCopy();
    if (existing != null) {
      pool.name = existing.name;
      pool.readyAt = existing.readyAt;
      pool.properties.put("provisioningState", "Updating");
      checkQuota(subscription, c.location, List.of(pool), existing);
      c.pools.put(name.toLowerCase(), pool);
      Operation op = start("aks.UPDATE_AGENT_POOL", c, pool);
      pool.operation = op.id;
      changed.run();
      return new Change(200, poolJson(c, pool), op);
    }
    checkQuota(subscription, c.location, List.of(pool), null);
    c.pools.put(name.toLowerCase(), pool);
    Operation op = start("aks.CREATE_AGENT_POOL", c, pool);
    pool.operation = op.id;
    changed.run();
    return new Change(201, poolJson(c, pool), op);
  }

  public synchronized ObjectNode getAgentPool(
      String subscription, String group, String clusterName, String name) {
    advance();
    Cluster c = cluster(subscription, group, clusterName);
    return poolJson(c, pool(c, name));
  }

  public synchronized List<ObjectNode> listAgentPools(
      String subscription, String group, String clusterName) {
    advance();
    Cluster c = cluster(subscription, group, clusterName);
    return c.pools.values().stream().map(p -> poolJson(c, p)).toList();
  }

  public synchronized Optional<Change> deleteAgentPool(
      String subscription, String group, String clusterName, String name) {
    advance();
    Cluster c = cluster(subscription, group, clusterName);
    Pool pool = c.pools.get(name.toLowerCase());
    if (pool == null) {
      return Optional.empty();
    }
    if (pool.state().equals("Deleting")) {
      return Optional.of(new Change(202, poolJson(c, pool), operation(pool.operation)));
    }
    busy(c, pool);
    if (pool.properties.path("mode").asText().equals("System")
        && c.pools.values().stream()
                .filter(p -> p != pool && p.properties.path("mode").asText().equals("System"))
                .count()
            == 0) {
      throw new ArmError(
          400,
          "OperationNotAllowed",
          "Operation is not allowed: cannot delete the last system agent pool "
              + pool.name
              + ". A managed cluster must have at least one system agent pool.");
    }
    pool.properties.put("provisioningState", "Deleting");
    Operation op = start("aks.DELETE_AGENT_POOL", c, pool);
    pool.operation = op.id;
    changed.run();
    return Optional.of(new Change(202, poolJson(c, pool), op));
  }

  // ---- operations ----

  /** The operation {@code id} in {@code subscription}, finished or not; empty when unknown. */
  public synchronized Optional<Operation> operation(String subscription, String id) {
    advance();
    Operation op = operations.get(id);
    return op == null || !op.subscription.equalsIgnoreCase(subscription)
        ? Optional.empty()
        : Optional.of(op);
  }

  private Operation operation(String id) {
    return id == null ? null : operations.get(id);
  }

  private Operation start(String kind, Cluster c, Pool pool) {
    long now = clock.millis();
    Operation op = new Operation();
    op.id = UUID.randomUUID().toString();
    op.kind = kind;
    op.subscription = c.subscription;
    op.location = c.location;
    op.cluster = key(c.subscription, c.group, c.name);
    op.pool = pool == null ? null : pool.name.toLowerCase();
    op.started = now;
    op.dueAt = now + latency.of(kind).toMillis();
    String fault =
        switch (kind) {
          case "aks.CREATE_CLUSTER", "aks.UPDATE_CLUSTER" -> "PutManagedCluster.done";
          case "aks.DELETE_CLUSTER" -> "DeleteManagedCluster.done";
          case "aks.CREATE_AGENT_POOL", "aks.UPDATE_AGENT_POOL" -> "PutAgentPool.done";
          default -> "DeleteAgentPool.done";
        };
    Optional<CloudError> error =
        pool == null ? faults.take(fault, c.name) : faults.take(fault, pool.name, c.name);
    error.ifPresent(
        e -> {
          op.errorCode = e instanceof ArmError arm ? arm.code() : "InternalServerError";
          op.errorMessage = e.getMessage();
        });
    operations.put(op.id, op);
    return op;
  }

  /**
   * Throws AKS's 409 when an operation runs on the cluster or on one of its pools other than {@code
   * except}'s own.
   */
  private void busy(Cluster c, Pool except) {
    String state = c.state();
    if (!state.equals("Succeeded") && !state.equals("Failed")) {
      throw ArmError.operationNotAllowed("operation (" + state + ")");
    }
    for (Pool p : c.pools.values()) {
      String ps = p.state();
      if (!ps.equals("Succeeded") && !ps.equals("Failed")) {
        throw ArmError.operationNotAllowed("agentpool operation (" + p.name + " - " + ps + ")");
      }
    }
  }

  /** Finishes the operations that are due, in the order they fell due. */
  private void advance() {
    long now = clock.millis();
    List<Operation> due =
        new ArrayList<>(
            operations.values().stream()
                .filter(o -> o.status.equals("InProgress") && o.dueAt <= now)
                .toList());
    due.sort((a, b) -> Long.compare(a.dueAt, b.dueAt));
    for (Operation op : due) {
      op.status = op.errorCode == null ? "Succeeded" : "Failed";
      Cluster c = clusters.get(op.cluster);
      if (c == null) {
        continue;
      }
      if (op.errorCode != null) {
        fail(c, op);
        changed.run();
        continue;
      }
      switch (op.kind) {
        case "aks.CREATE_CLUSTER", "aks.UPDATE_CLUSTER" -> {
          ((ObjectNode) c.resource.get("properties")).put("provisioningState", "Succeeded");
          c.operation = null;
          c.pools.values().stream()
              .filter(p -> op.id.equals(p.operation))
              .forEach(
                  p -> {
                    p.properties.put("provisioningState", "Succeeded");
                    p.operation = null;
                    if (p.readyAt == 0) {
                      p.readyAt = op.dueAt;
                    }
                  });
        }
        case "aks.DELETE_CLUSTER" -> {
          stopKube(op.cluster);
          stores.remove(op.cluster);
          clusters.remove(op.cluster);
        }
        case "aks.CREATE_AGENT_POOL", "aks.UPDATE_AGENT_POOL" -> {
          Pool p = c.pools.get(op.pool);
          if (p != null) {
            p.properties.put("provisioningState", "Succeeded");
            p.operation = null;
            // An update of a pool whose create failed brings its nodes up now.
            if (p.readyAt == 0) {
              p.readyAt = op.dueAt;
            }
          }
        }
        case "aks.DELETE_AGENT_POOL" -> c.pools.remove(op.pool);
        default -> {}
      }
      changed.run();
    }
  }

  /** A faulted operation's end: what it worked on is left Failed, with no nodes for new pools. */
  private static void fail(Cluster c, Operation op) {
    if (op.pool == null) {
      ((ObjectNode) c.resource.get("properties")).put("provisioningState", "Failed");
      c.operation = null;
      c.pools.values().stream()
          .filter(p -> op.id.equals(p.operation) || p.state().equals("Deleting"))
          .forEach(
              p -> {
                p.properties.put("provisioningState", "Failed");
                p.operation = null;
              });
      return;
    }
    Pool p = c.pools.get(op.pool);
    if (p != null) {
      p.properties.put("provisioningState", "Failed");
      p.operation = null;
    }
  }

  // ---- validation ----

  private static String location(JsonNode request, String type) {
    String location = request.path("location").asText("");
    if (location.isEmpty()) {
      throw new ArmError(
          400, "LocationRequired", "The location property is required for this definition.");
    }
    if (!AzureRegions.offered(location)) {
      throw new ArmError(
          400,
          "LocationNotAvailableForResourceType",
          "The provided location '"
              + location
              + "' is not available for resource type '"
              + type
              + "'. List of available regions for the resource type is '"
              + String.join(",", AzureRegions.ALL)
              + "'.");
    }
    return AzureRegions.normalize(location);
  }

  /** An agent pool from a profile (cluster PUT) or agent pool properties, checked as AKS does. */
  private Pool pool(String name, JsonNode p, String defaultMode, String version, String location) {
    String prop = "agentPoolProfile";
    if (!name.matches("[a-z][a-z0-9]{0,11}")) {
      throw ArmError.invalidProperty(
          prop + ".name",
          "The agent pool name '"
              + name
              + "' is invalid: it must start with a lowercase letter, have max length of 12, and"
              + " only have characters a-z0-9");
    }
    String mode = p.path("mode").asText(defaultMode);
    if (!mode.equals("System") && !mode.equals("User")) {
      throw ArmError.invalidProperty(prop + ".mode", "Mode must be System or User, got " + mode);
    }
    String vmSize = p.path("vmSize").asText("Standard_DS2_v2");
    VmSizes.VmSize size =
        VmSizes.of(vmSize)
            .orElseThrow(
                () ->
                    new ArmError(
                        400,
                        "SkuNotAvailable",
                        "The requested VM size "
                            + vmSize
                            + " is not available in the current region ("
                            + location
                            + "). Please try another size or deploy to a different location or"
                            + " zones. See https://aka.ms/azureskunotavailable for details."));
    boolean autoscale = p.path("enableAutoScaling").asBoolean(false);
    Integer min = p.hasNonNull("minCount") ? p.get("minCount").asInt() : null;
    Integer max = p.hasNonNull("maxCount") ? p.get("maxCount").asInt() : null;
    int count = p.hasNonNull("count") ? p.get("count").asInt() : (min != null ? min : 1);
    if (count < 0 || count > 1000) {
      throw ArmError.invalidProperty(prop + ".count", "Count must be in the range [0, 1000]");
    }
    if (mode.equals("System") && count < 1) {
      throw ArmError.invalidProperty(
          prop + ".count", "A System agent pool must have at least 1 node");
    }
    if (autoscale) {
      if (min == null || max == null) {
        throw ArmError.invalidProperty(
            prop + ".minCount", "MinCount and MaxCount must be set when autoscaling is enabled");
      }
      if (min > max) {
        throw ArmError.invalidProperty(
            prop + ".minCount", "MinCount (" + min + ") must be <= MaxCount (" + max + ")");
      }
      if (count < min || count > max) {
        throw ArmError.invalidProperty(
            prop + ".count",
            "Count ("
                + count
                + ") must be within [minCount, maxCount] = ["
                + min
                + ", "
                + max
                + "] when autoscaling is enabled");
      }
    } else if (min != null || max != null) {
      throw ArmError.invalidProperty(
          prop + ".minCount", "MinCount and MaxCount must be empty when autoscaling is disabled");
    }
    int maxPods = p.hasNonNull("maxPods") ? p.get("maxPods").asInt() : DEFAULT_MAX_PODS;
    if (maxPods < 10 || maxPods > 250) {
      throw ArmError.invalidProperty(
          prop + ".maxPods", "Max pods " + maxPods + " must be in the range [10, 250]");
    }
    int disk = p.hasNonNull("osDiskSizeGB") ? p.get("osDiskSizeGB").asInt() : 128;
    if (disk != 0 && (disk < 30 || disk > 2048)) {
      throw ArmError.invalidProperty(
          prop + ".osDiskSizeGB", "OS disk size " + disk + " must be in the range [30, 2048]");
    }
    String orchestrator = blankToNull(p.path("orchestratorVersion").asText(null));
    String current = version;
    if (orchestrator != null) {
      current =
          AksVersions.resolve(orchestrator)
              .orElseThrow(
                  () ->
                      new ArmError(
                          400,
                          "K8sVersionNotSupported",
                          "Version "
                              + orchestrator
                              + " is not supported in this region. Please use [az aks"
                              + " get-versions] command to get the supported version list in"
                              + " this region."));
    }
    for (JsonNode zone : p.path("availabilityZones")) {
      if (!zone.asText().matches("[123]")) {
        throw ArmError.invalidProperty(
            prop + ".availabilityZones",
            "Availability zone " + zone.asText() + " is not supported in " + location);
      }
    }
    ObjectNode props = p.isObject() ? ((ObjectNode) p).deepCopy() : Json.object();
    props.remove("name");
    props.put("count", count);
    props.put("vmSize", size.name());
    props.put("osDiskSizeGB", disk == 0 ? 128 : disk);
    props.put("osDiskType", p.path("osDiskType").asText("Managed"));
    props.put("kubeletDiskType", "OS");
    props.put("maxPods", maxPods);
    props.put("type", p.path("type").asText("VirtualMachineScaleSets"));
    props.put("enableAutoScaling", autoscale);
    props.put("provisioningState", "Creating");
    props.putObject("powerState").put("code", "Running");
    props.put("orchestratorVersion", orchestrator == null ? version : orchestrator);
    props.put("currentOrchestratorVersion", current);
    props.put("enableNodePublicIP", p.path("enableNodePublicIP").asBoolean(false));
    props.put("mode", mode);
    props.put("osType", "Linux");
    props.put("osSKU", p.path("osSKU").asText("Ubuntu"));
    props.put("nodeImageVersion", "AKSUbuntu-2204gen2containerd-202510.03.0");
    props.put("enableFIPS", false);
    if (!props.has("upgradeSettings")) {
      props.putObject("upgradeSettings").put("maxSurge", "10%");
    }
    Pool pool = new Pool();
    pool.name = name;
    pool.properties = props;
    pool.request = p.deepCopy();
    return pool;
  }

  /**
   * Throws AKS's QuotaExceeded when {@code adding} (replacing {@code replaced}) would take the
   * region's vCPUs past a family's or the total limit.
   */
  private void checkQuota(
      String subscription, String location, java.util.Collection<Pool> adding, Pool replaced) {
    Map<String, Long> usage = usage(subscription, location);
    if (replaced != null) {
      VmSizes.of(replaced.properties.path("vmSize").asText())
          .ifPresent(
              s -> {
                long cores = (long) s.vcpus() * replaced.properties.path("count").asInt();
                usage.merge(s.family(), -cores, Long::sum);
                usage.merge(AzureOptions.TOTAL, -cores, Long::sum);
              });
    }
    Map<String, Long> required = new TreeMap<>();
    for (Pool p : adding) {
      VmSizes.VmSize s = VmSizes.of(p.properties.path("vmSize").asText()).orElseThrow();
      long cores = (long) s.vcpus() * p.properties.path("count").asInt();
      required.merge(s.family(), cores, Long::sum);
      required.merge(AzureOptions.TOTAL, cores, Long::sum);
    }
    for (var e : required.entrySet()) {
      long current = Math.max(0, usage.getOrDefault(e.getKey(), 0L));
      long limit = options.limit(e.getKey());
      if (current + e.getValue() > limit) {
        String quota =
            e.getKey().equals(AzureOptions.TOTAL) ? "Total Regional Cores" : e.getKey() + " Cores";
        throw new ArmError(
            400,
            "QuotaExceeded",
            "Preflight validation check for resource(s) for container service failed. Message:"
                + " Operation could not be completed as it results in exceeding approved "
                + quota
                + " quota. Additional details - Deployment Model: Resource Manager, Location: "
                + location
                + ", Current Limit: "
                + limit
                + ", Current Usage: "
                + current
                + ", Additional Required: "
                + e.getValue()
                + ", (Minimum) New Limit Required: "
                + (current + e.getValue())
                + ". Submit a request for Quota increase at https://aka.ms/ProdportalCRP");
      }
    }
  }

  /** vCPUs in use in the region, by family and in total ({@code cores}). */
  public synchronized Map<String, Long> usage(String subscription, String location) {
    advance();
    Map<String, Long> usage = new TreeMap<>();
    for (Cluster c : clusters.values()) {
      if (!c.subscription.equalsIgnoreCase(subscription)
          || !c.location.equals(AzureRegions.normalize(location))) {
        continue;
      }
      for (Pool p : c.pools.values()) {
        VmSizes.of(p.properties.path("vmSize").asText())
            .ifPresent(
                s -> {
                  long cores = (long) s.vcpus() * p.properties.path("count").asInt();
                  usage.merge(s.family(), cores, Long::sum);
                  usage.merge(AzureOptions.TOTAL, cores, Long::sum);
                });
      }
    }
    return usage;
  }

  // ---- views ----

  private Cluster cluster(String subscription, String group, String name) {
    Cluster c = clusters.get(key(subscription, group, name));
    if (c == null) {
      groups.group(subscription, group);
      throw ArmError.resourceNotFound("Microsoft.ContainerService/managedClusters", name, group);
    }
    return c;
  }

  private static Pool pool(Cluster c, String name) {
    Pool p = c.pools.get(name.toLowerCase());
    if (p == null) {
      throw ArmError.resourceNotFound(
          "Microsoft.ContainerService/managedClusters/" + c.name + "/agentPools", name, c.group);
    }
    return p;
  }

  private ObjectNode toJson(Cluster c) {
    ObjectNode resource = c.resource.deepCopy();
    ArrayNode profiles = ((ObjectNode) resource.get("properties")).putArray("agentPoolProfiles");
    c.pools
        .values()
        .forEach(
            p -> {
              ObjectNode profile = profiles.addObject();
              profile.put("name", p.name);
              profile.setAll(p.properties.deepCopy());
            });
    return resource;
  }

  private static ObjectNode poolJson(Cluster c, Pool p) {
    ObjectNode node = Json.object();
    node.put("id", c.resource.path("id").asText() + "/agentPools/" + p.name);
    node.put("name", p.name);
    node.put("type", "Microsoft.ContainerService/managedClusters/agentPools");
    node.set("properties", p.properties.deepCopy());
    return node;
  }

  // ---- the clusters' Kubernetes APIs ----

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
              token -> accepts(key, token));
      apis.put(key, api);
      clusters.get(key).kubeApiEndpoint = api.endpoint();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kubernetes API of AKS cluster " + key, e);
    }
  }

  private synchronized boolean accepts(String key, String token) {
    Cluster c = clusters.get(key);
    return c != null && (token.equals(c.adminToken) || token.equals(c.userToken));
  }

  private void stopKube(String key) {
    KubeApiServer api = apis.remove(key);
    if (api != null) {
      api.close();
    }
  }

  private KubeCluster kubeCluster(String key) {
    return new KubeCluster() {
      @Override
      public Optional<String> version() {
        synchronized (Aks.this) {
          Cluster c = clusters.get(key);
          return c == null
              ? Optional.empty()
              : Optional.of(
                  c.resource.path("properties").path("currentKubernetesVersion").asText());
        }
      }

      @Override
      public Instant created() {
        synchronized (Aks.this) {
          Cluster c = clusters.get(key);
          return c == null ? Instant.EPOCH : Instant.ofEpochMilli(c.created);
        }
      }

      @Override
      public List<NodeObject> nodes() {
        synchronized (Aks.this) {
          advance();
          Cluster c = clusters.get(key);
          List<NodeObject> nodes = new ArrayList<>();
          if (c == null) {
            return nodes;
          }
          Duration delay =
              kubeOptions == null ? Duration.ZERO : kubeOptions.nodeRegistrationDelay();
          long now = clock.millis();
          for (Pool p : c.pools.values()) {
            if (p.readyAt == 0
                || p.state().equals("Deleting")
                || now < p.readyAt + delay.toMillis()) {
              continue;
            }
            nodes.addAll(AksNodes.of(c, p));
          }
          return nodes;
        }
      }
    };
  }

  /** When each operation since start (or in the state) started and ended. */
  public synchronized List<OperationTiming> timings() {
    advance();
    return operations.values().stream()
        .map(
            o ->
                new OperationTiming(
                    o.id,
                    o.kind,
                    o.pool == null ? o.cluster.substring(o.cluster.lastIndexOf('/') + 1) : o.pool,
                    Instant.ofEpochMilli(o.started),
                    o.status.equals("InProgress") ? null : Instant.ofEpochMilli(o.dueAt)))
        .toList();
  }

  // ---- helpers ----

  private String token() {
    return HexFormat.of().formatHex(random(32));
  }

  private byte[] random(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String truncate(String s, int n) {
    String clean = s.replaceAll("[^a-zA-Z0-9-]", "");
    return clean.length() <= n ? clean : clean.substring(0, n);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static void putDefault(ObjectNode node, String field, String value) {
    if (!node.hasNonNull(field)) {
      node.put(field, value);
    }
  }

  // ---- EmulatedService ----

  @Override
  public String key() {
    return "aks";
  }

  @Override
  public synchronized JsonNode snapshot() {
    ObjectNode snapshot = Json.object();
    ObjectNode saved = snapshot.putObject("clusters");
    clusters.forEach(
        (key, c) -> {
          ObjectNode node = Json.MAPPER.valueToTree(c);
          KubeStore store = stores.get(key);
          if (store != null) {
            node.set("objects", store.snapshot());
          }
          saved.set(key, node);
        });
    snapshot.set("operations", Json.MAPPER.valueToTree(operations));
    return snapshot;
  }

  @Override
  public synchronized void restore(JsonNode snapshot, boolean serve) {
    clear();
    if (snapshot == null || !snapshot.isObject()) {
      return;
    }
    snapshot
        .path("clusters")
        .fields()
        .forEachRemaining(
            e -> {
              ObjectNode c = ((ObjectNode) e.getValue()).deepCopy();
              // Clusters saved before the sandbox had one listener kept their own CA and port.
              c.remove("certificates");
              c.remove("kubeApiPort");
              JsonNode objects = c.remove("objects");
              clusters.put(e.getKey(), Json.MAPPER.convertValue(c, Cluster.class));
              stores.put(
                  e.getKey(), objects == null ? new KubeStore() : KubeStore.restore(objects));
            });
    snapshot
        .path("operations")
        .fields()
        .forEachRemaining(
            e ->
                operations.put(
                    e.getKey(), Json.MAPPER.convertValue(e.getValue(), Operation.class)));
    if (serve) {
      clusters.forEach((key, c) -> startKube(key, c.kubeApiEndpoint));
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
          String id = c.subscription + "/" + c.group + "/" + c.name;
          lines.add(
              "aks cluster "
                  + id
                  + " "
                  + c.state()
                  + " "
                  + c.resource.path("properties").path("currentKubernetesVersion").asText());
          c.pools
              .values()
              .forEach(
                  p ->
                      lines.add(
                          "aks agentpool "
                              + id
                              + "/"
                              + p.name
                              + " "
                              + p.state()
                              + " "
                              + p.properties.path("mode").asText()
                              + " "
                              + p.properties.path("vmSize").asText()
                              + " x"
                              + p.properties.path("count").asInt()));
          KubeStore store = stores.get(key);
          if (store != null) {
            store.inventory().forEach(o -> lines.add("k8s " + c.name + " " + o));
          }
        });
    return lines;
  }

  @Override
  public synchronized void clear() {
    stop();
    clusters = new TreeMap<>();
    operations = new LinkedHashMap<>();
    stores.clear();
  }
}
