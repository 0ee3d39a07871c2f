package io.refarch.sandbox.gcp.gke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.container.v1.Cluster;
import com.google.container.v1.CreateClusterRequest;
import com.google.container.v1.CreateNodePoolRequest;
import com.google.container.v1.MasterAuth;
import com.google.container.v1.MaxPodsConstraint;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import com.google.container.v1.ServerConfig;
import io.refarch.sandbox.core.CloudError;
import io.refarch.sandbox.core.EmulatedService;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.LongRunningOperations;
import io.refarch.sandbox.core.OperationTiming;
import io.refarch.sandbox.gcp.GoogleApiError;
import io.refarch.sandbox.gcp.ProtoJson;
import io.refarch.sandbox.kube.KubeApiServer;
import io.refarch.sandbox.kube.KubeCluster;
import io.refarch.sandbox.kube.KubeStore;
import io.refarch.sandbox.kube.NodeObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * GKE's control plane as clients see it: clusters and node pools change through long-running
 * operations, one operation per cluster at a time, each taking what the {@link Latency} gives its
 * type ({@code gke.CREATE_CLUSTER}, ...). Operations finish lazily ({@link LongRunningOperations}):
 * any call first completes what is due.
 */
public final class Gke implements EmulatedService {

  private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,38}[a-z0-9])?");

  private final Faults faults;
  private final Runnable changed;
  private final KubeApiServer.Options kubeOptions;
  private String apiBase = "https://container.googleapis.com";

  private final Map<String, GkeCluster> clusters =
      new TreeMap<>(); // by projects/P/locations/L/clusters/C
  private final LongRunningOperations<GkeOperation>
      operations; // by projects/P/locations/L/operations/ID

  public Gke(
      Faults faults,
      Clock clock,
      Latency latency,
      KubeApiServer.Options kubeOptions,
      Runnable changed) {
    this.faults = faults;
    this.operations = new LongRunningOperations<>(clock, latency);
    this.kubeOptions = kubeOptions;
    this.changed = changed;
  }

  /** Links in answers point back at the sandbox so clients that follow selfLink stay here. */
  public void apiBase(String base) {
    this.apiBase = base;
  }

  // ---- clusters ----

  public synchronized Operation createCluster(
      String project, String location, CreateClusterRequest request) {
    advance();
    Cluster wanted = request.getCluster();
    faults.check("createCluster", wanted.getName());
    if (!NAME.matcher(wanted.getName()).matches()) {
      throw GoogleApiError.invalid(
          "Invalid value for field \"cluster.name\": \""
              + wanted.getName()
              + "\". Must be 1-40"
              + " characters, lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit.");
    }
    String path = clusterPath(project, location, wanted.getName());
    if (clusters.containsKey(path)) {
      throw GoogleApiError.alreadyExists("Already exists: " + path + ".");
    }
    String version = GkeVersions.resolve(wanted.getInitialClusterVersion());
    Cluster.Builder cluster =
        wanted.toBuilder()
            .clearNodePools()
            .clearNodeConfig()
            .clearInitialNodeCount()
            .setLocation(location)
            .setZone(location)
            .clearLocations()
            .addAllLocations(
                wanted.getLocationsCount() > 0 ? wanted.getLocationsList() : zones(location))
            .setSelfLink(apiBase + "/v1/" + path)
            .setId(Long.toHexString(path.hashCode() & 0xffffffffL) + "sandbox")
            .setStatus(Cluster.Status.PROVISIONING)
            .setInitialClusterVersion(version)
            .setCurrentMasterVersion(version)
            .setCurrentNodeVersion(version)
            .setCreateTime(operations.now().toString())
            .setNetwork(wanted.getNetwork().isEmpty() ? "default" : wanted.getNetwork())
            .setClusterIpv4Cidr(
                wanted.getClusterIpv4Cidr().isEmpty() ? "10.8.0.0/14" : wanted.getClusterIpv4Cidr())
            .setServicesIpv4Cidr("10.12.0.0/20");
    if (cluster.getSubnetwork().isEmpty()) {
      String subnet = wanted.getIpAllocationPolicy().getSubnetworkName();
      cluster.setSubnetwork(subnet.isEmpty() ? "default" : subnet);
    }
    List<NodePool> pools = new ArrayList<>(wanted.getNodePoolsList());
    checkPools(pools, wanted);
    if (pools.isEmpty()) {
      // The API's legacy shape: one pool described by the cluster's own nodeConfig.
      pools.add(
          NodePool.newBuilder()
              .setName("default-pool")
              .setConfig(wanted.getNodeConfig())
              .setInitialNodeCount(
                  wanted.getInitialNodeCount() == 0 ? 3 : wanted.getInitialNodeCount())
              .build());
    }
    for (NodePool pool : pools) {
      cluster.addNodePools(newPool(path, cluster, pool));
    }
    GkeCluster entry = new GkeCluster(project, location, path, new KubeStore());
    entry.cluster = cluster.build();
    clusters.put(path, entry);
    startKube(entry, null);
    Operation op =
        startOperation(
            project,
            location,
            Operation.Type.CREATE_CLUSTER,
            entry,
            null,
            faults.take("createCluster.done", wanted.getName()));
    changed.run();
    return op;
  }

  public synchronized Cluster getCluster(String project, String location, String name) {
    advance();
    faults.check("getCluster", name);
    return cluster(project, location, name).cluster;
  }

  public synchronized List<Cluster> listClusters(String project, String location) {
    advance();
    faults.check("listClusters", project);
    return clusters.values().stream()
        .filter(
            c -> c.project.equals(project) && (location.equals("-") || c.location.equals(location)))
        .map(c -> c.cluster)
        .toList();
  }

  /** GKE lets you delete a cluster whatever else it is doing. */
  public synchronized Operation deleteCluster(String project, String location, String name) {
    advance();
    faults.check("deleteCluster", name);
    GkeCluster entry = cluster(project, location, name);
    Optional<GkeOperation> deleting =
        running(entry.path).filter(o -> o.op.getOperationType() == Operation.Type.DELETE_CLUSTER);
    if (deleting.isPresent()) {
      throw deleting.get().busy(name);
    }
    entry.cluster = entry.cluster.toBuilder().setStatus(Cluster.Status.STOPPING).build();
    Operation op =
        startOperation(
            project,
            location,
            Operation.Type.DELETE_CLUSTER,
            entry,
            null,
            faults.take("deleteCluster.done", name));
    changed.run();
    return op;
  }

  // ---- node pools ----

  public synchronized Operation createNodePool(
      String project, String location, String clusterName, CreateNodePoolRequest request) {
    advance();
    NodePool wanted = request.getNodePool();
    faults.check("createNodePool", wanted.getName());
    GkeCluster entry = cluster(project, location, clusterName);
    if (!NAME.matcher(wanted.getName()).matches()) {
      throw GoogleApiError.invalid(
          "Invalid value for field \"node_pool.name\": \"" + wanted.getName() + "\".");
    }
    String poolPath = entry.path + "/nodePools/" + wanted.getName();
    if (entry.pool(wanted.getName()).isPresent()) {
      throw GoogleApiError.alreadyExists("Already exists: " + poolPath + ".");
    }
    ensureIdle(entry);
    Cluster.Builder cluster = entry.cluster.toBuilder();
    cluster.addNodePools(newPool(entry.path, cluster, wanted));
    entry.cluster = cluster.build();
    Operation op =
        startOperation(
            project,
            location,
            Operation.Type.CREATE_NODE_POOL,
            entry,
            wanted.getName(),
            faults.take("createNodePool.done", wanted.getName()));
    changed.run();
    return op;
  }

  public synchronized NodePool getNodePool(
      String project, String location, String clusterName, String name) {
    advance();
    faults.check("getNodePool", name);
    GkeCluster entry = cluster(project, location, clusterName);
    return entry
        .pool(name)
        .orElseThrow(
            () -> GoogleApiError.notFound("Not found: " + entry.path + "/nodePools/" + name + "."));
  }

  public synchronized List<NodePool> listNodePools(
      String project, String location, String clusterName) {
    advance();
    faults.check("listNodePools", clusterName);
    return cluster(project, location, clusterName).cluster.getNodePoolsList();
  }

  public synchronized Operation deleteNodePool(
      String project, String location, String clusterName, String name) {
    advance();
    faults.check("deleteNodePool", name);
    GkeCluster entry = cluster(project, location, clusterName);
    NodePool pool =
        entry
            .pool(name)
            .orElseThrow(
                () ->
                    GoogleApiError.notFound(
                        "Not found: " + entry.path + "/nodePools/" + name + "."));
    ensureIdle(entry);
    entry.replacePool(pool.toBuilder().setStatus(NodePool.Status.STOPPING).build());
    Operation op =
        startOperation(
            project,
            location,
            Operation.Type.DELETE_NODE_POOL,
            entry,
            name,
            faults.take("deleteNodePool.done", name));
    changed.run();
    return op;
  }

  // ---- operations ----

  public synchronized Operation getOperation(String project, String location, String id) {
    advance();
    GkeOperation entry = operations.get(operationPath(project, location, id)).orElse(null);
    if (entry == null && location.equals("-")) {
      entry =
          operations.all().stream()
              .filter(o -> o.project.equals(project) && o.op.getName().equals(id))
              .findFirst()
              .orElse(null);
    }
    faults.check("getOperation", entry == null ? id : entry.targetName, id);
    if (entry == null) {
      throw GoogleApiError.notFound("Not found: " + operationPath(project, location, id) + ".");
    }
    return entry.op;
  }

  public synchronized List<Operation> listOperations(String project, String location) {
    advance();
    faults.check("listOperations", project);
    return operations.all().stream()
        .filter(
            o -> o.project.equals(project) && (location.equals("-") || o.location.equals(location)))
        .map(o -> o.op)
        .toList();
  }

  /** Every operation's start and end, in the order they started (for benchmarks). */
  public synchronized List<OperationTiming> timings() {
    advance();
    return operations.all().stream()
        .map(
            o ->
                new OperationTiming(
                    o.op.getName(),
                    "gke." + o.op.getOperationType().name(),
                    o.targetName,
                    Instant.parse(o.op.getStartTime()),
                    o.op.getEndTime().isEmpty() ? null : Instant.parse(o.op.getEndTime())))
        .toList();
  }

  public ServerConfig serverConfig(String project, String location) {
    faults.check("getServerConfig", location, project);
    return GkeVersions.serverConfig();
  }

  // ---- views for the rest of the sandbox ----

  /**
   * The machines the project's node pools run in {@code region} (clusters in it or in its zones)
   * now: machine type to nodes, counted as the pools' nodes are ({@link NodeCount}).
   */
  public synchronized Map<String, Integer> machinesIn(String project, String region) {
    advance();
    Map<String, Integer> machines = new TreeMap<>();
    for (GkeCluster c : clusters.values()) {
      String location = c.location;
      String clusterRegion =
          location.matches(".*-[a-z]$") ? location.substring(0, location.length() - 2) : location;
      if (!c.project.equals(project) || !clusterRegion.equals(region)) {
        continue;
      }
      for (NodePool pool : c.cluster.getNodePoolsList()) {
        String type = pool.getConfig().getMachineType();
        machines.merge(type.isEmpty() ? "e2-medium" : type, NodeCount.of(pool), Integer::sum);
      }
    }
    return machines;
  }

  /** The cluster as it is now (operations due are completed first), or null once deleted. */
  public synchronized Cluster currentCluster(String path) {
    advance();
    GkeCluster entry = clusters.get(path);
    return entry == null ? null : entry.cluster;
  }

  @Override
  public String key() {
    return "gke";
  }

  @Override
  public synchronized List<String> inventory() {
    advance();
    List<String> lines = new ArrayList<>();
    for (GkeCluster c : clusters.values()) {
      lines.add("gke " + c.path);
      c.cluster
          .getNodePoolsList()
          .forEach(p -> lines.add("gke " + c.path + "/nodePools/" + p.getName()));
      c.store.inventory().forEach(o -> lines.add("k8s " + c.cluster.getName() + " " + o));
    }
    return lines;
  }

  @Override
  public synchronized ObjectNode snapshot() {
    ObjectNode node = Json.object();
    ArrayNode cs = node.putArray("clusters");
    for (GkeCluster c : clusters.values()) {
      ObjectNode n = cs.addObject();
      n.put("project", c.project).put("location", c.location);
      n.set("cluster", ProtoJson.tree(c.cluster));
      n.set("objects", c.store.snapshot());
    }
    ArrayNode ops = node.putArray("operations");
    for (GkeOperation o : operations.all()) {
      ObjectNode n = ops.addObject();
      n.put("project", o.project)
          .put("location", o.location)
          .put("cluster", o.clusterPath)
          .put("doneAt", o.doneAt);
      if (o.targetName != null) {
        n.put("target", o.targetName);
      }
      if (o.failure != null) {
        n.put("failureCode", o.failure.code().name()).put("failureMessage", o.failure.getMessage());
      }
      n.set("operation", ProtoJson.tree(o.op));
    }
    return node;
  }

  /**
   * Brings clusters back; operations that were running are finished at once. With {@code serve},
   * each cluster's Kubernetes API starts again (at its old endpoint when free); without, the state
   * is only read.
   */
  @Override
  public synchronized void restore(JsonNode node, boolean serve) {
    clear();
    if (node == null) {
      return;
    }
    for (JsonNode n : node.path("clusters")) {
      Cluster cluster = ProtoJson.fromTree(n.path("cluster"), Cluster.newBuilder()).build();
      GkeCluster entry =
          new GkeCluster(
              n.path("project").asText(),
              n.path("location").asText(),
              clusterPath(
                  n.path("project").asText(), n.path("location").asText(), cluster.getName()),
              KubeStore.restore(n.path("objects")));
      entry.cluster = cluster;
      clusters.put(entry.path, entry);
    }
    for (JsonNode n : node.path("operations")) {
      GkeOperation o =
          new GkeOperation(
              n.path("project").asText(),
              n.path("location").asText(),
              n.path("cluster").asText(),
              n.hasNonNull("target") ? n.path("target").asText() : null,
              ProtoJson.fromTree(n.path("operation"), Operation.newBuilder()).build(),
              0);
      if (n.hasNonNull("failureCode")) {
        o.failure =
            new GoogleApiError(
                io.grpc.Status.Code.valueOf(n.path("failureCode").asText()),
                n.path("failureMessage").asText());
      }
      operations.add(operationPath(o.project, o.location, o.op.getName()), o);
    }
    advance();
    if (serve) {
      for (GkeCluster entry : clusters.values()) {
        startKube(entry, entry.cluster.getEndpoint());
      }
    }
  }

  /** Stops the clusters' Kubernetes APIs, keeping the state (for close). */
  @Override
  public synchronized void stop() {
    clusters.values().forEach(GkeCluster::stopKube);
  }

  @Override
  public synchronized void clear() {
    clusters.values().forEach(GkeCluster::stopKube);
    clusters.clear();
    operations.clear();
  }

  // ---- internals ----

  /**
   * A create's pools, as the API checks them: either {@code nodePools} or the legacy {@code
   * nodeConfig}/{@code initialNodeCount}, never both; each pool named, validly and once.
   */
  private static void checkPools(List<NodePool> pools, Cluster wanted) {
    if (pools.isEmpty()) {
      return;
    }
    if (wanted.hasNodeConfig() || wanted.getInitialNodeCount() != 0) {
      throw GoogleApiError.invalid(
          "Cluster.node_pools cannot be set together with Cluster.node_config or"
              + " Cluster.initial_node_count.");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < pools.size(); i++) {
      String name = pools.get(i).getName();
      if (!NAME.matcher(name).matches()) {
        throw GoogleApiError.invalid(
            "Invalid value for field \"cluster.node_pools[" + i + "].name\": \"" + name + "\".");
      }
      if (!seen.add(name)) {
        throw GoogleApiError.invalid(
            "Invalid value for field \"cluster.node_pools["
                + i
                + "].name\": \""
                + name
                + "\": node pool names must be unique within a cluster.");
      }
    }
  }

  private NodePool newPool(String clusterPath, Cluster.Builder cluster, NodePool wanted) {
    NodePool.Builder pool =
        wanted.toBuilder()
            .setStatus(NodePool.Status.PROVISIONING)
            .setVersion(
                wanted.getVersion().isEmpty()
                    ? cluster.getCurrentNodeVersion()
                    : wanted.getVersion())
            .setSelfLink(apiBase + "/v1/" + clusterPath + "/nodePools/" + wanted.getName())
            .clearLocations()
            .addAllLocations(
                wanted.getLocationsCount() > 0
                    ? wanted.getLocationsList()
                    : cluster.getLocationsList());
    if (!pool.hasMaxPodsConstraint()) {
      long max = cluster.getDefaultMaxPodsConstraint().getMaxPodsPerNode();
      pool.setMaxPodsConstraint(
          MaxPodsConstraint.newBuilder().setMaxPodsPerNode(max == 0 ? 110 : max));
    }
    if (pool.getPodIpv4CidrSize() == 0) {
      pool.setPodIpv4CidrSize(24);
    }
    if (pool.getConfig().getMachineType().isEmpty()) {
      pool.getConfigBuilder().setMachineType("e2-medium");
    }
    if (pool.getConfig().getImageType().isEmpty()) {
      pool.getConfigBuilder().setImageType("COS_CONTAINERD");
    }
    if (pool.getConfig().getDiskSizeGb() == 0) {
      pool.getConfigBuilder().setDiskSizeGb(100);
    }
    if (pool.getConfig().getServiceAccount().isEmpty()) {
      // No account named: the nodes run as the project's Compute Engine default account, which
      // GKE reports by this name.
      pool.getConfigBuilder().setServiceAccount("default");
    }
    return pool.build();
  }

  private void ensureIdle(GkeCluster entry) {
    Optional<GkeOperation> op = running(entry.path);
    if (op.isPresent()) {
      throw op.get().busy(entry.cluster.getName());
    }
  }

  private Optional<GkeOperation> running(String clusterPath) {
    return operations.running(o -> o.clusterPath.equals(clusterPath));
  }

  private Operation startOperation(
      String project,
      String location,
      Operation.Type type,
      GkeCluster cluster,
      String poolName,
      Optional<CloudError> failure) {
    String id = operations.newId("operation-");
    Instant started = operations.startNow();
    String target = poolName == null ? cluster.path : cluster.path + "/nodePools/" + poolName;
    Operation op =
        Operation.newBuilder()
            .setName(id)
            .setZone(location)
            .setLocation(location)
            .setOperationType(type)
            .setStatus(Operation.Status.RUNNING)
            .setSelfLink(apiBase + "/v1/" + operationPath(project, location, id))
            .setTargetLink(apiBase + "/v1/" + target)
            .setStartTime(started.toString())
            .build();
    GkeOperation entry =
        new GkeOperation(
            project,
            location,
            cluster.path,
            poolName == null ? cluster.cluster.getName() : poolName,
            op,
            operations.dueAt(started, "gke." + type.name()));
    entry.failure = failure.map(GoogleApiError.class::cast).orElse(null);
    operations.add(operationPath(project, location, id), entry);
    return op;
  }

  /** Completes every operation that is due, in the order they were due. */
  private void advance() {
    List<GkeOperation> due = operations.due();
    for (GkeOperation o : due) {
      complete(o);
    }
    if (!due.isEmpty()) {
      changed.run();
    }
  }

  /**
   * Completes {@code o} as of its due time, not of the request that found it due: the operation's
   * end time is when the cloud finished it, so a client's notice latency can be read off it.
   */
  private void complete(GkeOperation o) {
    Instant ended = o.dueAt() > 0 ? Instant.ofEpochMilli(o.dueAt()) : operations.now();
    o.op = o.op.toBuilder().setStatus(Operation.Status.DONE).setEndTime(ended.toString()).build();
    GkeCluster entry = clusters.get(o.clusterPath);
    if (entry == null) {
      return;
    }
    if (o.failure != null) {
      fail(o, entry);
      return;
    }
    switch (o.op.getOperationType()) {
      case CREATE_CLUSTER -> {
        Cluster.Builder c = entry.cluster.toBuilder().setStatus(Cluster.Status.RUNNING);
        for (int i = 0; i < c.getNodePoolsCount(); i++) {
          if (c.getNodePools(i).getStatus() == NodePool.Status.PROVISIONING) {
            c.setNodePools(i, c.getNodePools(i).toBuilder().setStatus(NodePool.Status.RUNNING));
            entry.poolRunningSince.put(c.getNodePools(i).getName(), ended);
          }
        }
        entry.cluster = c.build();
      }
      case DELETE_CLUSTER -> {
        entry.stopKube();
        clusters.remove(entry.path);
      }
      case CREATE_NODE_POOL ->
          entry
              .pool(o.targetName)
              .ifPresent(
                  p -> {
                    entry.replacePool(p.toBuilder().setStatus(NodePool.Status.RUNNING).build());
                    entry.poolRunningSince.put(p.getName(), ended);
                  });
      case DELETE_NODE_POOL -> {
        Cluster.Builder c = entry.cluster.toBuilder().clearNodePools();
        entry.cluster.getNodePoolsList().stream()
            .filter(p -> !p.getName().equals(o.targetName))
            .forEach(c::addNodePools);
        entry.cluster = c.build();
      }
      default -> {}
    }
    if (clusters.containsKey(entry.path)) {
      entry.cluster =
          entry.cluster.toBuilder()
              .setCurrentNodeCount(
                  entry.cluster.getNodePoolsList().stream().mapToInt(NodeCount::of).sum())
              .build();
    }
  }

  /**
   * An operation that fails as GKE's do when provisioning hits a wall: DONE with an error, target
   * in ERROR.
   */
  private void fail(GkeOperation o, GkeCluster entry) {
    String message = o.failure.getMessage();
    o.op =
        o.op.toBuilder()
            .setStatusMessage(message)
            .setError(
                com.google.rpc.Status.newBuilder()
                    .setCode(o.failure.code().value())
                    .setMessage(message))
            .build();
    boolean onCluster =
        o.op.getOperationType() == Operation.Type.CREATE_CLUSTER
            || o.op.getOperationType() == Operation.Type.DELETE_CLUSTER;
    if (onCluster) {
      entry.cluster =
          entry.cluster.toBuilder()
              .setStatus(Cluster.Status.ERROR)
              .setStatusMessage(message)
              .build();
    } else {
      entry
          .pool(o.targetName)
          .ifPresent(
              p ->
                  entry.replacePool(
                      p.toBuilder()
                          .setStatus(NodePool.Status.ERROR)
                          .setStatusMessage(message)
                          .build()));
    }
    o.failure = null;
  }

  /**
   * Serves the cluster's API at {@code preferredEndpoint} when free and points its endpoint there.
   */
  private void startKube(GkeCluster entry, String preferredEndpoint) {
    try {
      entry.kube =
          KubeApiServer.start(preferredEndpoint, entry.store, kubeCluster(entry.path), kubeOptions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kubernetes API of " + entry.path, e);
    }
    String ca =
        Base64.getEncoder().encodeToString(entry.kube.caPem().getBytes(StandardCharsets.US_ASCII));
    entry.cluster =
        entry.cluster.toBuilder()
            .setEndpoint(entry.kube.endpoint())
            .setMasterAuth(MasterAuth.newBuilder().setClusterCaCertificate(ca))
            .build();
  }

  /** What the cluster's Kubernetes API shows of it, read as it is at each request. */
  private KubeCluster kubeCluster(String path) {
    return new KubeCluster() {
      @Override
      public Optional<String> version() {
        return Optional.ofNullable(currentCluster(path)).map(Cluster::getCurrentMasterVersion);
      }

      @Override
      public Instant created() {
        Cluster c = currentCluster(path);
        return c == null ? Instant.EPOCH : Instant.parse(c.getCreateTime());
      }

      @Override
      public List<NodeObject> nodes() {
        return GkeNodes.of(currentCluster(path), pool -> registered(path, pool));
      }
    };
  }

  /** Whether a running pool's kubelets have joined: the node registration delay has passed. */
  private synchronized boolean registered(String path, String pool) {
    Duration delay = kubeOptions == null ? Duration.ZERO : kubeOptions.nodeRegistrationDelay();
    GkeCluster entry = clusters.get(path);
    Instant since = entry == null ? null : entry.poolRunningSince.get(pool);
    return delay.isZero() || since == null || !operations.now().isBefore(since.plus(delay));
  }

  private GkeCluster cluster(String project, String location, String name) {
    GkeCluster entry = clusters.get(clusterPath(project, location, name));
    if (entry == null) {
      throw GoogleApiError.notFound("Not found: " + clusterPath(project, location, name) + ".");
    }
    return entry;
  }

  /** A region stands for its three zones a, b, c; a zone for itself. */
  private static List<String> zones(String location) {
    if (location.matches(".*-[a-z]$")) {
      return List.of(location);
    }
    return List.of(location + "-a", location + "-b", location + "-c");
  }

  static String clusterPath(String project, String location, String name) {
    return "projects/" + project + "/locations/" + location + "/clusters/" + name;
  }

  static String operationPath(String project, String location, String id) {
    return "projects/" + project + "/locations/" + location + "/operations/" + id;
  }
}
