package io.refarch.activities.acceptance;

import io.refarch.sandbox.core.RecordedRequest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox's Azure requests read as the sandbox names them for faults ({@code PutAgentPool},
 * {@code GetOperation}, {@code Token}, ...: {@link io.refarch.sandbox.azure.core.AzureFaults}), and
 * the requests to the clusters' Kubernetes APIs, which have no Azure name.
 */
final class AzureRequests {
  private AzureRequests() {}

  private static final String SUB = "/subscriptions/[^/]+";
  private static final String GROUP = SUB + "/resourcegroups/([^/]+)";
  private static final String CLUSTER =
      GROUP + "/providers/Microsoft\\.ContainerService/managedClusters/([^/]+)";
  private static final String LOCATION =
      SUB + "/providers/Microsoft\\.ContainerService/locations/[^/]+";

  /** Path patterns (ARM's paths are case-insensitive) and their operation by method. */
  private record Route(Pattern path, String get, String put, String post, String delete) {
    Route(String regex, String get, String put, String post, String delete) {
      this(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), get, put, post, delete);
    }
  }

  private static final List<Route> ROUTES =
      List.of(
          new Route("/[^/]+/oauth2(/v2\\.0)?/token", null, null, "Token", null),
          new Route(GROUP, "GetResourceGroup", "PutResourceGroup", null, "DeleteResourceGroup"),
          new Route(SUB + "/operationresults/[^/]+", "GetOperation", null, null, null),
          new Route(
              CLUSTER, "GetManagedCluster", "PutManagedCluster", null, "DeleteManagedCluster"),
          new Route(
              CLUSTER + "/listClusterAdminCredential",
              null,
              null,
              "ListClusterAdminCredential",
              null),
          new Route(
              CLUSTER + "/listClusterUserCredential",
              null,
              null,
              "ListClusterUserCredential",
              null),
          new Route(CLUSTER + "/agentPools", "ListAgentPools", null, null, null),
          new Route(
              CLUSTER + "/agentPools/([^/]+)",
              "GetAgentPool",
              "PutAgentPool",
              null,
              "DeleteAgentPool"),
          new Route(
              "(" + SUB + "|" + GROUP + ")/providers/Microsoft\\.ContainerService/managedClusters",
              "ListManagedClusters",
              null,
              null,
              null),
          new Route(LOCATION + "/operations/[^/]+", "GetOperation", null, null, null),
          new Route(LOCATION + "/operationresults/[^/]+", "GetOperation", null, null, null),
          new Route(LOCATION + "/kubernetesVersions", "ListKubernetesVersions", null, null, null),
          new Route(
              SUB + "/providers/Microsoft\\.Compute/locations/[^/]+/usages",
              "ListUsages",
              null,
              null,
              null),
          new Route(SUB + "/providers/Microsoft\\.Compute/skus", "ListSkus", null, null, null));

  /**
   * The Azure operation a request is, as the sandbox names it for faults, or null for a request to
   * a cluster's Kubernetes API (or one of ARM's calls that takes no faults).
   */
  static String operation(RecordedRequest r) {
    for (Route route : ROUTES) {
      if (route.path().matcher(r.path()).matches()) {
        return switch (r.method()) {
          case "GET", "HEAD" -> route.get();
          case "PUT", "PATCH" -> route.put();
          case "POST" -> route.post();
          case "DELETE" -> route.delete();
          default -> null;
        };
      }
    }
    return null;
  }

  /** Whether a request is one to Azure (Entra or ARM), not to a cluster's Kubernetes API. */
  static boolean azure(RecordedRequest r) {
    return r.path().startsWith("/subscriptions")
        || r.path().startsWith("/tenants")
        || r.path().matches("/[^/]+/oauth2(/v2\\.0)?/token")
        || r.path().matches("/[^/]+/(v2\\.0/)?\\.well-known/.*")
        || r.path().startsWith("/metadata");
  }

  /** Whether an operation, by its name, changes something. */
  static boolean mutating(String operation) {
    return operation.startsWith("Put") || operation.startsWith("Delete");
  }

  /** Whether the request changes something in Azure or in a cluster. */
  static boolean mutates(RecordedRequest r) {
    String operation = operation(r);
    if (operation != null) {
      return mutating(operation);
    }
    // A token or a credential list changes nothing; in a cluster, the method says.
    return !azure(r) && AwsRequests.writes(r);
  }

  /**
   * One line per request: the operation, with what it targets (the group, cluster or pool) when it
   * changes something, or {@code METHOD PATH} in a cluster.
   */
  static String describe(RecordedRequest r) {
    String operation = operation(r);
    if (operation == null) {
      return r.method() + " " + r.path();
    }
    for (Route route : ROUTES) {
      Matcher m = route.path().matcher(r.path());
      if (m.matches() && mutating(operation)) {
        return operation + " " + m.group(m.groupCount());
      }
    }
    return operation;
  }
}
