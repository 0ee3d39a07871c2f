package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.Query;
import io.refarch.sandbox.core.RecordedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API of one emulated cluster, served at its own address of the sandbox's {@link
 * KubeListener}: the edge (authentication, media types, routing) and the verbs on the resources in
 * {@link KubeResource}. Discovery ({@link KubeDiscovery}), storage ({@link KubeStore}), {@code
 * kubectl get} tables ({@link KubeTables}), protobuf bodies ({@link KubeProtobuf}) and watches
 * ({@link KubeWatch}) live beside it; Nodes come from the cloud ({@link KubeCluster}). Only bearer
 * tokens the sandbox issued and that have not expired are accepted ({@link KubeTokens}), or for a
 * cloud with tokens of its own what its check accepts (EKS's {@code k8s-aws-v1.}); anything else
 * gets 401 Unauthorized. Not served: server-side apply field ownership, admission, controllers
 * (nothing reconciles: a Deployment never gets pods).
 */
public final class KubeApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubeApiServer.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<String> SYSTEM_NAMESPACES =
      List.of("default", "kube-node-lease", "kube-public", "kube-system");

  /**
   * What every cluster's API shares: the listener (and its request threads), what to do after each
   * request that may change objects (save state; a GET changes none), and where requests are logged
   * (the sandbox's one request log, so tests see cloud and cluster calls in order), and how long
   * after its pool runs a node registers (kubelets join after their VMs boot; what a node check
   * waits for).
   */
  public record Options(
      KubeListener listener,
      Runnable afterEach,
      Consumer<RecordedRequest> recorder,
      KubeTokens tokens,
      Duration nodeRegistrationDelay) {

    /** Nodes register as soon as their pool runs. */
    public Options(
        KubeListener listener,
        Runnable afterEach,
        Consumer<RecordedRequest> recorder,
        KubeTokens tokens) {
      this(listener, afterEach, recorder, tokens, Duration.ZERO);
    }
  }

  private final KubeListener listener;
  private final KubeStore store;
  private final KubeCluster cluster;
  private final KubeDiscovery discovery;
  private final Runnable afterEach;
  private final Consumer<RecordedRequest> recorder;
  private final Predicate<String> acceptsToken;
  // Set once registered; read by the listener's request threads.
  private volatile InetSocketAddress address;

  private KubeApiServer(
      KubeStore store, KubeCluster cluster, Options options, Predicate<String> acceptsToken) {
    this.listener = options.listener();
    this.store = store;
    this.cluster = cluster;
    this.discovery = new KubeDiscovery(store, cluster);
    this.afterEach = options.afterEach();
    this.recorder = options.recorder();
    this.acceptsToken = acceptsToken;
  }

  /**
   * Serves the cluster at the address of {@code preferredEndpoint} ({@code IP:PORT}, as {@link
   * #endpoint()} gave it before a restart, so the cluster keeps it) when that is free, else at a
   * new address; the port is always the listener's, which a restarted sandbox also keeps when it
   * can.
   */
  public static KubeApiServer start(
      String preferredEndpoint, KubeStore store, KubeCluster cluster, Options options)
      throws IOException {
    return start(preferredEndpoint, store, cluster, options, options.tokens()::accepts);
  }

  /**
   * Like {@link #start(String, KubeStore, KubeCluster, Options)}, for a cloud whose clusters take
   * bearer tokens of its own kind (EKS's {@code k8s-aws-v1.} tokens, AKS's per-cluster ones).
   */
  public static KubeApiServer start(
      String preferredEndpoint,
      KubeStore store,
      KubeCluster cluster,
      Options options,
      Predicate<String> acceptsToken)
      throws IOException {
    KubeApiServer api = new KubeApiServer(store, cluster, options, acceptsToken);
    api.address = options.listener().register(host(preferredEndpoint), api);
    return api;
  }

  /** The IP literal before the port; nothing for a missing or other endpoint. */
  private static Optional<InetAddress> host(String endpoint) {
    if (endpoint == null || !endpoint.matches("[0-9.]+:[0-9]+")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(endpoint.substring(0, endpoint.indexOf(':'))));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** {@code IP:PORT}, e.g. {@code 127.1.0.1:43127}: what clients reach with {@code https://}. */
  public String endpoint() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /** The PEM of the CA clients must trust for this cluster's API. */
  public String caPem() {
    return listener.caPem();
  }

  @Override
  public void close() {
    listener.unregister(address.getAddress(), this);
  }

  private record Answer(int status, JsonNode body, Supplier<List<ObjectNode>> watch) {
    Answer(int status, JsonNode body) {
      this(status, body, null);
    }
  }

  void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query = Query.decode(exchange.getRequestURI().getRawQuery());
      String accept =
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("");
      String contentType =
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String body = new String(raw, StandardCharsets.UTF_8);
      String rawQuery = exchange.getRequestURI().getRawQuery();
      recorder.accept(new RecordedRequest(method, path, rawQuery == null ? "" : rawQuery, body));
      Answer answer;
      try {
        if (!anonymous(path)) {
          String auth =
              Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
                  .orElse("");
          // Missing, unknown and expired tokens alike, as a real API server answers.
          if (!auth.startsWith("Bearer ") || !acceptsToken.test(auth.substring(7).trim())) {
            throw new KubeError(401, "Unauthorized", "Unauthorized");
          }
        }
        if (Optional.ofNullable(exchange.getRequestHeaders().getFirst("Upgrade"))
            .orElse("")
            .equalsIgnoreCase("websocket")) {
          // fabric8 tries a websocket first and, on 503 (as behind kubectl proxy), watches over a
          // plain
          // HTTP stream; answering the upgrade with the stream instead kept it waiting for the
          // whole watch.
          throw new KubeError(
              503,
              "ServiceUnavailable",
              "the sandbox serves watches as HTTP streams, not websockets");
        }
        if (contentType.contains("protobuf")) {
          // kubectl's create subcommands send built-in kinds as protobuf; read those as JSON.
          body =
              KubeProtobuf.decode(raw)
                  .map(Object::toString)
                  .orElseThrow(
                      () ->
                          new KubeError(
                              415,
                              "UnsupportedMediaType",
                              "the sandbox reads protobuf only for RBAC, Namespace, ServiceAccount,"
                                  + " ConfigMap and Secret; send JSON (application/json) instead"));
          contentType = "application/json";
        } else if (!contentType.isEmpty()
            && !contentType.contains("json")
            && !contentType.contains("yaml")) {
          throw new KubeError(
              415,
              "UnsupportedMediaType",
              "the body of the request was in an unknown format"
                  + " - accepted media types include: application/json, application/yaml");
        }
        answer = route(method, path, query, accept, contentType, body);
      } catch (IOException e) {
        answer =
            error(
                new KubeError(
                    400, "BadRequest", "the request body cannot be decoded: " + e.getMessage()));
      } catch (KubeError e) {
        answer = error(e);
      } catch (RuntimeException e) {
        LOG.warn("sandbox Kubernetes API failed on {} {}", method, path, e);
        answer = error(new KubeError(500, "InternalError", "sandbox error: " + e));
      }
      try {
        // Reads change nothing; a node check's list of nodes every few seconds, times a fleet of
        // clusters, must not cost a save of the whole state each.
        if (!method.equals("GET")) {
          afterEach.run();
        }
      } catch (RuntimeException e) {
        LOG.warn("sandbox could not save its state", e);
      }
      if (answer.watch != null) {
        KubeWatch.stream(exchange, answer.watch, query);
        return;
      }
      byte[] bytes = answer.body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static boolean anonymous(String path) {
    return path.equals("/version")
        || path.equals("/healthz")
        || path.equals("/livez")
        || path.equals("/readyz");
  }

  private Answer route(
      String method,
      String path,
      Map<String, String> query,
      String accept,
      String contentType,
      String body) {
    List<String> seg =
        new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
    if (path.equals("/version")) {
      return ok(discovery.version());
    }
    if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
      return ok(Json.MAPPER.getNodeFactory().textNode("ok"));
    }
    if (seg.isEmpty()) {
      throw KubeError.notFound();
    }
    if (seg.size() >= 2 && seg.get(0).equals("openapi") && seg.get(1).equals("v3")) {
      if (!method.equals("GET")) {
        throw KubeError.methodNotAllowed();
      }
      return ok(
          seg.size() == 2
              ? discovery.openApiV3Paths()
              : discovery.openApiV3(String.join("/", seg.subList(2, seg.size()))));
    }
    String group;
    String version;
    List<String> rest;
    if (seg.get(0).equals("api")) {
      if (seg.size() == 1) {
        return ok(discovery.apiVersions(endpoint()));
      }
      group = "";
      version = seg.get(1);
      rest = seg.subList(2, seg.size());
    } else if (seg.get(0).equals("apis")) {
      if (seg.size() == 1) {
        return ok(discovery.groupList());
      }
      if (seg.size() == 2) {
        return ok(discovery.group(seg.get(1)));
      }
      group = seg.get(1);
      version = seg.get(2);
      rest = seg.subList(3, seg.size());
    } else {
      throw KubeError.notFound();
    }
    if (rest.isEmpty()) {
      if (!method.equals("GET")) {
        throw KubeError.methodNotAllowed();
      }
      return ok(discovery.resourceList(group, version));
    }
    String namespace = null;
    String plural;
    String name = null;
    if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
      namespace = rest.get(1);
      plural = rest.get(2);
      name = rest.size() > 3 ? rest.get(3) : null;
    } else {
      plural = rest.get(0);
      name = rest.size() > 1 ? rest.get(1) : null;
    }
    KubeResource resource = discovery.find(group, version, plural).orElseThrow(KubeError::notFound);
    if (resource.namespaced() && namespace == null && !(method.equals("GET") && name == null)) {
      throw KubeError.notFound();
    }
    if (!resource.namespaced() && namespace != null) {
      throw KubeError.notFound();
    }
    if (query.containsKey("watch")
        && !query.get("watch").equals("false")
        && !query.get("watch").equals("0")) {
      if (!method.equals("GET")) {
        throw new KubeError(405, "MethodNotAllowed", "watch needs GET");
      }
      String only = name;
      String ns = namespace;
      Predicate<ObjectNode> selected =
          Selectors.of(query)
              .and(o -> only == null || only.equals(o.path("metadata").path("name").asText()));
      Supplier<List<ObjectNode>> current =
          resource.plural().equals("nodes")
              ? () -> nodes().stream().filter(selected).toList()
              : () -> store.list(resource, ns, selected);
      return new Answer(200, null, current);
    }
    boolean table = accept.contains("as=Table");
    if (resource.plural().equals("nodes")) {
      return nodes(method, name, query, table);
    }
    return switch (method) {
      case "GET" ->
          name == null
              ? ok(
                  list(
                      resource,
                      namespace,
                      store.list(resource, namespace, Selectors.of(query)),
                      table))
              : ok(
                  table
                      ? KubeTables.table(
                          resource,
                          List.of(get(resource, namespace, name)),
                          store.resourceVersion())
                      : get(resource, namespace, name));
      case "POST" -> {
        if (name != null) {
          throw KubeError.methodNotAllowed();
        }
        yield new Answer(201, create(resource, namespace, parse(body, contentType), dryRun(query)));
      }
      case "PUT" ->
          ok(replace(resource, namespace, required(name), parse(body, contentType), dryRun(query)));
      case "PATCH" ->
          ok(patch(resource, namespace, required(name), body, contentType, dryRun(query)));
      case "DELETE" ->
          name == null
              ? ok(deleteCollection(resource, namespace, query))
              : ok(delete(resource, namespace, name, dryRun(query)));
      default -> throw KubeError.methodNotAllowed();
    };
  }

  // ---- CRUD ----

  private ObjectNode get(KubeResource resource, String namespace, String name) {
    if (resource.plural().equals("namespaces") && SYSTEM_NAMESPACES.contains(name)) {
      return systemNamespace(name);
    }
    return store
        .get(resource, namespace, name)
        .orElseThrow(() -> KubeError.notFound(resource, name));
  }

  private ObjectNode create(
      KubeResource resource, String namespace, ObjectNode object, boolean dryRun) {
    ObjectNode metadata = object.with("metadata");
    if (metadata.path("name").asText().isEmpty() && metadata.hasNonNull("generateName")) {
      metadata.put(
          "name",
          metadata.path("generateName").asText() + Long.toString(System.nanoTime() % 100_000, 36));
    }
    String name = metadata.path("name").asText();
    if (name.isEmpty()) {
      throw new KubeError(
          422,
          "Invalid",
          resource.kind()
              + " \"\" is invalid: metadata.name: Required value: name or generateName is required");
    }
    String bodyNamespace = metadata.path("namespace").asText("");
    if (resource.namespaced()
        && !bodyNamespace.isEmpty()
        && namespace != null
        && !bodyNamespace.equals(namespace)) {
      throw new KubeError(
          400,
          "BadRequest",
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    if (resource.plural().equals("namespaces") && SYSTEM_NAMESPACES.contains(name)) {
      throw KubeError.alreadyExists(resource, name);
    }
    established(resource, object);
    if (dryRun) {
      if (store.get(resource, namespace, name).isPresent()) {
        throw KubeError.alreadyExists(resource, name);
      }
      return object;
    }
    return store
        .create(resource, namespace, object)
        .orElseThrow(() -> KubeError.alreadyExists(resource, name));
  }

  private ObjectNode replace(
      KubeResource resource, String namespace, String name, ObjectNode object, boolean dryRun) {
    ObjectNode current =
        store.get(resource, namespace, name).orElseThrow(() -> KubeError.notFound(resource, name));
    String expected = object.path("metadata").path("resourceVersion").asText("");
    if (!expected.isEmpty()
        && !expected.equals(current.path("metadata").path("resourceVersion").asText())) {
      throw new KubeError(
          409,
          "Conflict",
          "Operation cannot be fulfilled on "
              + resource.qualifiedName()
              + " \""
              + name
              + "\": the object has been modified; please apply your changes to the latest version and try again");
    }
    object.with("metadata").put("name", name);
    established(resource, object);
    return dryRun ? object : store.replace(resource, namespace, object);
  }

  private ObjectNode patch(
      KubeResource resource,
      String namespace,
      String name,
      String body,
      String contentType,
      boolean dryRun) {
    Optional<ObjectNode> current = store.get(resource, namespace, name);
    if (contentType.startsWith("application/apply-patch")) {
      // Server-side apply without field ownership: create, or merge the applied fields in.
      ObjectNode applied = parse(body, contentType);
      applied.with("metadata").put("name", name);
      if (current.isEmpty()) {
        return create(resource, namespace, applied, dryRun);
      }
      ObjectNode merged = KubePatches.mergePatch(current.get(), applied);
      established(resource, merged);
      return dryRun ? merged : store.replace(resource, namespace, merged);
    }
    ObjectNode existing = current.orElseThrow(() -> KubeError.notFound(resource, name));
    ObjectNode patched;
    if (contentType.startsWith("application/json-patch+json")) {
      patched = KubePatches.jsonPatch(existing, Json.tree(body));
    } else {
      // merge-patch and strategic-merge-patch; lists are replaced whole (no patch strategies).
      patched = KubePatches.mergePatch(existing, parse(body, contentType));
    }
    patched.with("metadata").put("name", name);
    patched.with("metadata").remove("resourceVersion");
    return dryRun ? patched : store.replace(resource, namespace, patched);
  }

  /** What the API server itself reports for a CRD at once, so waits for "established" end. */
  private static void established(KubeResource resource, ObjectNode object) {
    if (!resource.plural().equals("customresourcedefinitions")) {
      return;
    }
    ObjectNode status = object.putObject("status");
    status.set("acceptedNames", object.path("spec").path("names").deepCopy());
    ArrayNode conditions = status.putArray("conditions");
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    conditions
        .addObject()
        .put("type", "NamesAccepted")
        .put("status", "True")
        .put("reason", "NoConflicts")
        .put("message", "no conflicts found")
        .put("lastTransitionTime", now);
    conditions
        .addObject()
        .put("type", "Established")
        .put("status", "True")
        .put("reason", "InitialNamesAccepted")
        .put("message", "the initial names have been accepted")
        .put("lastTransitionTime", now);
    ArrayNode stored = status.putArray("storedVersions");
    object
        .path("spec")
        .path("versions")
        .forEach(
            v -> {
              if (v.path("storage").asBoolean(false)) {
                stored.add(v.path("name").asText());
              }
            });
  }

  private ObjectNode delete(KubeResource resource, String namespace, String name, boolean dryRun) {
    if (resource.plural().equals("namespaces") && SYSTEM_NAMESPACES.contains(name)) {
      throw new KubeError(
          403,
          "Forbidden",
          "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
    }
    if (dryRun) {
      return get(resource, namespace, name);
    }
    ObjectNode deleted =
        store
            .delete(resource, namespace, name)
            .orElseThrow(() -> KubeError.notFound(resource, name));
    if (resource.plural().equals("namespaces")) {
      // Namespaced objects go with their namespace (at once: there is no finalization here).
      for (KubeResource r : discovery.resources()) {
        if (r.namespaced()) {
          store
              .list(r, name, o -> true)
              .forEach(o -> store.delete(r, name, o.path("metadata").path("name").asText()));
        }
      }
    }
    return deleted;
  }

  private JsonNode deleteCollection(
      KubeResource resource, String namespace, Map<String, String> query) {
    List<ObjectNode> items = store.list(resource, namespace, Selectors.of(query));
    if (!dryRun(query)) {
      items.forEach(
          o ->
              store.delete(
                  resource,
                  o.path("metadata").path("namespace").asText(null),
                  o.path("metadata").path("name").asText()));
    }
    return list(resource, namespace, items, false);
  }

  private Answer nodes(String method, String name, Map<String, String> query, boolean table) {
    if (!method.equals("GET")) {
      throw new KubeError(
          405,
          "MethodNotAllowed",
          "nodes follow the cloud's node pools in the sandbox; change the node pools instead");
    }
    KubeResource resource = KubeResource.find("", "v1", "nodes").orElseThrow();
    List<ObjectNode> nodes = nodes();
    if (name != null) {
      ObjectNode node =
          nodes.stream()
              .filter(n -> n.path("metadata").path("name").asText().equals(name))
              .findFirst()
              .orElseThrow(() -> KubeError.notFound(resource, name));
      return ok(table ? KubeTables.table(resource, List.of(node), store.resourceVersion()) : node);
    }
    List<ObjectNode> selected = nodes.stream().filter(Selectors.of(query)).toList();
    return ok(list(resource, null, selected, table));
  }

  private ObjectNode systemNamespace(String name) {
    ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
    ns.putObject("metadata")
        .put("name", name)
        .put("resourceVersion", "1")
        .put("creationTimestamp", cluster.created().truncatedTo(ChronoUnit.SECONDS).toString())
        .putObject("labels")
        .put("kubernetes.io/metadata.name", name);
    ns.putObject("spec").putArray("finalizers").add("kubernetes");
    ns.putObject("status").put("phase", "Active");
    return ns;
  }

  private JsonNode list(
      KubeResource resource, String namespace, List<ObjectNode> items, boolean table) {
    List<ObjectNode> all = new ArrayList<>(items);
    if (resource.plural().equals("namespaces")) {
      SYSTEM_NAMESPACES.forEach(n -> all.add(systemNamespace(n)));
      all.sort(
          (a, b) ->
              a.path("metadata")
                  .path("name")
                  .asText()
                  .compareTo(b.path("metadata").path("name").asText()));
    }
    if (table) {
      return KubeTables.table(resource, all, store.resourceVersion());
    }
    ObjectNode list =
        Json.object()
            .put("apiVersion", resource.apiVersion())
            .put("kind", resource.kind() + "List");
    list.putObject("metadata").put("resourceVersion", Long.toString(store.resourceVersion()));
    ArrayNode array = list.putArray("items");
    all.forEach(array::add);
    return list;
  }

  private List<ObjectNode> nodes() {
    return cluster.nodes().stream().map(NodeObject::toJson).toList();
  }

  private static ObjectNode parse(String body, String contentType) {
    try {
      JsonNode node =
          contentType.contains("yaml") ? YAML.readTree(body) : Json.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new KubeError(400, "BadRequest", "the request body is not a JSON object");
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new KubeError(
          400, "BadRequest", "the request body cannot be decoded: " + e.getMessage());
    }
  }

  private static boolean dryRun(Map<String, String> query) {
    return query.containsKey("dryRun");
  }

  private static String required(String name) {
    if (name == null) {
      throw KubeError.methodNotAllowed();
    }
    return name;
  }

  private static Answer ok(JsonNode body) {
    return new Answer(200, body);
  }

  private static Answer error(KubeError e) {
    return new Answer(e.httpStatus(), e.status());
  }
}
