package io.refarch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.AbortedException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.Cluster;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodePool;
import com.google.container.v1.NodePoolAutoscaling;
import com.google.container.v1.Operation;
import io.refarch.sandbox.core.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GKE through the official Java client over its HTTP/JSON transport. */
class GkeApiTest {

  static final String LOCATION = "projects/p1/locations/us-central1";

  @TempDir Path state;

  Sandbox sandbox;
  ClusterManagerClient gke;

  void start(Duration operationDuration, String... faults) throws Exception {
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(state)
                .withOperationDuration(operationDuration)
                .withFaults(List.of(faults).stream().map(Sandbox::parseFault).toList()));
    gke = GcpClients.gke(sandbox);
  }

  @AfterEach
  void stop() {
    if (gke != null) {
      gke.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  static Cluster cluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setInitialClusterVersion("1.30")
        .setNodeConfig(
            NodeConfig.newBuilder()
                .setMachineType("e2-standard-2")
                .setImageType("UBUNTU_CONTAINERD"))
        .setInitialNodeCount(1)
        .build();
  }

  static NodePool pool(String name, String label) {
    return NodePool.newBuilder()
        .setName(name)
        .setInitialNodeCount(1)
        .setConfig(
            NodeConfig.newBuilder()
                .setMachineType("n2d-standard-16")
                .setImageType("UBUNTU_CONTAINERD")
                .putLabels(label, "true"))
        .setAutoscaling(
            NodePoolAutoscaling.newBuilder()
                .setEnabled(true)
                .setMinNodeCount(1)
                .setMaxNodeCount(50))
        .build();
  }

  Cluster createCluster(String name) throws Exception {
    Operation op = gke.createCluster(LOCATION, cluster(name));
    GcpClients.awaitDone(gke, LOCATION, op);
    return gke.getCluster(LOCATION + "/clusters/" + name);
  }

  @Test
  void clusterCreationRunsAnOperationAndLeavesARunningClusterWithItsDefaultPool() throws Exception {
    start(Duration.ofSeconds(1));

    Operation op = gke.createCluster(LOCATION, cluster("gitpod"));

    assertThat(op.getOperationType()).isEqualTo(Operation.Type.CREATE_CLUSTER);
    assertThat(op.getStatus()).isEqualTo(Operation.Status.RUNNING);
    assertThat(gke.getCluster(LOCATION + "/clusters/gitpod").getStatus())
        .isEqualTo(Cluster.Status.PROVISIONING);

    Operation done = GcpClients.awaitDone(gke, LOCATION, op);
    assertThat(done.getError().getCode()).isZero();
    Cluster cluster = gke.getCluster(LOCATION + "/clusters/gitpod");
    assertThat(cluster.getStatus()).isEqualTo(Cluster.Status.RUNNING);
    assertThat(cluster.getNodePoolsList())
        .extracting(NodePool::getName)
        .containsExactly("default-pool");
    assertThat(cluster.getNodePools(0).getStatus()).isEqualTo(NodePool.Status.RUNNING);
    assertThat(cluster.getNodePools(0).getConfig().getMachineType()).isEqualTo("e2-standard-2");
    assertThat(cluster.getCurrentMasterVersion())
        .isEqualTo("1.30.12-gke.1151000"); // "1.30" resolved as GKE does
    assertThat(cluster.getEndpoint()).startsWith("127.1.");
    assertThat(
            new String(
                java.util.Base64.getDecoder()
                    .decode(cluster.getMasterAuth().getClusterCaCertificate())))
        .startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(gke.listClusters(LOCATION).getClustersList())
        .extracting(Cluster::getName)
        .containsExactly("gitpod");
    assertThat(sandbox.inventory())
        .containsExactly(
            "gke projects/p1/locations/us-central1/clusters/gitpod",
            "gke projects/p1/locations/us-central1/clusters/gitpod/nodePools/default-pool");
  }

  @Test
  void aClusterCreatedWithItsNodePoolsHasThemAllAfterOneOperation() throws Exception {
    start(Duration.ofMillis(200));
    Cluster wanted =
        Cluster.newBuilder()
            .setName("gitpod")
            .setInitialClusterVersion("1.30")
            .addNodePools(pool("workload-services", "gitpod.io/workload_services"))
            .addNodePools(pool("workload-headless", "gitpod.io/workload_workspace_headless"))
            .build();

    Operation op = gke.createCluster(LOCATION, wanted);
    assertThat(gke.getCluster(LOCATION + "/clusters/gitpod").getNodePoolsList())
        .extracting(NodePool::getStatus)
        .containsOnly(NodePool.Status.PROVISIONING);
    GcpClients.awaitDone(gke, LOCATION, op);

    Cluster cluster = gke.getCluster(LOCATION + "/clusters/gitpod");
    assertThat(cluster.getStatus()).isEqualTo(Cluster.Status.RUNNING);
    assertThat(cluster.getNodePoolsList())
        .extracting(NodePool::getName)
        .containsExactly("workload-services", "workload-headless");
    NodePool headless = gke.getNodePool(LOCATION + "/clusters/gitpod/nodePools/workload-headless");
    assertThat(headless.getStatus()).isEqualTo(NodePool.Status.RUNNING);
    assertThat(headless.getConfig().getLabelsMap())
        .containsEntry("gitpod.io/workload_workspace_headless", "true");
    assertThat(headless.getAutoscaling().getEnabled()).isTrue();
    assertThat(headless.getAutoscaling().getMaxNodeCount()).isEqualTo(50);
    assertThat(headless.getConfig().getMachineType()).isEqualTo("n2d-standard-16");
    assertThat(gke.listOperations(LOCATION).getOperationsList())
        .extracting(Operation::getOperationType)
        .containsExactly(Operation.Type.CREATE_CLUSTER);
    assertThat(sandbox.inventory())
        .containsExactlyInAnyOrder(
            "gke projects/p1/locations/us-central1/clusters/gitpod",
            "gke projects/p1/locations/us-central1/clusters/gitpod/nodePools/workload-services",
            "gke projects/p1/locations/us-central1/clusters/gitpod/nodePools/workload-headless");
  }

  @Test
  void nodePoolsInACreateAreCheckedAsGkeChecksThem() throws Exception {
    start(Duration.ofMillis(100));
    Cluster twice =
        Cluster.newBuilder()
            .setName("gitpod")
            .addNodePools(pool("workload-services", "s"))
            .addNodePools(pool("workload-services", "s"))
            .build();
    Cluster both =
        cluster("gitpod").toBuilder().addNodePools(pool("workload-services", "s")).build();
    Cluster badName =
        Cluster.newBuilder().setName("gitpod").addNodePools(pool("Pool_1", "s")).build();

    assertThatThrownBy(() -> gke.createCluster(LOCATION, twice))
        .isInstanceOf(InvalidArgumentException.class)
        .hasStackTraceContaining("node_pools[1].name");
    assertThatThrownBy(() -> gke.createCluster(LOCATION, both))
        .isInstanceOf(InvalidArgumentException.class)
        .hasStackTraceContaining("node_config");
    assertThatThrownBy(() -> gke.createCluster(LOCATION, badName))
        .isInstanceOf(InvalidArgumentException.class)
        .hasStackTraceContaining("node_pools[0].name");
    assertThat(sandbox.inventory()).isEmpty();
  }

  @Test
  void aSecondOperationWhileOneRunsIsRefusedLikeGkeDoes() throws Exception {
    start(Duration.ofMillis(300));
    createCluster("gitpod");
    sandbox.close();
    // A slow operation so the second call certainly arrives while the first runs.
    sandbox =
        Sandbox.start(SandboxOptions.defaults(state).withOperationDuration(Duration.ofSeconds(30)));
    gke.close();
    gke = GcpClients.gke(sandbox);
    String clusterName = LOCATION + "/clusters/gitpod";

    Operation first =
        gke.createNodePool(clusterName, pool("workload-services", "gitpod.io/workload_meta"));

    // Over HTTP/JSON gax maps by HTTP code alone: GKE's 400 FAILED_PRECONDITION surfaces as
    // InvalidArgumentException; the google.rpc status is in the body the cause carries.
    assertThatThrownBy(
            () ->
                gke.createNodePool(
                    clusterName, pool("workload-regular", "gitpod.io/workload_workspace_regular")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasStackTraceContaining("\"status\":\"FAILED_PRECONDITION\"")
        .hasStackTraceContaining(
            "Operation "
                + first.getName()
                + " is currently creating a node pool for cluster gitpod."
                + " Please wait and try again once it is done.");
    assertThatThrownBy(() -> gke.deleteNodePool(clusterName + "/nodePools/default-pool"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasStackTraceContaining("FAILED_PRECONDITION");
  }

  @Test
  void nodePoolsComeAndGoThroughOperations() throws Exception {
    start(Duration.ofMillis(200));
    createCluster("gitpod");
    String clusterName = LOCATION + "/clusters/gitpod";

    GcpClients.awaitDone(
        gke, LOCATION, gke.deleteNodePool(clusterName + "/nodePools/default-pool"));
    Operation create =
        gke.createNodePool(clusterName, pool("workload-services", "gitpod.io/workload_meta"));
    assertThat(gke.getNodePool(clusterName + "/nodePools/workload-services").getStatus())
        .isEqualTo(NodePool.Status.PROVISIONING);
    GcpClients.awaitDone(gke, LOCATION, create);

    NodePool pool = gke.getNodePool(clusterName + "/nodePools/workload-services");
    assertThat(pool.getStatus()).isEqualTo(NodePool.Status.RUNNING);
    assertThat(pool.getConfig().getLabelsMap()).containsEntry("gitpod.io/workload_meta", "true");
    assertThat(pool.getMaxPodsConstraint().getMaxPodsPerNode()).isEqualTo(110);
    // The request named no account: GKE runs the nodes as the Compute Engine default account.
    assertThat(pool.getConfig().getServiceAccount()).isEqualTo("default");
    assertThat(gke.listNodePools(clusterName).getNodePoolsList())
        .extracting(NodePool::getName)
        .containsExactly("workload-services");
    assertThat(gke.listOperations(LOCATION).getOperationsList())
        .extracting(Operation::getOperationType)
        .containsExactly(
            Operation.Type.CREATE_CLUSTER,
            Operation.Type.DELETE_NODE_POOL,
            Operation.Type.CREATE_NODE_POOL);

    GcpClients.awaitDone(gke, LOCATION, gke.deleteCluster(clusterName));
    assertThatThrownBy(() -> gke.getCluster(clusterName)).isInstanceOf(NotFoundException.class);
    assertThat(sandbox.inventory()).isEmpty();
  }

  @Test
  void missingAndDuplicateResourcesAnswerNotFoundAndAlreadyExists() throws Exception {
    start(Duration.ofMillis(100));

    assertThatThrownBy(() -> gke.getCluster(LOCATION + "/clusters/nope"))
        .isInstanceOf(NotFoundException.class)
        .hasStackTraceContaining("Not found: projects/p1/locations/us-central1/clusters/nope.");
    assertThatThrownBy(() -> gke.getOperation(LOCATION + "/operations/operation-123"))
        .isInstanceOf(NotFoundException.class);

    createCluster("gitpod");
    // 409 maps to ABORTED in gax's HTTP/JSON transport; the body says ALREADY_EXISTS.
    assertThatThrownBy(() -> gke.createCluster(LOCATION, cluster("gitpod")))
        .isInstanceOf(AbortedException.class)
        .hasStackTraceContaining("\"status\":\"ALREADY_EXISTS\"")
        .hasStackTraceContaining(
            "Already exists: projects/p1/locations/us-central1/clusters/gitpod.");
    assertThatThrownBy(
            () -> gke.createNodePool(LOCATION + "/clusters/gitpod", pool("default-pool", "x")))
        .isInstanceOf(AbortedException.class)
        .hasStackTraceContaining("ALREADY_EXISTS");
    assertThatThrownBy(() -> gke.deleteNodePool(LOCATION + "/clusters/gitpod/nodePools/nope"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () -> gke.createNodePool(LOCATION + "/clusters/other", pool("workload-services", "x")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void faultsFireTheGivenNumberOfTimesOnlyOnTheirResource() throws Exception {
    start(Duration.ofMillis(100), "createNodePool:workload-headless=RESOURCE_EXHAUSTEDx2");
    createCluster("gitpod");
    String clusterName = LOCATION + "/clusters/gitpod";

    // Another pool is not affected by a fault scoped to workload-headless.
    GcpClients.awaitDone(
        gke, LOCATION, gke.createNodePool(clusterName, pool("workload-regular", "r")));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> gke.createNodePool(clusterName, pool("workload-headless", "h")))
          .isInstanceOf(ResourceExhaustedException.class)
          .hasMessageContaining(
              "Insufficient regional quota to satisfy request: resource \\\"CPUS\\\"");
    }
    GcpClients.awaitDone(
        gke, LOCATION, gke.createNodePool(clusterName, pool("workload-headless", "h")));
    assertThat(gke.getNodePool(clusterName + "/nodePools/workload-headless").getStatus())
        .isEqualTo(NodePool.Status.RUNNING);
  }

  @Test
  void aDoneFaultLetsTheCallSucceedAndFailsItsOperationLeavingThePoolInError() throws Exception {
    start(Duration.ofMillis(100), "createNodePool.done:workload-headless=RESOURCE_EXHAUSTEDx1");
    createCluster("gitpod");
    String clusterName = LOCATION + "/clusters/gitpod";

    Operation failed =
        GcpClients.awaitDone(
            gke, LOCATION, gke.createNodePool(clusterName, pool("workload-headless", "h")));

    assertThat(failed.getError().getCode())
        .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED.value());
    assertThat(failed.getError().getMessage()).contains("Insufficient regional quota");
    NodePool broken = gke.getNodePool(clusterName + "/nodePools/workload-headless");
    assertThat(broken.getStatus()).isEqualTo(NodePool.Status.ERROR);
    assertThat(broken.getStatusMessage()).contains("quota");

    // As on GKE, a pool in ERROR is deleted and created again.
    GcpClients.awaitDone(
        gke, LOCATION, gke.deleteNodePool(clusterName + "/nodePools/workload-headless"));
    Operation retried =
        GcpClients.awaitDone(
            gke, LOCATION, gke.createNodePool(clusterName, pool("workload-headless", "h")));
    assertThat(retried.hasError()).isFalse();
    assertThat(gke.getNodePool(clusterName + "/nodePools/workload-headless").getStatus())
        .isEqualTo(NodePool.Status.RUNNING);
  }

  @Test
  void anAlwaysFaultKeepsFailingWithItsStatus() throws Exception {
    start(Duration.ofMillis(100), "getCluster:gitpod=PERMISSION_DENIED");
    createClusterWithoutReading("gitpod");

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> gke.getCluster(LOCATION + "/clusters/gitpod"))
          .isInstanceOfSatisfying(
              ApiException.class,
              e ->
                  assertThat(e.getStatusCode().getCode())
                      .isEqualTo(StatusCode.Code.PERMISSION_DENIED));
    }
  }

  private void createClusterWithoutReading(String name) throws Exception {
    GcpClients.awaitDone(gke, LOCATION, gke.createCluster(LOCATION, cluster(name)));
  }

  @Test
  void theClientRetriesAnUnavailableGetOperationOnItsOwn() throws Exception {
    start(Duration.ofMillis(100), "getOperation=UNAVAILABLEx1");

    Operation op = gke.createCluster(LOCATION, cluster("gitpod"));
    Thread.sleep(150);
    Operation done = gke.getOperation(LOCATION + "/operations/" + op.getName());

    assertThat(done.getStatus()).isEqualTo(Operation.Status.DONE);
    assertThat(sandbox.requests()).filteredOn(r -> r.path().contains("/operations/")).hasSize(2);
  }

  @Test
  void enumsFollowTheRequest() throws Exception {
    start(Duration.ofMillis(100));
    createCluster("gitpod");

    List<RecordedRequest> javaRequests = sandbox.requests();
    assertThat(javaRequests.get(0).query()).contains("enum-encoding");
    var http = java.net.http.HttpClient.newHttpClient();
    var byName =
        http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            sandbox.endpoints().gcpRest()
                                + "/v1/"
                                + LOCATION
                                + "/clusters/gitpod?alt=json"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    var byNumber =
        http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            sandbox.endpoints().gcpRest()
                                + "/v1/"
                                + LOCATION
                                + "/clusters/gitpod?%24alt=json%3Benum-encoding%3Dint"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(byName).contains("\"status\":\"RUNNING\"");
    assertThat(byNumber).contains("\"status\":2");
    // The legacy zonal path names the same cluster.
    var legacy =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        sandbox.endpoints().gcpRest()
                            + "/v1/projects/p1/zones/us-central1/clusters/gitpod"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(legacy.statusCode()).isEqualTo(200);
    assertThat(legacy.body()).contains("\"name\":\"gitpod\"");
  }
}
