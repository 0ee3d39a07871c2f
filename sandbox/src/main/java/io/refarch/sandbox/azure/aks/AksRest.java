package io.refarch.sandbox.azure.aks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.azure.core.ApiVersions;
import io.refarch.sandbox.azure.core.ArmError;
import io.refarch.sandbox.azure.core.ArmServer;
import io.refarch.sandbox.azure.core.ArmServer.Request;
import io.refarch.sandbox.azure.core.ArmServer.Response;
import io.refarch.sandbox.core.Faults;
import io.refarch.sandbox.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * AKS's REST surface under ARM (Microsoft.ContainerService): managed clusters, their agent pools
 * and credentials, the async operations' status and result URLs, the offered versions. Mutations
 * answer with {@code Azure-AsyncOperation} (and {@code Location} for deletes) as AKS does, and a
 * {@code Retry-After} of the seconds the operation still takes (1 to 30), so pollers that honour it
 * (azure-core, az) poll about when it ends.
 */
public final class AksRest {

  private static final String SUB = "/subscriptions/([^/]+)";
  private static final String CLUSTERS =
      SUB + "/resourcegroups/([^/]+)/providers/Microsoft\\.ContainerService/managedClusters";
  private static final String LOCATION =
      SUB + "/providers/Microsoft\\.ContainerService/locations/([^/]+)";

  private final Aks aks;
  private final Faults faults;

  public AksRest(Aks aks, Faults faults) {
    this.aks = aks;
    this.faults = faults;
  }

  public void routes(ArmServer s) {
    s.route(
        "GET",
        SUB + "/providers/Microsoft\\.ContainerService/managedClusters",
        (m, r) -> {
          check(r, null);
          faults.check("ListManagedClusters");
          return Response.ok(list(aks.listClusters(m.group(1), null)));
        });
    s.route(
        "GET",
        CLUSTERS,
        (m, r) -> {
          check(r, null);
          faults.check("ListManagedClusters", m.group(2));
          return Response.ok(list(aks.listClusters(m.group(1), m.group(2))));
        });
    s.route(
        "PUT",
        CLUSTERS + "/([^/]+)",
        (m, r) -> {
          check(r, r.json().path("location").asText(null));
          faults.check("PutManagedCluster", m.group(3));
          return answer(r, aks.putCluster(m.group(1), m.group(2), m.group(3), r.json()), false);
        });
    s.route(
        "GET",
        CLUSTERS + "/([^/]+)",
        (m, r) -> {
          check(r, null);
          faults.check("GetManagedCluster", m.group(3));
          return Response.ok(aks.getCluster(m.group(1), m.group(2), m.group(3)));
        });
    s.route(
        "DELETE",
        CLUSTERS + "/([^/]+)",
        (m, r) -> {
          check(r, null);
          faults.check("DeleteManagedCluster", m.group(3));
          return deleted(r, aks.deleteCluster(m.group(1), m.group(2), m.group(3)));
        });
    s.route(
        "POST",
        CLUSTERS + "/([^/]+)/listClusterAdminCredential",
        (m, r) -> {
          check(r, null);
          faults.check("ListClusterAdminCredential", m.group(3));
          return Response.ok(
              credentials(
                  "clusterAdmin", aks.kubeconfig(m.group(1), m.group(2), m.group(3), true)));
        });
    s.route(
        "POST",
        CLUSTERS + "/([^/]+)/listClusterUserCredential",
        (m, r) -> {
          check(r, null);
          faults.check("ListClusterUserCredential", m.group(3));
          return Response.ok(
              credentials(
                  "clusterUser", aks.kubeconfig(m.group(1), m.group(2), m.group(3), false)));
        });
    s.route(
        "GET",
        CLUSTERS + "/([^/]+)/agentPools",
        (m, r) -> {
          check(r, null);
          faults.check("ListAgentPools", m.group(3));
          return Response.ok(list(aks.listAgentPools(m.group(1), m.group(2), m.group(3))));
        });
    s.route(
        "PUT",
        CLUSTERS + "/([^/]+)/agentPools/([^/]+)",
        (m, r) -> {
          check(r, null);
          faults.check("PutAgentPool", m.group(4), m.group(3));
          return answer(
              r, aks.putAgentPool(m.group(1), m.group(2), m.group(3), m.group(4), r.json()), false);
        });
    s.route(
        "GET",
        CLUSTERS + "/([^/]+)/agentPools/([^/]+)",
        (m, r) -> {
          check(r, null);
          faults.check("GetAgentPool", m.group(4), m.group(3));
          return Response.ok(aks.getAgentPool(m.group(1), m.group(2), m.group(3), m.group(4)));
        });
    s.route(
        "DELETE",
        CLUSTERS + "/([^/]+)/agentPools/([^/]+)",
        (m, r) -> {
          check(r, null);
          faults.check("DeleteAgentPool", m.group(4), m.group(3));
          return deleted(r, aks.deleteAgentPool(m.group(1), m.group(2), m.group(3), m.group(4)));
        });
    s.route(
        "GET",
        LOCATION + "/operations/([^/]+)",
        (m, r) -> {
          check(r, m.group(2));
          Aks.Operation op = operation(m.group(1), m.group(3));
          faults.check("GetOperation", target(op));
          return status(r, op);
        });
    s.route(
        "GET",
        LOCATION + "/operationresults/([^/]+)",
        (m, r) -> {
          check(r, m.group(2));
          Aks.Operation op = operation(m.group(1), m.group(3));
          faults.check("GetOperation", target(op));
          if (op.status.equals("InProgress")) {
            return Response.of(202, null)
                .header("Location", r.base() + r.path() + "?" + r.rawQuery())
                .header("Retry-After", retryAfter(op));
          }
          return Response.of(204, null);
        });
    s.route(
        "GET",
        LOCATION + "/kubernetesVersions",
        (m, r) -> {
          check(r, m.group(2));
          faults.check("ListKubernetesVersions", m.group(2));
          return Response.ok(AksVersions.list());
        });
  }

