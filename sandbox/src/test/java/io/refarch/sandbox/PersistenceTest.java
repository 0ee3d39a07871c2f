package io.refarch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.container.v1.Cluster;
import com.google.iam.admin.v1.CreateServiceAccountRequest;
import com.google.iam.admin.v1.ServiceAccount;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state outlives the process: a new sandbox on the same directory sees the same clouds. */
class PersistenceTest {

  static final String LOCATION = "projects/p1/locations/us-central1";

  @TempDir Path state;

  @Test
  void aRestartedSandboxHasTheSameInventoryAndAReachableCluster() throws Exception {
    SandboxOptions options =
        SandboxOptions.defaults(state).withOperationDuration(Duration.ofMillis(100));
    List<String> before;
    Cluster saved;
    try (Sandbox sandbox = Sandbox.start(options);
        ClusterManagerClient gke = GcpClients.gke(sandbox);
        IAMClient iam = GcpClients.iam(sandbox)) {
      iam.createServiceAccount(
          CreateServiceAccountRequest.newBuilder()
              .setName("projects/p1")
              .setAccountId("gitpod-gke")
              .setServiceAccount(ServiceAccount.getDefaultInstance())
              .build());
      GcpClients.awaitDone(
          gke, LOCATION, gke.createCluster(LOCATION, GkeApiTest.cluster("gitpod")));
      saved = gke.getCluster(LOCATION + "/clusters/gitpod");
      try (KubernetesClient k8s = GcpClients.kubernetes(sandbox, saved)) {
        k8s.rbac()
            .clusterRoleBindings()
            .resource(
                new ClusterRoleBindingBuilder()
                    .withNewMetadata()
                    .withName("cluster-admin-binding")
                    .endMetadata()
                    .withNewRoleRef()
                    .withApiGroup("rbac.authorization.k8s.io")
                    .withKind("ClusterRole")
                    .withName("cluster-admin")
                    .endRoleRef()
                    .build())
            .create();
      }
      // Left running on purpose: a restart finishes it.
      gke.createNodePool(
          LOCATION + "/clusters/gitpod",
          GkeApiTest.pool("workload-services", "gitpod.io/workload_meta"));
      before = sandbox.inventory();
    }

    assertThat(Sandbox.inventory(state)).as("read without starting").isEqualTo(before);

    try (Sandbox sandbox = Sandbox.start(options);
        ClusterManagerClient gke = GcpClients.gke(sandbox)) {
      assertThatThrownBy(() -> Sandbox.start(options))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("in use by another running sandbox");
      assertThat(Sandbox.inventory(state)).isEqualTo(before);
      assertThat(sandbox.inventory())
          .isEqualTo(before)
          .contains(
              "gcp projects/p1/serviceAccounts/gitpod-gke@p1.iam.gserviceaccount.com",
              "gke projects/p1/locations/us-central1/clusters/gitpod/nodePools/workload-services",
              "k8s gitpod clusterrolebindings/cluster-admin-binding");
      Cluster cluster = gke.getCluster(LOCATION + "/clusters/gitpod");
      assertThat(cluster.getStatus()).isEqualTo(Cluster.Status.RUNNING);
      // A client that kept the endpoint and CA from before the restart still reaches the cluster.
      assertThat(cluster.getEndpoint()).isEqualTo(saved.getEndpoint());
      assertThat(cluster.getMasterAuth()).isEqualTo(saved.getMasterAuth());
      try (KubernetesClient k8s = GcpClients.kubernetes(sandbox, saved)) {
        assertThat(k8s.rbac().clusterRoleBindings().withName("cluster-admin-binding").get())
            .isNotNull();
        assertThat(
                k8s.nodes()
                    .withLabel("cloud.google.com/gke-nodepool", "workload-services")
                    .list()
                    .getItems())
            .hasSize(1);
      }

      sandbox.reset();

      assertThat(sandbox.inventory()).isEmpty();
      assertThat(Files.exists(state.resolve("state.json"))).isFalse();
    }
    try (Sandbox sandbox = Sandbox.start(options)) {
      assertThat(sandbox.inventory()).isEmpty();
    }
  }

  @Test
  void anObjectCreatedInAClusterAsTheLastChangeOutlivesTheProcess() throws Exception {
    SandboxOptions options =
        SandboxOptions.defaults(state).withOperationDuration(Duration.ofMillis(50));
    try (Sandbox sandbox = Sandbox.start(options);
        ClusterManagerClient gke = GcpClients.gke(sandbox)) {
      GcpClients.awaitDone(
          gke, LOCATION, gke.createCluster(LOCATION, GkeApiTest.cluster("gitpod")));
      try (KubernetesClient k8s =
          GcpClients.kubernetes(sandbox, gke.getCluster(LOCATION + "/clusters/gitpod"))) {
        k8s.rbac()
            .clusterRoleBindings()
            .resource(
                new ClusterRoleBindingBuilder()
                    .withNewMetadata()
                    .withName("cluster-admin-binding")
                    .endMetadata()
                    .withNewRoleRef()
                    .withApiGroup("rbac.authorization.k8s.io")
                    .withKind("ClusterRole")
                    .withName("cluster-admin")
                    .endRoleRef()
                    .build())
            .create();
      }
    }
    // Nothing touched the cloud after the binding, as at the end of `refarch up`.
    assertThat(Sandbox.inventory(state))
        .contains("k8s gitpod clusterrolebindings/cluster-admin-binding");
  }

  @Test
  void everyChangeAnsweredIsOnDiskBeforeItsAnswerAlsoWhenManyClientsChangeAtOnce()
      throws Exception {
    SandboxOptions options =
        SandboxOptions.defaults(state).withOperationDuration(Duration.ofMillis(50));
    try (Sandbox sandbox = Sandbox.start(options);
        ClusterManagerClient gke = GcpClients.gke(sandbox)) {
      GcpClients.awaitDone(
          gke, LOCATION, gke.createCluster(LOCATION, GkeApiTest.cluster("gitpod")));
      List<String> created;
      ExecutorService clients = Executors.newFixedThreadPool(16);
      try (KubernetesClient k8s =
          GcpClients.kubernetes(sandbox, gke.getCluster(LOCATION + "/clusters/gitpod"))) {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          String name = "c" + i;
          answers.add(
              clients.submit(
                  () ->
                      k8s.configMaps()
                          .inNamespace("default")
                          .resource(
                              new ConfigMapBuilder()
                                  .withNewMetadata()
                                  .withName(name)
                                  .endMetadata()
                                  .addToData("k", name)
                                  .build())
                          .create()
                          .getMetadata()
                          .getName()));
        }
        created = new ArrayList<>();
        for (var answer : answers) {
          created.add(answer.get());
        }
      } finally {
        clients.shutdownNow();
      }
      // Still running: what the file holds now is what a kill -9 would leave.
      List<String> onDisk = Sandbox.inventory(state);
      assertThat(created).hasSize(64);
      assertThat(onDisk)
          .containsAll(created.stream().map(n -> "k8s gitpod default/configmaps/" + n).toList());
    }
  }
}
