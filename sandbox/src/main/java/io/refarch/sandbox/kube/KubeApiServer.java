package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.container.v1.Cluster;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.refarch.sandbox.RecordedRequest;
import io.refarch.sandbox.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API of one emulated cluster over HTTPS: discovery documents (so kubectl works), CRUD on the
 * resources in {@link KubeResource}, Table answers for {@code kubectl get}, and Nodes derived from the node
 * pools. Any non-empty bearer token is accepted: GKE would check a Google OAuth token, the sandbox has none
 * to check. Watch is served by polling. Not served: server-side apply field ownership, admission, controllers
 * (nothing reconciles: a Deployment never gets pods).
 */
public final class KubeApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubeApiServer.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-node-lease", "kube-public", "kube-system");

    /**
     * What every cluster's API shares: the request threads, what to do after each request (save state), and
     * where requests are logged (the sandbox's one request log, so tests see cloud and cluster calls in order).
     */
    public record Options(ExecutorService executor, Runnable afterEach, Consumer<RecordedRequest> recorder) {
    }

    private final HttpsServer server;
    private final KubeStore store;
    private final Supplier<Cluster> cluster;
    private final Runnable afterEach;
    private final Consumer<RecordedRequest> recorder;

    private KubeApiServer(HttpsServer server, KubeStore store, Supplier<Cluster> cluster, Options options) {
        this.server = server;
        this.store = store;
        this.cluster = cluster;
        this.afterEach = options.afterEach();
        this.recorder = options.recorder();
    }

    /** Binds 127.0.0.1 on {@code preferredPort} (so a restarted sandbox keeps its endpoints) or any free port. */
    public static KubeApiServer start(int preferredPort, ClusterCertificates certificates, KubeStore store,
                                      Supplier<Cluster> cluster, Options options) throws IOException {
        HttpsServer server;
        try {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", preferredPort), 64);
        } catch (BindException e) {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(certificates.sslContext()));
        server.setExecutor(options.executor());
        KubeApiServer api = new KubeApiServer(server, store, cluster, options);
        server.createContext("/", api::serve);
        server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private record Answer(int status, JsonNode body, Supplier<List<ObjectNode>> watch) {
        Answer(int status, JsonNode body) {
            this(status, body, null);
        }
    }

    private static final class KubeError extends RuntimeException {
        final int code;
        final String reason;

        KubeError(int code, String reason, String message) {
            super(message, null, false, false);
            this.code = code;
            this.reason = reason;
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String accept = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("");
            String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String body = new String(raw, StandardCharsets.UTF_8);
            String rawQuery = exchange.getRequestURI().getRawQuery();
            recorder.accept(new RecordedRequest(method, path, rawQuery == null ? "" : rawQuery, body));
            Answer answer;
            try {
                if (!anonymous(path)) {
                    String auth = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
                    if (!auth.startsWith("Bearer ") || auth.substring(7).isBlank()) {
                        throw new KubeError(401, "Unauthorized", "Unauthorized");
                    }
                }
                if (Optional.ofNullable(exchange.getRequestHeaders().getFirst("Upgrade")).orElse("").equalsIgnoreCase("websocket")) {
                    // fabric8 tries a websocket first and, on 503 (as behind kubectl proxy), watches over a plain
                    // HTTP stream; answering the upgrade with the stream instead kept it waiting for the whole watch.
                    throw new KubeError(503, "ServiceUnavailable", "the sandbox serves watches as HTTP streams, not websockets");
                }
                if (contentType.contains("protobuf")) {
                    // kubectl's create subcommands send built-in kinds as protobuf; read those as JSON.
                    body = KubeProtobuf.decode(raw).map(Object::toString).orElseThrow(() -> new KubeError(415,
                            "UnsupportedMediaType", "the sandbox reads protobuf only for RBAC, Namespace, ServiceAccount,"
                            + " ConfigMap and Secret; send JSON (application/json) instead"));
                    contentType = "application/json";
                } else if (!contentType.isEmpty() && !contentType.contains("json") && !contentType.contains("yaml")) {
                    throw new KubeError(415, "UnsupportedMediaType", "the body of the request was in an unknown format"
                            + " - accepted media types include: application/json, application/yaml");
                }
                answer = route(method, path, query, accept, contentType, body);
            } catch (IOException e) {
                answer = new Answer(400, status(400, "BadRequest", "the request body cannot be decoded: " + e.getMessage()));
            } catch (KubeError e) {
                answer = new Answer(e.code, status(e.code, e.reason, e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("sandbox Kubernetes API failed on {} {}", method, path, e);
                answer = new Answer(500, status(500, "InternalError", "sandbox error: " + e));
            }
            try {
                afterEach.run();
            } catch (RuntimeException e) {
                LOG.warn("sandbox could not save its state", e);
            }
            if (answer.watch != null) {
                watch(exchange, answer.watch, query);
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

    /**
     * Streams watch events by comparing snapshots every 100 ms until timeoutSeconds (default 5 minutes) or the
     * client leaves. From a resourceVersion, objects changed after it are sent; deletions before the watch
     * started are not (there is no history), which informers survive by relisting.
     */
    private void watch(HttpExchange exchange, Supplier<List<ObjectNode>> current, Map<String, String> query) throws IOException {
        long since;
        try {
            since = Long.parseLong(query.getOrDefault("resourceVersion", "0"));
        } catch (NumberFormatException e) {
            since = 0;
        }
        long timeout;
        try {
            timeout = Long.parseLong(query.getOrDefault("timeoutSeconds", "300"));
        } catch (NumberFormatException e) {
            timeout = 300;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        Map<String, ObjectNode> known = new LinkedHashMap<>();
        if (since > 0) {
            for (ObjectNode o : current.get()) {
                if (o.path("metadata").path("resourceVersion").asLong(0) <= since) {
                    known.put(watchKey(o), o);
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(1, timeout)).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Map<String, ObjectNode> now = new LinkedHashMap<>();
                current.get().forEach(o -> now.put(watchKey(o), o));
                StringBuilder events = new StringBuilder();
                now.forEach((key, o) -> {
                    ObjectNode before = known.get(key);
                    if (before == null) {
                        events.append(event("ADDED", o));
                    } else if (!before.equals(o)) {
                        events.append(event("MODIFIED", o));
                    }
                });
                known.forEach((key, o) -> {
                    if (!now.containsKey(key)) {
                        events.append(event("DELETED", o));
                    }
                });
                known.clear();
                known.putAll(now);
                if (events.length() > 0) {
                    out.write(events.toString().getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            // The client went away or the server stops: the watch ends.
        }
        try {
            out.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static String watchKey(ObjectNode o) {
        return o.path("metadata").path("namespace").asText("") + "/" + o.path("metadata").path("name").asText();
    }

    private static String event(String type, ObjectNode object) {
        return Json.object().put("type", type).<ObjectNode>set("object", object) + "\n";
    }

    private static boolean anonymous(String path) {
        return path.equals("/version") || path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz");
    }

    private Answer route(String method, String path, Map<String, String> query, String accept, String contentType, String body) {
        List<String> seg = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
        if (path.equals("/version")) {
            return ok(version());
        }
        if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
            return ok(Json.MAPPER.getNodeFactory().textNode("ok"));
        }
        if (seg.isEmpty()) {
            throw notFound();
        }
        String group;
        String version;
        List<String> rest;
        if (seg.get(0).equals("api")) {
            if (seg.size() == 1) {
                return ok(apiVersions());
            }
            group = "";
            version = seg.get(1);
            rest = seg.subList(2, seg.size());
        } else if (seg.get(0).equals("apis")) {
            if (seg.size() == 1) {
                return ok(groupList());
            }
            if (seg.size() == 2) {
                return ok(group(seg.get(1)));
            }
            group = seg.get(1);
            version = seg.get(2);
            rest = seg.subList(3, seg.size());
        } else {
            throw notFound();
        }
        if (rest.isEmpty()) {
            if (!method.equals("GET")) {
                throw new KubeError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
            }
            return ok(resourceList(group, version));
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
        KubeResource resource = find(group, version, plural).orElseThrow(KubeApiServer::notFound);
        if (resource.namespaced() && namespace == null && !(method.equals("GET") && name == null)) {
            throw notFound();
        }
        if (!resource.namespaced() && namespace != null) {
            throw notFound();
        }
        if (query.containsKey("watch") && !query.get("watch").equals("false") && !query.get("watch").equals("0")) {
            if (!method.equals("GET")) {
                throw new KubeError(405, "MethodNotAllowed", "watch needs GET");
            }
            String only = name;
            String ns = namespace;
            Predicate<ObjectNode> selected = selector(query).and(o -> only == null || only.equals(o.path("metadata").path("name").asText()));
            Supplier<List<ObjectNode>> current = resource.plural().equals("nodes")
                    ? () -> Nodes.of(cluster.get()).stream().filter(selected).toList()
                    : () -> store.list(resource, ns, selected);
            return new Answer(200, null, current);
        }
        boolean table = accept.contains("as=Table");
        if (resource.plural().equals("nodes")) {
            return nodes(method, name, query, table);
        }
        return switch (method) {
            case "GET" -> name == null
                    ? ok(list(resource, namespace, store.list(resource, namespace, selector(query)), table))
                    : ok(table ? table(resource, List.of(get(resource, namespace, name))) : get(resource, namespace, name));
            case "POST" -> {
                if (name != null) {
                    throw new KubeError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
                }
                yield new Answer(201, create(resource, namespace, parse(body, contentType), dryRun(query)));
            }
            case "PUT" -> ok(replace(resource, namespace, required(name), parse(body, contentType), dryRun(query)));
            case "PATCH" -> ok(patch(resource, namespace, required(name), body, contentType, dryRun(query)));
            case "DELETE" -> name == null
                    ? ok(deleteCollection(resource, namespace, query))
                    : ok(delete(resource, namespace, name, dryRun(query)));
            default -> throw new KubeError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        };
    }

    // ---- CRUD ----

    private ObjectNode get(KubeResource resource, String namespace, String name) {
        if (resource.plural().equals("namespaces") && SYSTEM_NAMESPACES.contains(name)) {
            return systemNamespace(name);
        }
        return store.get(resource, namespace, name).orElseThrow(() -> notFound(resource, name));
    }

    private ObjectNode create(KubeResource resource, String namespace, ObjectNode object, boolean dryRun) {
        ObjectNode metadata = object.with("metadata");
        if (metadata.path("name").asText().isEmpty() && metadata.hasNonNull("generateName")) {
            metadata.put("name", metadata.path("generateName").asText() + Long.toString(System.nanoTime() % 100_000, 36));
        }
        String name = metadata.path("name").asText();
        if (name.isEmpty()) {
            throw new KubeError(422, "Invalid", resource.kind() + " \"\" is invalid: metadata.name: Required value: name or generateName is required");
        }
        String bodyNamespace = metadata.path("namespace").asText("");
        if (resource.namespaced() && !bodyNamespace.isEmpty() && namespace != null && !bodyNamespace.equals(namespace)) {
            throw new KubeError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        }
        if (resource.plural().equals("namespaces") && SYSTEM_NAMESPACES.contains(name)) {
            throw alreadyExists(resource, name);
        }
        established(resource, object);
        if (dryRun) {
            if (store.get(resource, namespace, name).isPresent()) {
                throw alreadyExists(resource, name);
            }
            return object;
        }
        return store.create(resource, namespace, object).orElseThrow(() -> alreadyExists(resource, name));
    }

    private ObjectNode replace(KubeResource resource, String namespace, String name, ObjectNode object, boolean dryRun) {
        ObjectNode current = store.get(resource, namespace, name).orElseThrow(() -> notFound(resource, name));
        String expected = object.path("metadata").path("resourceVersion").asText("");
        if (!expected.isEmpty() && !expected.equals(current.path("metadata").path("resourceVersion").asText())) {
            throw new KubeError(409, "Conflict", "Operation cannot be fulfilled on " + resource.qualifiedName() + " \"" + name
                    + "\": the object has been modified; please apply your changes to the latest version and try again");
        }
        object.with("metadata").put("name", name);
        established(resource, object);
        return dryRun ? object : store.replace(resource, namespace, object);
    }

    private ObjectNode patch(KubeResource resource, String namespace, String name, String body, String contentType, boolean dryRun) {
        Optional<ObjectNode> current = store.get(resource, namespace, name);
        if (contentType.startsWith("application/apply-patch")) {
            // Server-side apply without field ownership: create, or merge the applied fields in.
            ObjectNode applied = parse(body, contentType);
            applied.with("metadata").put("name", name);
            if (current.isEmpty()) {
                return create(resource, namespace, applied, dryRun);
            }
            ObjectNode merged = mergePatch(current.get(), applied);
            established(resource, merged);
            return dryRun ? merged : store.replace(resource, namespace, merged);
        }
        ObjectNode existing = current.orElseThrow(() -> notFound(resource, name));
        ObjectNode patched;
        if (contentType.startsWith("application/json-patch+json")) {
            patched = jsonPatch(existing, Json.tree(body));
        } else {
            // merge-patch and strategic-merge-patch; lists are replaced whole (no patch strategies).
            patched = mergePatch(existing, parse(body, contentType));
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
        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("reason", "NoConflicts")
                .put("message", "no conflicts found").put("lastTransitionTime", now);
        conditions.addObject().put("type", "Established").put("status", "True").put("reason", "InitialNamesAccepted")
                .put("message", "the initial names have been accepted").put("lastTransitionTime", now);
        ArrayNode stored = status.putArray("storedVersions");
        object.path("spec").path("versions").forEach(v -> {
            if (v.path("storage").asBoolean(false)) {
                stored.add(v.path("name").asText());
            }
        });
    }

    private ObjectNode delete(KubeResource resource, String namespace, String name, boolean dryRun) {
        if (resource.plural().equals("namespaces") && SYSTEM_NAMESPACES.contains(name)) {
            throw new KubeError(403, "Forbidden", "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
        }
        if (dryRun) {
            return get(resource, namespace, name);
        }
        ObjectNode deleted = store.delete(resource, namespace, name).orElseThrow(() -> notFound(resource, name));
        if (resource.plural().equals("namespaces")) {
            // Namespaced objects go with their namespace (at once: there is no finalization here).
            for (KubeResource r : resources()) {
                if (r.namespaced()) {
                    store.list(r, name, o -> true).forEach(o -> store.delete(r, name, o.path("metadata").path("name").asText()));
                }
            }
        }
        return deleted;
    }

    private JsonNode deleteCollection(KubeResource resource, String namespace, Map<String, String> query) {
        List<ObjectNode> items = store.list(resource, namespace, selector(query));
        if (!dryRun(query)) {
            items.forEach(o -> store.delete(resource, o.path("metadata").path("namespace").asText(null),
                    o.path("metadata").path("name").asText()));
        }
        return list(resource, namespace, items, false);
    }

    private Answer nodes(String method, String name, Map<String, String> query, boolean table) {
        if (!method.equals("GET")) {
            throw new KubeError(405, "MethodNotAllowed", "nodes follow the GKE node pools in the sandbox; change the node pools instead");
        }
        KubeResource resource = KubeResource.find("", "v1", "nodes").orElseThrow();
        List<ObjectNode> nodes = Nodes.of(cluster.get());
        if (name != null) {
            ObjectNode node = nodes.stream().filter(n -> n.path("metadata").path("name").asText().equals(name)).findFirst()
                    .orElseThrow(() -> notFound(resource, name));
            return ok(table ? table(resource, List.of(node)) : node);
        }
        List<ObjectNode> selected = nodes.stream().filter(selector(query)).toList();
        return ok(list(resource, null, selected, table));
    }

    private ObjectNode systemNamespace(String name) {
        ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
        Cluster c = cluster.get();
        ns.putObject("metadata").put("name", name).put("resourceVersion", "1")
                .put("creationTimestamp", c == null ? Instant.EPOCH.toString() : Instant.parse(c.getCreateTime()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .putObject("labels").put("kubernetes.io/metadata.name", name);
        ns.putObject("spec").putArray("finalizers").add("kubernetes");
        ns.putObject("status").put("phase", "Active");
        return ns;
    }

    private JsonNode list(KubeResource resource, String namespace, List<ObjectNode> items, boolean table) {
        List<ObjectNode> all = new ArrayList<>(items);
        if (resource.plural().equals("namespaces")) {
            SYSTEM_NAMESPACES.forEach(n -> all.add(systemNamespace(n)));
            all.sort((a, b) -> a.path("metadata").path("name").asText().compareTo(b.path("metadata").path("name").asText()));
        }
        if (table) {
            return table(resource, all);
        }
        ObjectNode list = Json.object().put("apiVersion", resource.apiVersion()).put("kind", resource.kind() + "List");
        list.putObject("metadata").put("resourceVersion", Long.toString(store.resourceVersion()));
        ArrayNode array = list.putArray("items");
        all.forEach(array::add);
        return list;
    }

    // ---- tables for kubectl get ----

    private JsonNode table(KubeResource resource, List<ObjectNode> objects) {
        ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", Long.toString(store.resourceVersion()));
        ArrayNode columns = table.putArray("columnDefinitions");
        List<String> names = switch (resource.plural()) {
            case "nodes" -> List.of("Name", "Status", "Roles", "Age", "Version");
            case "namespaces" -> List.of("Name", "Status", "Age");
            case "clusterrolebindings", "rolebindings" -> List.of("Name", "Role", "Age");
            default -> List.of("Name", "Age");
        };
        for (String n : names) {
            columns.addObject().put("name", n).put("type", "string").put("format", n.equals("Name") ? "name" : "")
                    .put("description", n).put("priority", 0);
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (String n : names) {
                cells.add(switch (n) {
                    case "Name" -> o.path("metadata").path("name").asText();
                    case "Status" -> resource.plural().equals("nodes") ? "Ready" : o.path("status").path("phase").asText("Active");
                    case "Roles" -> "<none>";
                    case "Version" -> o.path("status").path("nodeInfo").path("kubeletVersion").asText();
                    case "Role" -> o.path("roleRef").path("kind").asText() + "/" + o.path("roleRef").path("name").asText();
                    case "Age" -> age(o.path("metadata").path("creationTimestamp").asText());
                    default -> "";
                });
            }
            ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", o.path("metadata").deepCopy());
        }
        return table;
    }

    private static String age(String timestamp) {
        try {
            Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
            if (d.toDays() > 0) {
                return d.toDays() + "d";
            }
            if (d.toHours() > 0) {
                return d.toHours() + "h";
            }
            if (d.toMinutes() > 0) {
                return d.toMinutes() + "m";
            }
            return Math.max(0, d.toSeconds()) + "s";
        } catch (RuntimeException e) {
            return "<unknown>";
        }
    }

    // ---- discovery ----

    /** The built-in resources plus those the stored CustomResourceDefinitions define (e.g. Calico's). */
    private List<KubeResource> resources() {
        List<KubeResource> all = new ArrayList<>(KubeResource.ALL);
        KubeResource crds = KubeResource.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
        for (ObjectNode crd : store.list(crds, null, o -> true)) {
            JsonNode spec = crd.path("spec");
            JsonNode names = spec.path("names");
            List<String> shortNames = new ArrayList<>();
            names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
            for (JsonNode v : spec.path("versions")) {
                if (!v.path("served").asBoolean(true)) {
                    continue;
                }
                KubeResource r = new KubeResource(spec.path("group").asText(), v.path("name").asText(), names.path("kind").asText(),
                        names.path("plural").asText(), !spec.path("scope").asText("Namespaced").equals("Cluster"), shortNames);
                if (all.stream().noneMatch(e -> e.group().equals(r.group()) && e.version().equals(r.version()) && e.plural().equals(r.plural()))) {
                    all.add(r);
                }
            }
        }
        return all;
    }

    private Optional<KubeResource> find(String group, String version, String plural) {
        return resources().stream().filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural)).findFirst();
    }

    private JsonNode version() {
        Cluster c = cluster.get();
        String v = c == null ? "1.32.4-gke.1106000" : c.getCurrentMasterVersion();
        String[] parts = v.split("[.-]");
        return Json.object().put("major", parts[0]).put("minor", parts.length > 1 ? parts[1] : "0")
                .put("gitVersion", "v" + v).put("gitCommit", "sandbox").put("gitTreeState", "clean")
                .put("buildDate", "2025-01-01T00:00:00Z").put("goVersion", "go1.23").put("compiler", "gc")
                .put("platform", "linux/amd64");
    }

    private JsonNode apiVersions() {
        ObjectNode node = Json.object().put("kind", "APIVersions");
        node.putArray("versions").add("v1");
        node.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", "127.0.0.1:" + port());
        return node;
    }

    private JsonNode groupList() {
        ObjectNode node = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = node.putArray("groups");
        groupNames().forEach(g -> groups.add(group(g)));
        return node;
    }

    private List<String> groupNames() {
        return resources().stream().map(KubeResource::group).filter(g -> !g.isEmpty()).distinct().toList();
    }

    private ObjectNode group(String name) {
        List<String> versions = resources().stream().filter(r -> r.group().equals(name)).map(KubeResource::version).distinct().toList();
        if (versions.isEmpty()) {
            throw notFound();
        }
        ObjectNode group = Json.object().put("kind", "APIGroup").put("apiVersion", "v1").put("name", name);
        ArrayNode vs = group.putArray("versions");
        versions.forEach(v -> vs.addObject().put("groupVersion", name + "/" + v).put("version", v));
        group.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
        return group;
    }

    private JsonNode resourceList(String group, String version) {
        List<KubeResource> resources = resources().stream().filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
        if (resources.isEmpty()) {
            throw notFound();
        }
        ObjectNode node = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", resources.get(0).apiVersion());
        ArrayNode array = node.putArray("resources");
        for (KubeResource r : resources) {
            ObjectNode res = array.addObject().put("name", r.plural()).put("singularName", r.singular())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            ArrayNode verbs = res.putArray("verbs");
            (r.plural().equals("nodes") ? List.of("get", "list")
                    : List.of("create", "delete", "deletecollection", "get", "list", "patch", "update")).forEach(verbs::add);
            if (!r.shortNames().isEmpty()) {
                ArrayNode shorts = res.putArray("shortNames");
                r.shortNames().forEach(shorts::add);
            }
        }
        return node;
    }

    // ---- helpers ----

    private static Predicate<ObjectNode> selector(Map<String, String> query) {
        Predicate<ObjectNode> p = o -> true;
        String labels = query.getOrDefault("labelSelector", "");
        for (String term : labels.split(",")) {
            String t = term.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.contains("!=")) {
                String k = t.substring(0, t.indexOf("!=")).trim();
                String v = t.substring(t.indexOf("!=") + 2).trim();
                p = p.and(o -> !v.equals(o.path("metadata").path("labels").path(k).asText(null)));
            } else if (t.contains("=")) {
                String k = t.substring(0, t.indexOf('=')).trim();
                String v = t.substring(t.lastIndexOf('=') + 1).trim();
                p = p.and(o -> v.equals(o.path("metadata").path("labels").path(k).asText(null)));
            } else if (t.startsWith("!")) {
                String k = t.substring(1).trim();
                p = p.and(o -> !o.path("metadata").path("labels").has(k));
            } else {
                p = p.and(o -> o.path("metadata").path("labels").has(t));
            }
        }
        String fields = query.getOrDefault("fieldSelector", "");
        for (String term : fields.split(",")) {
            String t = term.trim();
            if (t.isEmpty() || !t.contains("=")) {
                continue;
            }
            boolean negate = t.contains("!=");
            String k = t.substring(0, t.indexOf(negate ? "!=" : "=")).trim();
            String v = t.substring(t.lastIndexOf('=') + 1).trim();
            String[] pathParts = k.split("\\.");
            p = p.and(o -> {
                JsonNode n = o;
                for (String part : pathParts) {
                    n = n.path(part);
                }
                return v.equals(n.asText()) != negate;
            });
        }
        return p;
    }

    private static ObjectNode parse(String body, String contentType) {
        try {
            JsonNode node = contentType.contains("yaml") ? YAML.readTree(body) : Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new KubeError(400, "BadRequest", "the request body is not a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new KubeError(400, "BadRequest", "the request body cannot be decoded: " + e.getMessage());
        }
    }

    /** RFC 7386 JSON merge patch. */
    static ObjectNode mergePatch(ObjectNode target, ObjectNode patch) {
        ObjectNode result = target.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else if (e.getValue().isObject() && result.path(e.getKey()).isObject()) {
                result.set(e.getKey(), mergePatch((ObjectNode) result.get(e.getKey()), (ObjectNode) e.getValue()));
            } else {
                result.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return result;
    }

    /** RFC 6902 add, replace, remove and test on object members and array indexes. */
    private static ObjectNode jsonPatch(ObjectNode target, JsonNode ops) {
        ObjectNode result = target.deepCopy();
        for (JsonNode op : ops) {
            String path = op.path("path").asText();
            int slash = path.lastIndexOf('/');
            JsonNode parent = slash <= 0 ? result : result.at(path.substring(0, slash));
            String key = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            switch (op.path("op").asText()) {
                case "add", "replace" -> {
                    if (parent.isObject()) {
                        ((ObjectNode) parent).set(key, op.path("value").deepCopy());
                    } else if (parent.isArray()) {
                        ArrayNode array = (ArrayNode) parent;
                        if (key.equals("-")) {
                            array.add(op.path("value").deepCopy());
                        } else if (op.path("op").asText().equals("add")) {
                            array.insert(Integer.parseInt(key), op.path("value").deepCopy());
                        } else {
                            array.set(Integer.parseInt(key), op.path("value").deepCopy());
                        }
                    } else {
                        throw new KubeError(422, "Invalid", "json patch path " + path + " does not exist");
                    }
                }
                case "remove" -> {
                    if (parent.isObject()) {
                        ((ObjectNode) parent).remove(key);
                    } else if (parent.isArray()) {
                        ((ArrayNode) parent).remove(Integer.parseInt(key));
                    }
                }
                case "test" -> {
                    if (!result.at(path).equals(op.path("value"))) {
                        throw new KubeError(422, "Invalid", "json patch test failed at " + path);
                    }
                }
                default -> throw new KubeError(415, "UnsupportedMediaType", "json patch op " + op.path("op").asText() + " is not supported");
            }
        }
        return result;
    }

    private static boolean dryRun(Map<String, String> query) {
        return query.containsKey("dryRun");
    }

    private static String required(String name) {
        if (name == null) {
            throw new KubeError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
        return name;
    }

    private static Answer ok(JsonNode body) {
        return new Answer(200, body);
    }

    private static KubeError notFound() {
        return new KubeError(404, "NotFound", "the server could not find the requested resource");
    }

    private static KubeError notFound(KubeResource r, String name) {
        return new KubeError(404, "NotFound", r.qualifiedName() + " \"" + name + "\" not found");
    }

    private static KubeError alreadyExists(KubeResource r, String name) {
        return new KubeError(409, "AlreadyExists", r.qualifiedName() + " \"" + name + "\" already exists");
    }

    private static JsonNode status(int code, String reason, String message) {
        ObjectNode s = Json.object().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        return s;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }
}
