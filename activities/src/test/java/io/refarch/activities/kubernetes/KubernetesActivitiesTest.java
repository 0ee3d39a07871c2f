package io.refarch.activities.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.refarch.activities.ActivityConfig;
import io.refarch.activities.Caller;
import io.refarch.activities.Failed;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.kubernetes.calico.CalicoInstallation;
import io.refarch.activities.kubernetes.calico.CalicoStatus;
import io.refarch.spec.AwsOptions;
import io.refarch.spec.Cloud;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.ClusterRef;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import io.refarch.workflow.kubernetes.NodeReport;
import io.refarch.workflow.kubernetes.PoolExpectation;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-cluster activities against fabric8's mock API server in CRUD mode (a real HTTP server that
 * stores what it is sent), reached through a {@link KubeAccess} as on a worker.
 */
class KubernetesActivitiesTest {
  private static final Map<String, String> SERVICES =
      Map.of(
          "gitpod.io/workload_meta",
          "true",
          "gitpod.io/workload_ide",
          "true",
          "gitpod.io/workload_workspace_services",
          "true");
  private static final Map<String, String> WORKSPACES =
      Map.of("gitpod.io/workload_workspace_regular", "true");

  @TempDir Path dir;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private ClusterRef cluster;
  private final List<ClusterRef> accessed = new java.util.concurrent.CopyOnWriteArrayList<>();
  private TestActivityEnvironment env;
  private KubernetesActivities activities;

