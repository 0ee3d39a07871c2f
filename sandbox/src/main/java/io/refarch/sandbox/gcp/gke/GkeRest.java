package io.refarch.sandbox.gcp.gke;

import com.google.container.v1.CreateClusterRequest;
import com.google.container.v1.CreateNodePoolRequest;
import com.google.container.v1.ListClustersResponse;
import com.google.container.v1.ListNodePoolsResponse;
import com.google.container.v1.ListOperationsResponse;
import io.refarch.sandbox.core.RestServer;
import io.refarch.sandbox.gcp.ProtoJson;

/**
 * container.googleapis.com v1 over REST, the transport gcloud and the Java client's HTTP/JSON stub
 * use. The legacy zonal paths (/zones/Z/...) map onto the same handlers as /locations/L/....
 */
public final class GkeRest {

  private static final String LOCATION = "/v1/projects/([^/:]+)/(?:locations|zones)/([^/:]+)";
  private static final String CLUSTER = LOCATION + "/clusters/([^/:]+)";

  private GkeRest() {}

  public static void register(RestServer rest, Gke gke) {
    rest.route(
        "POST",
        LOCATION + "/clusters",
        (m, r) ->
            ProtoJson.print(
                gke.createCluster(
                    m.group(1),
                    m.group(2),
                    ProtoJson.parse(r.body(), CreateClusterRequest.newBuilder()).build()),
                r));
    rest.route(
        "GET",
        LOCATION + "/clusters",
        (m, r) ->
            ProtoJson.print(
                ListClustersResponse.newBuilder()
                    .addAllClusters(gke.listClusters(m.group(1), m.group(2)))
                    .build(),
                r));
    rest.route(
        "GET",
        CLUSTER,
        (m, r) -> ProtoJson.print(gke.getCluster(m.group(1), m.group(2), m.group(3)), r));
    rest.route(
        "DELETE",
        CLUSTER,
        (m, r) -> ProtoJson.print(gke.deleteCluster(m.group(1), m.group(2), m.group(3)), r));

    rest.route(
        "POST",
        CLUSTER + "/nodePools",
        (m, r) ->
            ProtoJson.print(
                gke.createNodePool(
                    m.group(1),
                    m.group(2),
                    m.group(3),
                    ProtoJson.parse(r.body(), CreateNodePoolRequest.newBuilder()).build()),
                r));
    rest.route(
        "GET",
        CLUSTER + "/nodePools",
        (m, r) ->
            ProtoJson.print(
                ListNodePoolsResponse.newBuilder()
                    .addAllNodePools(gke.listNodePools(m.group(1), m.group(2), m.group(3)))
                    .build(),
                r));
    rest.route(
        "GET",
        CLUSTER + "/nodePools/([^/:]+)",
        (m, r) ->
            ProtoJson.print(gke.getNodePool(m.group(1), m.group(2), m.group(3), m.group(4)), r));
    rest.route(
        "DELETE",
        CLUSTER + "/nodePools/([^/:]+)",
        (m, r) ->
            ProtoJson.print(gke.deleteNodePool(m.group(1), m.group(2), m.group(3), m.group(4)), r));

    rest.route(
        "GET",
        LOCATION + "/operations/([^/:]+)",
        (m, r) -> ProtoJson.print(gke.getOperation(m.group(1), m.group(2), m.group(3)), r));
    rest.route(
        "GET",
        LOCATION + "/operations",
        (m, r) ->
            ProtoJson.print(
                ListOperationsResponse.newBuilder()
                    .addAllOperations(gke.listOperations(m.group(1), m.group(2)))
                    .build(),
                r));
    rest.route(
        "GET",
        LOCATION + "/serverConfig",
        (m, r) -> ProtoJson.print(gke.serverConfig(m.group(1), m.group(2)), r));
    rest.route(
        "GET",
        LOCATION + "/serverconfig",
        (m, r) -> ProtoJson.print(gke.serverConfig(m.group(1), m.group(2)), r));
  }
}
