package io.refarch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.Cluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulated cluster's Kubernetes API through fabric8, reached with what GKE returned (endpoint +
 * CA).
 */
class KubernetesApiTest {

  static final String LOCATION = "projects/p1/locations/us-central1";
  static final String CLUSTER = LOCATION + "/clusters/gitpod";

  @TempDir Path state;
  @TempDir Path otherState;

  Sandbox sandbox;
  ClusterManagerClient gke;

  @BeforeEach
  void start() throws Exception {
    sandbox =
        Sandbox.start(SandboxOptions.defaults(state).withOperationDuration(Duration.ofMillis(100)));
    gke = GcpClients.gke(sandbox);
    GcpClients.awaitDone(gke, LOCATION, gke.createCluster(LOCATION, GkeApiTest.cluster("gitpod")));
    GcpClients.awaitDone(
        gke,
        LOCATION,
        gke.createNodePool(
            CLUSTER, GkeApiTest.pool("workload-services", "gitpod.io/workload_meta")));
  }

  @AfterEach
  void stop() {
    gke.close();
    sandbox.close();
  }

  @Test
  void nodesFollowTheNodePoolsWithTheirLabelsAndWhatGitpodChecks() throws Exception {
    Cluster cluster = gke.getCluster(CLUSTER);
    try (KubernetesClient k8s = GcpClients.kubernetes(sandbox, cluster)) {
      List<Node> nodes = k8s.nodes().withLabel("gitpod.io/workload_meta", "true").list().getItems();

      assertThat(nodes).hasSize(1);
      Node node = nodes.get(0);
      assertThat(node.getMetadata().getName()).startsWith("gke-gitpod-workload-services-");
      assertThat(node.getMetadata().getLabels())
          .containsEntry("cloud.google.com/gke-nodepool", "workload-services");
      assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion())
          .startsWith("containerd://");
      assertThat(node.getStatus().getNodeInfo().getKernelVersion()).isEqualTo("5.15.0-1030-gke");
      assertThat(node.getStatus().getNodeInfo().getKubeletVersion())
          .isEqualTo("v" + cluster.getCurrentMasterVersion());
      assertThat(node.getStatus().getCapacity().get("pods").getAmount()).isEqualTo("110");
      assertThat(node.getSpec().getProviderID()).startsWith("gce://p1/us-central1-");
      assertThat(k8s.nodes().list().getItems()).hasSize(2); // default-pool's one node too

      GcpClients.awaitDone(gke, LOCATION, gke.deleteNodePool(CLUSTER + "/nodePools/default-pool"));
      assertThat(k8s.nodes().list().getItems())
          .extracting(n -> n.getMetadata().getLabels().get("cloud.google.com/gke-nodepool"))
          .containsExactly("workload-services");
    }
  }

  @Test
  void clusterRoleBindingsCanBeCreatedReadAndDeleted() throws Exception {
    try (KubernetesClient k8s = GcpClients.kubernetes(sandbox, gke.getCluster(CLUSTER))) {
      ClusterRoleBinding binding =
          new ClusterRoleBindingBuilder()
              .withNewMetadata()
              .withName("cluster-admin-binding")
              .endMetadata()
              .withNewRoleRef()
              .withApiGroup("rbac.authorization.k8s.io")
              .withKind("ClusterRole")
              .withName("cluster-admin")
              .endRoleRef()
              .addNewSubject()
              .withApiGroup("rbac.authorization.k8s.io")
              .withKind("User")
              .withName("me@example.com")
              .endSubject()
              .build();

      k8s.rbac().clusterRoleBindings().resource(binding).create();

      ClusterRoleBinding read =
          k8s.rbac().clusterRoleBindings().withName("cluster-admin-binding").get();
      assertThat(read.getSubjects()).extracting(s -> s.getName()).containsExactly("me@example.com");
      assertThat(read.getMetadata().getUid()).isNotBlank();
      assertThat(sandbox.inventory())
          .contains("k8s gitpod clusterrolebindings/cluster-admin-binding");
      // The cluster's API shares the sandbox's request log with the cloud APIs.
      assertThat(sandbox.requests())
          .filteredOn(
              r ->
                  r.method().equals("POST")
                      && r.path().equals("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"))
          .singleElement()
          .satisfies(r -> assertThat(r.body()).contains("me@example.com"));
      assertThatThrownBy(() -> k8s.rbac().clusterRoleBindings().resource(binding).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

      assertThat(k8s.rbac().clusterRoleBindings().withName("cluster-admin-binding").delete())
          .hasSize(1);
      assertThat(k8s.rbac().clusterRoleBindings().withName("cluster-admin-binding").get()).isNull();
      assertThat(sandbox.inventory()).noneMatch(l -> l.startsWith("k8s "));
    }
  }

  @Test
  void manifestsApplyServerSideIncludingCalicosInstallation() throws Exception {
    String manifest =
        """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: tigera-operator
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: tigera-operator
                data:
                  mode: one
                """;
    try (KubernetesClient k8s = GcpClients.kubernetes(sandbox, gke.getCluster(CLUSTER))) {
      k8s.load(new java.io.ByteArrayInputStream(manifest.getBytes())).serverSideApply();
      k8s.load(
              new java.io.ByteArrayInputStream(
                  manifest.replace("mode: one", "mode: two").getBytes()))
          .serverSideApply();

      assertThat(
              k8s.configMaps().inNamespace("tigera-operator").withName("settings").get().getData())
          .containsEntry("mode", "two");
      var installations =
          k8s.genericKubernetesResources(
              new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                  .withGroup("operator.tigera.io")
                  .withVersion("v1")
                  .withKind("Installation")
                  .withPlural("installations")
                  .withNamespaced(false)
                  .build());
      installations
          .resource(
              new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                  .withApiVersion("operator.tigera.io/v1")
                  .withKind("Installation")
                  .withNewMetadata()
                  .withName("default")
                  .endMetadata()
                  .addToAdditionalProperties("spec", java.util.Map.of("kubernetesProvider", "GKE"))
                  .build())
          .serverSideApply();
      assertThat(installations.withName("default").get().getAdditionalProperties().get("spec"))
          .isEqualTo(java.util.Map.of("kubernetesProvider", "GKE"));
      assertThat(sandbox.inventory())
          .contains(
              "k8s gitpod namespaces/tigera-operator",
              "k8s gitpod tigera-operator/configmaps/settings",
              "k8s gitpod installations/default");

      k8s.namespaces().withName("tigera-operator").delete();
      assertThat(k8s.configMaps().inNamespace("tigera-operator").withName("settings").get())
          .isNull();
    }
  }

  @Test
  void customResourceDefinitionsAddTheirTypesToTheApi() throws Exception {
    String crd =
        """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: ippools.crd.projectcalico.org
                spec:
                  group: crd.projectcalico.org
                  scope: Cluster
                  names: {kind: IPPool, plural: ippools, singular: ippool, listKind: IPPoolList}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                ---
                apiVersion: crd.projectcalico.org/v1
                kind: IPPool
                metadata:
                  name: default-ipv4-ippool
                spec:
                  cidr: 192.168.0.0/16
                """;
    try (KubernetesClient k8s = GcpClients.kubernetes(sandbox, gke.getCluster(CLUSTER))) {
      // The first document must exist before the second can be resolved, as on a real cluster.
      var items = k8s.load(new java.io.ByteArrayInputStream(crd.getBytes())).items();
      k8s.resource(items.get(0)).create();
      k8s.resource(items.get(1)).create();

      k8s.apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName("ippools.crd.projectcalico.org")
          .waitUntilCondition(
              c ->
                  c.getStatus() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  x.getType().equals("Established")
                                      && x.getStatus().equals("True")),
              10,
              java.util.concurrent.TimeUnit.SECONDS);
      var pools =
          k8s.genericKubernetesResources("crd.projectcalico.org/v1", "IPPool").list().getItems();
      assertThat(pools)
          .extracting(p -> p.getMetadata().getName())
          .containsExactly("default-ipv4-ippool");
      assertThat(sandbox.inventory()).contains("k8s gitpod ippools/default-ipv4-ippool");
    }
  }

  @Test
  void watchesSeeObjectsComeAndGo() throws Exception {
    try (KubernetesClient k8s = GcpClients.kubernetes(sandbox, gke.getCluster(CLUSTER))) {
      var events = new java.util.concurrent.LinkedBlockingQueue<String>();
      try (var watch =
          k8s.configMaps()
              .inNamespace("default")
              .watch(
                  new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(
                        Action action, io.fabric8.kubernetes.api.model.ConfigMap resource) {
                      events.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                  })) {
        k8s.configMaps()
            .inNamespace("default")
            .resource(
                new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("c1")
                    .endMetadata()
                    .addToData("k", "v")
                    .build())
            .create();
        assertThat(events.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ADDED c1");
        k8s.configMaps()
            .inNamespace("default")
            .withName("c1")
            .edit(
                c -> {
                  c.getData().put("k", "w");
                  return c;
                });
        assertThat(events.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("MODIFIED c1");
        k8s.configMaps().inNamespace("default").withName("c1").delete();
        assertThat(events.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("DELETED c1");
      }
    }
  }

  @Test
  void onlyTokensTheSandboxIssuedAndThatHaveNotExpiredOpenTheApi() throws Exception {
    Cluster cluster = gke.getCluster(CLUSTER);
    try (KubernetesClient unknown = GcpClients.kubernetes(cluster, "sandbox")) {
      assertUnauthorized(unknown);
    }
    try (Sandbox shortLived =
        Sandbox.start(
            SandboxOptions.defaults(otherState)
                .withOperationDuration(Duration.ZERO)
                .withTokenLifetime(Duration.ofSeconds(2)))) {
      ClusterManagerClient shortGke = GcpClients.gke(shortLived);
      try {
        GcpClients.awaitDone(
            shortGke, LOCATION, shortGke.createCluster(LOCATION, GkeApiTest.cluster("gitpod")));
        Cluster c = shortGke.getCluster(CLUSTER);
        String token = GcpClients.token(shortLived);
        try (KubernetesClient k8s = GcpClients.kubernetes(c, token)) {
          assertThat(k8s.nodes().list().getItems()).isNotEmpty();
          Thread.sleep(2_500);
          assertUnauthorized(k8s);
        }
        // A fresh token works again.
        try (KubernetesClient k8s = GcpClients.kubernetes(shortLived, c)) {
          assertThat(k8s.nodes().list().getItems()).isNotEmpty();
        }
      } finally {
        shortGke.close();
      }
    }
  }

  @Test
  void withARegistrationDelayAPoolsNodesAppearOnlyThatLongAfterThePoolRuns() throws Exception {
    try (Sandbox late =
        Sandbox.start(
            SandboxOptions.defaults(otherState)
                .withOperationDuration(Duration.ZERO)
                .withNodeRegistrationDelay(Duration.ofSeconds(2)))) {
      ClusterManagerClient lateGke = GcpClients.gke(late);
      try {
        GcpClients.awaitDone(
            lateGke, LOCATION, lateGke.createCluster(LOCATION, GkeApiTest.cluster("gitpod")));
        try (KubernetesClient k8s = GcpClients.kubernetes(late, lateGke.getCluster(CLUSTER))) {
          assertThat(lateGke.getCluster(CLUSTER).getNodePools(0).getStatus().name())
              .isEqualTo("RUNNING");
          assertThat(k8s.nodes().list().getItems()).as("the default pool's kubelet").isEmpty();
          Thread.sleep(2_200);
          assertThat(k8s.nodes().list().getItems()).hasSize(1);
        }
      } finally {
        lateGke.close();
      }
    }
  }

  private static void assertUnauthorized(KubernetesClient client) {
    assertThatThrownBy(() -> client.nodes().list())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(401);
              assertThat(e.getStatus().getKind()).isEqualTo("Status");
              assertThat(e.getStatus().getReason()).isEqualTo("Unauthorized");
            });
  }

  @Test
  void requestsWithoutATokenAreUnauthorized() throws Exception {
    Cluster cluster = gke.getCluster(CLUSTER);
    Config config =
        new ConfigBuilder()
            .withMasterUrl("https://" + cluster.getEndpoint())
            .withCaCertData(cluster.getMasterAuth().getClusterCaCertificate())
            .withRequestRetryBackoffLimit(0)
            .build();
    try (KubernetesClient anonymous = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThatThrownBy(() -> anonymous.nodes().list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
  }
}