  @BeforeEach
  void start() throws IOException {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init();
    client = server.createClient();
    cluster = new ClusterRef(Cloud.GCP, "p", "us-central1", "mock");
    // The cloud's part of KubeAccess (endpoint, CA, token) is tested against the sandbox; here the
    // cluster is the mock server, reached with a token that changes on every attempt.
    KubeAccess access =
        ref -> {
          accessed.add(ref);
          return new ConfigBuilder(Config.empty())
              .withMasterUrl(server.url("/"))
              .withOauthToken("token-" + accessed.size())
              .withRequestRetryBackoffLimit(0)
              .build();
        };
    ActivityConfig config =
        new ActivityConfig(
            dir,
            GcpConnection.real(),
            Duration.ofMillis(50),
            Duration.ofMillis(200),
            Duration.ofSeconds(2));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new KubernetesActivitiesImpl(config, () -> new Caller("run-1", false), access));
    activities =
        env.newActivityStub(
            KubernetesActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setHeartbeatTimeout(Duration.ofSeconds(10))
                .build());
  }

  @AfterEach
  void stop() {
    env.close();
    client.close();
    server.destroy();
  }

  @Test
  void clusterAdminBindingIsCreatedAdoptedWhenEqualAndRefusedWhenForAnotherUser() {
    activities.ensureClusterAdminBinding(cluster, "admin@example.com");
    ClusterRoleBinding binding =
        client.rbac().clusterRoleBindings().withName("cluster-admin-binding").get();
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo("cluster-admin");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("User");
              assertThat(s.getName()).isEqualTo("admin@example.com");
              assertThat(s.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
            });

    activities.ensureClusterAdminBinding(cluster, "admin@example.com");

    ApplicationFailure mismatch =
        Failed.of(() -> activities.ensureClusterAdminBinding(cluster, "other@example.com"));
    assertThat(mismatch.getType()).isEqualTo(FailureTypes.SPEC_MISMATCH);
    assertThat(mismatch.isNonRetryable()).isTrue();
    assertThat(mismatch.getOriginalMessage())
        .contains("subjects [User admin@example.com], spec says [User other@example.com]");

    activities.deleteClusterAdminBinding(cluster);
    assertThat(client.rbac().clusterRoleBindings().withName("cluster-admin-binding").get())
        .isNull();
    activities.deleteClusterAdminBinding(cluster);
  }

  @Test
  void nodesMeetingGitpodsRequirementsPass() {
    create(
        node(
            "svc-1",
            "workload-services",
            SERVICES,
            true,
            "containerd://1.6.9",
            "5.15.0-1022-gke",
            "110",
            "v1.22.12-gke.1200"));
    create(
        node(
            "ws-1",
            "workload-regular-workspaces",
            WORKSPACES,
            true,
            "containerd://1.5.13",
            "5.4.0+",
            "110",
            "v1.21.14"));

    NodeReport report = activities.verifyNodes(cluster, expectations(1));

    assertThat(report.passed()).isTrue();
    assertThat(report.nodes()).extracting(NodeReport.Node::name).containsExactly("svc-1", "ws-1");
    assertThat(report.nodes().get(0).pool()).isEqualTo("workload-services");
    assertThat(report.nodes().get(0).runtime()).isEqualTo("containerd://1.6.9");
    assertThat(report.nodes().get(0).maxPods()).isEqualTo("110");
  }

  @Test
  void everyNodeThatFallsShortIsNamedWithEveryReason() {
    create(
        node(
            "svc-1",
            "workload-services",
            SERVICES,
            true,
            "containerd://1.6.9",
            "5.15.0",
            "110",
            "v1.22.12"));
    Map<String, String> partial = Map.of("gitpod.io/workload_meta", "true");
    create(
        node(
            "svc-2",
            "workload-services",
            partial,
            true,
            "docker://20.10.7",
            "4.19.0+",
            "58",
            "v1.20.15"));
    create(
        node(
            "ws-1",
            "workload-regular-workspaces",
            WORKSPACES,
            true,
            "containerd://1.4.3",
            "5.4.0",
            "110",
            "v1.22.0"));

    ApplicationFailure failure = Failed.of(() -> activities.verifyNodes(cluster, expectations(1)));

    assertThat(failure.getType()).isEqualTo(FailureTypes.NODE_CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    String message = failure.getOriginalMessage();
    assertThat(message).contains("svc-1 (pool workload-services): ok");
    assertThat(message)
        .contains("svc-2 (pool workload-services): ")
        .contains("label gitpod.io/workload_ide=true missing")
        .contains("label gitpod.io/workload_workspace_services=true missing")
        .contains("max pods 58, needs 110")
        .contains("runtime docker://20.10.7 is not containerd")
        .contains("kernel 4.19.0+ is older than 5.4")
        .contains("kubelet v1.20.15 is older than 1.21");
    assertThat(message)
        .contains("ws-1 (pool workload-regular-workspaces): containerd 1.4.3 is older than 1.5");
    NodeReport report = failure.getDetails().get(NodeReport.class);
    assertThat(report.nodes()).hasSize(3);
    assertThat(report.nodes().get(1).problems()).hasSize(6);
  }

  @Test
  void waitsForAPoolsNodesToBecomeReady() throws Exception {
    create(
        node(
            "svc-1",
            "workload-services",
            SERVICES,
            true,
            "containerd://1.6.9",
            "5.15.0",
            "110",
            "v1.22.12"));
    create(
        node(
            "ws-1",
            "workload-regular-workspaces",
            WORKSPACES,
            false,
            "containerd://1.6.9",
            "5.15.0",
            "110",
            "v1.22.12"));
    Thread later =
        new Thread(
            () -> {
              sleep(700);
              client
                  .nodes()
                  .withName("ws-1")
                  .edit(
                      n -> {
                        n.getStatus().getConditions().get(0).setStatus("True");
                        return n;
                      });
            });
    later.start();

    NodeReport report = activities.verifyNodes(cluster, expectations(1));

    later.join();
    assertThat(report.passed()).isTrue();
    assertThat(report.nodes()).allSatisfy(n -> assertThat(n.ready()).isTrue());
  }

  @Test
  void aPoolWithoutEnoughReadyNodesFailsAfterTheWait() {
    create(
        node(
            "svc-1",
            "workload-services",
            SERVICES,
            true,
            "containerd://1.6.9",
            "5.15.0",
            "110",
            "v1.22.12"));

    ApplicationFailure failure = Failed.of(() -> activities.verifyNodes(cluster, expectations(1)));

    assertThat(failure.getType()).isEqualTo(FailureTypes.NODE_CHECK_FAILED);
    assertThat(failure.getOriginalMessage())
        .contains("pool workload-regular-workspaces has 0 of 1 Ready nodes");
  }

  @Test
  void awsNodeDaemonSetIsDeletedAndAbsenceIsFine() {
    client
        .apps()
        .daemonSets()
        .inNamespace("kube-system")
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("aws-node")
                .withNamespace("kube-system")
                .endMetadata()
                .build())
        .create();
    activities.deleteAwsNode(cluster);
    assertThat(client.apps().daemonSets().inNamespace("kube-system").withName("aws-node").get())
        .isNull();
    activities.deleteAwsNode(cluster);
  }

  @Test
  void tigeraOperatorFromAFileIsAppliedTwiceAndDeleted() throws IOException {
    Path manifest = operatorManifest();
    AwsOptions.Calico calico =
        new AwsOptions.Calico(manifest.toString(), sha256(Files.readAllBytes(manifest)));

    activities.ensureTigeraOperator(cluster, calico);
    activities.ensureTigeraOperator(cluster, calico);

    assertThat(client.namespaces().withName("tigera-operator").get()).isNotNull();
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("installations.operator.tigera.io")
                .get())
        .isNotNull();
    assertThat(
            client
                .rbac()
                .clusterRoleBindings()
                .withName("tigera-operator")
                .get()
                .getSubjects()
                .get(0)
                .getNamespace())
        .isEqualTo("tigera-operator");
    assertThat(
            client
                .serviceAccounts()
                .inNamespace("tigera-operator")
                .withName("tigera-operator")
                .get())
        .isNotNull();
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("tigera-operator")
                .withName("tigera-operator")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo("quay.io/tigera/operator:v1.28.1");

    activities.deleteTigeraOperator(cluster, calico);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("tigera-operator")
                .withName("tigera-operator")
                .get())
        .isNull();
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("installations.operator.tigera.io")
                .get())
        .isNull();
    assertThat(client.rbac().clusterRoles().withName("tigera-operator").get()).isNull();
    assertThat(client.namespaces().withName("tigera-operator").get()).isNull();
  }

  @Test
  void tigeraOperatorFromAUrlIsVerifiedAgainstItsSha256() throws IOException {
    byte[] bytes = Files.readAllBytes(operatorManifest());
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/tigera-operator.yaml",
        exchange -> {
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    http.start();
    try {
      String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/tigera-operator.yaml";

      ApplicationFailure unpinned =
          Failed.of(
              () -> activities.ensureTigeraOperator(cluster, new AwsOptions.Calico(url, null)));
      assertThat(unpinned.getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
      assertThat(unpinned.getOriginalMessage()).contains("aws.calico.operatorManifestSha256");

      String wrong = "0".repeat(64);
      ApplicationFailure tampered =
          Failed.of(
              () -> activities.ensureTigeraOperator(cluster, new AwsOptions.Calico(url, wrong)));
      assertThat(tampered.getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
      assertThat(tampered.getOriginalMessage())
          .contains("has sha256 " + sha256(bytes) + ", spec says " + wrong);
      assertThat(client.namespaces().withName("tigera-operator").get()).isNull();

      activities.ensureTigeraOperator(cluster, new AwsOptions.Calico(url, sha256(bytes)));
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace("tigera-operator")
                  .withName("tigera-operator")
                  .get())
          .isNotNull();
    } finally {
      http.stop(0);
    }
  }

  @Test
  void calicoInstallationIsTheSeedsAndRepeatable() {
    activities.ensureCalicoInstallation(cluster);
    activities.ensureCalicoInstallation(cluster);

    GenericKubernetesResource installation =
        client.genericKubernetesResources(CalicoInstallation.CONTEXT).withName("default").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>) installation.getAdditionalProperties().get("spec");
    assertThat(spec)
        .containsEntry("kubernetesProvider", "EKS")
        .containsEntry("cni", Map.of("type", "Calico"))
        .containsEntry("calicoNetwork", Map.of("bgp", "Disabled"));

    activities.deleteCalicoInstallation(cluster);
    assertThat(
            client.genericKubernetesResources(CalicoInstallation.CONTEXT).withName("default").get())
        .isNull();
    activities.deleteCalicoInstallation(cluster);
  }

  /**
   * Where refarch installed Calico and the operator's TigeraStatus is served, the node check waits
   * for the operator to report calico Available (it can only once nodes run Calico): without it the
   * check fails after its wait, naming why; with it, it passes.
   */
  @Test
  void theNodeCheckWaitsForTheOperatorToReportCalicoAvailable() {
    create(
        node(
            "svc-1",
            "workload-services",
            SERVICES,
            true,
            "containerd://1.6.9",
            "5.15.0",
            "110",
            "v1.22.0"));
    create(
        node(
            "ws-1",
            "workload-regular-workspaces",
            WORKSPACES,
            true,
            "containerd://1.6.9",
            "5.15.0",
            "110",
            "v1.22.0"));
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("tigerastatuses.operator.tigera.io")
                .endMetadata()
                .withNewSpec()
                .withGroup("operator.tigera.io")
                .withScope("Cluster")
                .withNewNames()
                .withKind("TigeraStatus")
                .withPlural("tigerastatuses")
                .withSingular("tigerastatus")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .endVersion()
                .endSpec()
                .build())
        .create();
    activities.ensureCalicoInstallation(cluster);

    ApplicationFailure notYet =
        (ApplicationFailure)
            catchThrowableOfType(
                    io.temporal.failure.ActivityFailure.class,
                    () -> activities.verifyNodes(cluster, expectations(1)))
                .getCause();
    assertThat(notYet.getType()).isEqualTo(FailureTypes.NODE_CHECK_FAILED);
    assertThat(notYet.getOriginalMessage())
        .contains("the tigera operator has not reported TigeraStatus calico yet");

    client
        .genericKubernetesResources(CalicoStatus.CONTEXT)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("operator.tigera.io/v1")
                .withKind("TigeraStatus")
                .withNewMetadata()
                .withName("calico")
                .endMetadata()
                .withAdditionalProperties(
                    Map.of(
                        "status",
                        Map.of(
                            "conditions",
                            List.of(
                                Map.of(
                                    "type",
                                    "Available",
                                    "status",
                                    "False",
                                    "reason",
                                    "ResourceNotReady"),
                                Map.of("type", "Progressing", "status", "True")))))
                .build())
        .create();
    ApplicationFailure progressing =
        (ApplicationFailure)
            catchThrowableOfType(
                    io.temporal.failure.ActivityFailure.class,
                    () -> activities.verifyNodes(cluster, expectations(1)))
                .getCause();
    assertThat(progressing.getOriginalMessage())
        .contains("TigeraStatus calico is not Available (ResourceNotReady)");

    client
        .genericKubernetesResources(CalicoStatus.CONTEXT)
        .withName("calico")
        .edit(
            r -> {
              r.getAdditionalProperties()
                  .put(
                      "status",
                      Map.of("conditions", List.of(Map.of("type", "Available", "status", "True"))));
              return r;
            });
    assertThat(activities.verifyNodes(cluster, expectations(1)).passed()).isTrue();
  }

  @Test
  void irsaServiceAccountGetsItsNamespaceAndRole() {
    activities.ensureServiceAccount(
        cluster, "cert-manager", "cert-manager", "arn:aws:iam::123456789012:role/a");
    assertThat(client.namespaces().withName("cert-manager").get()).isNotNull();
    assertThat(annotation()).isEqualTo("arn:aws:iam::123456789012:role/a");

    activities.ensureServiceAccount(
        cluster, "cert-manager", "cert-manager", "arn:aws:iam::123456789012:role/b");
    assertThat(annotation()).isEqualTo("arn:aws:iam::123456789012:role/b");

    activities.deleteServiceAccount(cluster, "cert-manager", "cert-manager");
    assertThat(client.serviceAccounts().inNamespace("cert-manager").withName("cert-manager").get())
        .isNull();
    activities.deleteServiceAccount(cluster, "cert-manager", "cert-manager");
  }

  @Test
  void everyCallAsksForAccessAnewWithTheClustersCoordinates() {
    activities.deleteAwsNode(cluster);
    activities.deleteAwsNode(cluster);
    assertThat(accessed).containsExactly(cluster, cluster);
  }

  @Test
  void stepsWithoutCoordinatesArePermanentErrors() {
    ApplicationFailure failure =
        Failed.of(
            () -> activities.deleteAwsNode(new ClusterRef(Cloud.GCP, "p", "us-central1", null)));
    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
    assertThat(failure.getOriginalMessage()).contains("no cluster coordinates");
  }

  private String annotation() {
    return client
        .serviceAccounts()
        .inNamespace("cert-manager")
        .withName("cert-manager")
        .get()
        .getMetadata()
        .getAnnotations()
        .get("eks.amazonaws.com/role-arn");
  }

  private static List<PoolExpectation> expectations(int minNodes) {
    return List.of(
        new PoolExpectation("workload-services", SERVICES, minNodes, 110),
        new PoolExpectation("workload-regular-workspaces", WORKSPACES, minNodes, 110));
  }

  private void create(Node node) {
    client.nodes().resource(node).create();
  }

  static Node node(
      String name,
      String pool,
      Map<String, String> labels,
      boolean ready,
      String runtime,
      String kernel,
      String pods,
      String kubelet) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(labels)
        .addToLabels("cloud.google.com/gke-nodepool", pool)
        .endMetadata()
        .withNewSpec()
        .withProviderID("gce://p/us-central1-a/" + name)
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .addToCapacity("pods", new Quantity(pods))
        .withNewNodeInfo()
        .withContainerRuntimeVersion(runtime)
        .withKernelVersion(kernel)
        .withKubeletVersion(kubelet)
        .withOsImage("Ubuntu 20.04.5 LTS")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  private Path operatorManifest() throws IOException {
    Path file = dir.resolve("tigera-operator.yaml");
    try (var in = getClass().getResourceAsStream("/tigera-operator-small.yaml")) {
      Files.write(file, in.readAllBytes());
    }
    return file;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
