package io.refarch.sandbox.gke;

import com.google.container.v1.CreateClusterRequest;
import com.google.container.v1.CreateNodePoolRequest;
import com.google.container.v1.ListClustersResponse;
import com.google.container.v1.ListNodePoolsResponse;
import com.google.container.v1.ListOperationsResponse;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.http.RestServer;

/**
 * container.googleapis.com v1 over REST, the transport gcloud and the Java client's HTTP/JSON stub use.
 * The legacy zonal paths (/zones/Z/...) map onto the same handlers as /locations/L/....
 */
public final class GkeRest {

    private static final String LOCATION = "/v1/projects/([^/:]+)/(?:locations|zones)/([^/:]+)";
    private static final String CLUSTER = LOCATION + "/clusters/([^/:]+)";

    private GkeRest() {
    }

    public static void register(RestServer rest, Gke gke) {
        rest.route("POST", LOCATION + "/clusters", (m, r) -> Json.print(gke.createCluster(m.group(1), m.group(2),
                Json.parse(r.body(), CreateClusterRequest.newBuilder()).build()), r.enumsAsInts()));
        rest.route("GET", LOCATION + "/clusters", (m, r) -> Json.print(ListClustersResponse.newBuilder()
                .addAllClusters(gke.listClusters(m.group(1), m.group(2))).build(), r.enumsAsInts()));
        rest.route("GET", CLUSTER, (m, r) -> Json.print(gke.getCluster(m.group(1), m.group(2), m.group(3)), r.enumsAsInts()));
        rest.route("DELETE", CLUSTER, (m, r) -> Json.print(gke.deleteCluster(m.group(1), m.group(2), m.group(3)), r.enumsAsInts()));

        rest.route("POST", CLUSTER + "/nodePools", (m, r) -> Json.print(gke.createNodePool(m.group(1), m.group(2), m.group(3),
                Json.parse(r.body(), CreateNodePoolRequest.newBuilder()).build()), r.enumsAsInts()));
        rest.route("GET", CLUSTER + "/nodePools", (m, r) -> Json.print(ListNodePoolsResponse.newBuilder()
                .addAllNodePools(gke.listNodePools(m.group(1), m.group(2), m.group(3))).build(), r.enumsAsInts()));
        rest.route("GET", CLUSTER + "/nodePools/([^/:]+)", (m, r) ->
                Json.print(gke.getNodePool(m.group(1), m.group(2), m.group(3), m.group(4)), r.enumsAsInts()));
        rest.route("DELETE", CLUSTER + "/nodePools/([^/:]+)", (m, r) ->
                Json.print(gke.deleteNodePool(m.group(1), m.group(2), m.group(3), m.group(4)), r.enumsAsInts()));

        rest.route("GET", LOCATION + "/operations/([^/:]+)", (m, r) ->
                Json.print(gke.getOperation(m.group(1), m.group(2), m.group(3)), r.enumsAsInts()));
        rest.route("GET", LOCATION + "/operations", (m, r) -> Json.print(ListOperationsResponse.newBuilder()
                .addAllOperations(gke.listOperations(m.group(1), m.group(2))).build(), r.enumsAsInts()));
        rest.route("GET", LOCATION + "/serverConfig", (m, r) -> Json.print(gke.serverConfig(), r.enumsAsInts()));
        rest.route("GET", LOCATION + "/serverconfig", (m, r) -> Json.print(gke.serverConfig(), r.enumsAsInts()));
    }
}
