package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a cluster serves and how clients find it: /version, /api, /apis, each group and group
 * version, for the built-in resources and those the stored CustomResourceDefinitions define (so
 * kubectl and fabric8 see Calico's types once its CRDs are applied).
 */
final class KubeDiscovery {

  private final KubeStore store;
  private final KubeCluster cluster;

  KubeDiscovery(KubeStore store, KubeCluster cluster) {
    this.store = store;
    this.cluster = cluster;
  }

  /**
   * The built-in resources plus those the stored CustomResourceDefinitions define (e.g. Calico's).
   */
  List<KubeResource> resources() {
    List<KubeResource> all = new ArrayList<>(KubeResource.ALL);
    KubeResource crds =
        KubeResource.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
    for (ObjectNode crd : store.list(crds, null, o -> true)) {
      JsonNode spec = crd.path("spec");
      JsonNode names = spec.path("names");
      List<String> shortNames = new ArrayList<>();
      names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
      for (JsonNode v : spec.path("versions")) {
        if (!v.path("served").asBoolean(true)) {
          continue;
        }
        KubeResource r =
            new KubeResource(
                spec.path("group").asText(),
                v.path("name").asText(),
                names.path("kind").asText(),
                names.path("plural").asText(),
                !spec.path("scope").asText("Namespaced").equals("Cluster"),
                shortNames);
        if (all.stream()
            .noneMatch(
                e ->
                    e.group().equals(r.group())
                        && e.version().equals(r.version())
                        && e.plural().equals(r.plural()))) {
          all.add(r);
        }
      }
    }
    return all;
  }

  Optional<KubeResource> find(String group, String version, String plural) {
    return resources().stream()
        .filter(
            r ->
                r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  JsonNode version() {
    String v = cluster.version().orElse("1.32.4");
    String[] parts = v.split("[.-]");
    return Json.object()
        .put("major", parts[0])
        .put("minor", parts.length > 1 ? parts[1] : "0")
        .put("gitVersion", "v" + v)
        .put("gitCommit", "sandbox")
        .put("gitTreeState", "clean")
        .put("buildDate", "2025-01-01T00:00:00Z")
        .put("goVersion", "go1.23")
        .put("compiler", "gc")
        .put("platform", "linux/amd64");
  }

  JsonNode apiVersions(String endpoint) {
    ObjectNode node = Json.object().put("kind", "APIVersions");
    node.putArray("versions").add("v1");
    node.putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", endpoint);
    return node;
  }

  JsonNode groupList() {
    ObjectNode node = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = node.putArray("groups");
    groupNames().forEach(g -> groups.add(group(g)));
    return node;
  }

  private List<String> groupNames() {
    return resources().stream()
        .map(KubeResource::group)
        .filter(g -> !g.isEmpty())
        .distinct()
        .toList();
  }

  ObjectNode group(String name) {
    List<String> versions =
        resources().stream()
            .filter(r -> r.group().equals(name))
            .map(KubeResource::version)
            .distinct()
            .toList();
    if (versions.isEmpty()) {
      throw KubeError.notFound();
    }
    ObjectNode group =
        Json.object().put("kind", "APIGroup").put("apiVersion", "v1").put("name", name);
    ArrayNode vs = group.putArray("versions");
    versions.forEach(v -> vs.addObject().put("groupVersion", name + "/" + v).put("version", v));
    group
        .putObject("preferredVersion")
        .put("groupVersion", name + "/" + versions.get(0))
        .put("version", versions.get(0));
    return group;
  }

  /**
   * {@code /openapi/v3}: one document per group version served, as kubectl looks them up before
   * {@code create -f}/{@code apply} to learn whether the server validates fields itself ({@code
   * fieldValidation}); without them kubectl falls back to validating with /openapi/v2 and fails.
   */
  JsonNode openApiV3Paths() {
    ObjectNode node = Json.object();
    ObjectNode paths = node.putObject("paths");
    resources().stream()
        .map(KubeDiscovery::groupVersionPath)
        .distinct()
        .forEach(
            p ->
                paths
                    .putObject(p)
                    .put(
                        "serverRelativeURL",
                        "/openapi/v3/"
                            + p
                            + "?hash="
                            + Integer.toHexString(openApiV3(p).toString().hashCode())));
    return node;
  }

  /**
   * The OpenAPI v3 document of {@code api/v1} or {@code apis/GROUP/VERSION}: for each kind, its
   * PATCH and POST operations tagged with the kind and taking {@code fieldValidation}, which is
   * what kubectl reads. There are no schemas, and the sandbox accepts {@code fieldValidation}
   * without checking fields: kubectl's own validation is skipped, nothing rejects unknown fields.
   */
  JsonNode openApiV3(String groupVersionPath) {
    List<KubeResource> served =
        resources().stream().filter(r -> groupVersionPath(r).equals(groupVersionPath)).toList();
    if (served.isEmpty()) {
      throw KubeError.notFound();
    }
    ObjectNode doc = Json.object().put("openapi", "3.0.0");
    doc.putObject("info")
        .put("title", "Kubernetes")
        .put("version", version().path("gitVersion").asText());
    ObjectNode paths = doc.putObject("paths");
    for (KubeResource r : served) {
      String collection =
          "/" + groupVersionPath + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
      ObjectNode gvk =
          Json.object().put("group", r.group()).put("version", r.version()).put("kind", r.kind());
      operation(paths.putObject(collection), "post", "create", r, gvk);
      operation(paths.putObject(collection + "/{name}"), "patch", "patch", r, gvk);
    }
    return doc;
  }

  private static void operation(
      ObjectNode path, String method, String verb, KubeResource r, ObjectNode gvk) {
    ObjectNode op = path.putObject(method);
    op.put("operationId", verb + r.kind());
    op.put("x-kubernetes-action", method.equals("post") ? "post" : "patch");
    op.set("x-kubernetes-group-version-kind", gvk.deepCopy());
    op.putArray("parameters")
        .addObject()
        .put("name", "fieldValidation")
        .put("in", "query")
        .put(
            "description",
            "accepted; the sandbox does not check fields (Ignore, Warn and Strict alike)")
        .putObject("schema")
        .put("type", "string");
    op.putObject("responses").putObject("200").put("description", "OK");
  }

  private static String groupVersionPath(KubeResource r) {
    return r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.group() + "/" + r.version();
  }

  JsonNode resourceList(String group, String version) {
    List<KubeResource> resources =
        resources().stream()
            .filter(r -> r.group().equals(group) && r.version().equals(version))
            .toList();
    if (resources.isEmpty()) {
      throw KubeError.notFound();
    }
    ObjectNode node =
        Json.object()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", resources.get(0).apiVersion());
    ArrayNode array = node.putArray("resources");
    for (KubeResource r : resources) {
      ObjectNode res =
          array
              .addObject()
              .put("name", r.plural())
              .put("singularName", r.singular())
              .put("namespaced", r.namespaced())
              .put("kind", r.kind());
      ArrayNode verbs = res.putArray("verbs");
      (r.plural().equals("nodes")
              ? List.of("get", "list")
              : List.of("create", "delete", "deletecollection", "get", "list", "patch", "update"))
          .forEach(verbs::add);
      if (!r.shortNames().isEmpty()) {
        ArrayNode shorts = res.putArray("shortNames");
        r.shortNames().forEach(shorts::add);
      }
    }
    return node;
  }
}