  private static void check(Request r, String location) {
    ApiVersions.check(r.apiVersion(), ApiVersions.CONTAINER_SERVICE, location);
  }

  private Aks.Operation operation(String subscription, String id) {
    return aks.operation(subscription, id)
        .orElseThrow(
            () ->
                new ArmError(
                    404,
                    "NotFound",
                    "Operation " + id + " was not found in subscription " + subscription + "."));
  }

  private static String target(Aks.Operation op) {
    return op.pool != null ? op.pool : op.cluster.substring(op.cluster.lastIndexOf('/') + 1);
  }

  private static Response status(Request r, Aks.Operation op) {
    ObjectNode body = Json.object();
    body.put("id", r.path());
    body.put("name", op.id);
    body.put("status", op.status);
    body.put("startTime", Instant.ofEpochMilli(op.started).toString());
    if (!op.status.equals("InProgress")) {
      body.put("endTime", Instant.ofEpochMilli(op.dueAt).toString());
      if (op.errorCode != null) {
        body.putObject("error").put("code", op.errorCode).put("message", op.errorMessage);
      } else if (op.status.equals("Canceled")) {
        body.putObject("error")
            .put("code", "OperationCanceled")
            .put("message", "The operation was canceled by a later delete of the cluster.");
      }
      return Response.ok(body);
    }
    return Response.ok(body).header("Retry-After", retryAfter(op));
  }

  /** The created/updated resource with the async operation's URL, when one runs. */
  private static Response answer(Request r, Aks.Change change, boolean delete) {
    Response response = Response.of(change.status(), change.resource());
    Aks.Operation op = change.operation();
    if (op != null && op.status.equals("InProgress")) {
      response.header("Azure-AsyncOperation", operationUrl(r, op, "operations"));
      response.header("Retry-After", retryAfter(op));
      if (delete) {
        response.header("Location", operationUrl(r, op, "operationresults"));
      }
    }
    return response;
  }

  private static Response deleted(Request r, Optional<Aks.Change> change) {
    if (change.isEmpty()) {
      return Response.of(204, null);
    }
    return withHeaders(Response.of(202, null), answer(r, change.get(), true));
  }

  private static Response withHeaders(Response to, Response from) {
    from.headers().forEach(to::header);
    return to;
  }

  private static String operationUrl(Request r, Aks.Operation op, String kind) {
    return r.base()
        + "/subscriptions/"
        + op.subscription
        + "/providers/Microsoft.ContainerService/locations/"
        + op.location
        + "/"
        + kind
        + "/"
        + op.id
        + "?api-version="
        + r.apiVersion();
  }

  private static String retryAfter(Aks.Operation op) {
    long millis = op.dueAt - System.currentTimeMillis();
    return Long.toString(Math.max(1, Math.min(30, (millis + 999) / 1000)));
  }

  private static ObjectNode list(List<ObjectNode> items) {
    ObjectNode node = Json.object();
    ArrayNode value = node.putArray("value");
    items.forEach(value::add);
    return node;
  }

  private static ObjectNode credentials(String name, String kubeconfig) {
    ObjectNode node = Json.object();
    node.putArray("kubeconfigs")
        .addObject()
        .put("name", name)
        .put(
            "value",
            Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
    return node;
  }
}
