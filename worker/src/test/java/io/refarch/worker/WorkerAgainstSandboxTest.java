package io.refarch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.azure.Azure;
import io.refarch.sandbox.core.Fault;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunOutcome;
import io.refarch.workflow.TeardownClusterWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker as it is deployed (Spring context, real activities, real Google clients) running the
 * GKE procedure against the sandbox, on the starter's in-memory Temporal test server.
 */
@AutoConfigureObservability
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.temporal.test-server.enabled=true"})
class WorkerAgainstSandboxTest {
  private static Path state;
  private static Path kubeconfigs;
  private static Sandbox sandbox;
  private static int port;

  @Autowired WorkflowClient client;
  @Autowired TestRestTemplate http;

  @DynamicPropertySource
  static void sandboxEndpoints(DynamicPropertyRegistry registry) throws Exception {
    state = Files.createTempDirectory("refarch-worker-sandbox");
    kubeconfigs = Files.createTempDirectory("refarch-worker-kubeconfig");
    // A fixed port (IAM on port + 1), so a test can restart the sandbox with faults behind the
    // same endpoints the worker was configured with.
    port = freePortPair();
    sandbox = Sandbox.start(sandboxOptions(List.of()));
    registry.add("refarch.gcp.sandbox", () -> "true");
    registry.add("refarch.gcp.rest-endpoint", () -> sandbox.endpoints().gcpRest());
    registry.add("refarch.gcp.iam-grpc-target", () -> sandbox.endpoints().iamGrpc());
    registry.add("refarch.kubeconfig-dir", kubeconfigs::toString);
    // Azure: the sandbox's Resource Manager and Entra, its CA, and its service principal through
    // azure-identity's environment credential (which reads system properties as well).
    registry.add("refarch.azure.endpoint", () -> sandbox.endpoints().azure());
    registry.add("refarch.azure.ca-file", () -> sandbox.azureCertificateAuthorityFile().toString());
    System.setProperty("AZURE_TENANT_ID", Azure.SANDBOX_TENANT_ID);
    System.setProperty("AZURE_CLIENT_ID", Azure.SANDBOX_CLIENT_ID);
    System.setProperty("AZURE_CLIENT_SECRET", Azure.SANDBOX_CLIENT_SECRET);
    registry.add("refarch.poll-initial", () -> "50ms");
    registry.add("refarch.poll-max", () -> "200ms");
    registry.add("refarch.node-wait", () -> "1m");
  }

  @AfterAll
  static void stop() {
    sandbox.close();
    System.clearProperty("AZURE_TENANT_ID");
    System.clearProperty("AZURE_CLIENT_ID");
    System.clearProperty("AZURE_CLIENT_SECRET");
  }

  @BeforeEach
  void empty() {
    sandbox.reset();
  }

  private static ClusterSpec seed() throws Exception {
    return Specs.load(Path.of("../examples/gke.yaml"));
  }

  private WorkflowOptions options(ClusterSpec spec) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(RunIds.workflowId(spec))
        .setTaskQueue(RunIds.TASK_QUEUE)
        .build();
  }

  @Test
  void provisionsTheSeedClusterThroughTheRealClientsAndTearsItDown() throws Exception {
    ClusterSpec spec = seed();
    RunOutcome up =
        client.newWorkflowStub(ProvisionClusterWorkflow.class, options(spec)).provision(spec);

    assertThat(up.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(up.nodes().passed()).isTrue();
    assertThat(up.nodes().nodes())
        .extracting(n -> n.pool())
        .contains(
            "workload-services", "workload-regular-workspaces", "workload-headless-workspaces");
    // The in-cluster steps ran from the cloud: no kubeconfig on the worker.
    assertThat(up.kubeconfigPath()).isNull();
    assertThat(up.kubeconfigCommand()).isEqualTo("refarch kubeconfig " + RunIds.workflowId(spec));
    try (var files = Files.list(kubeconfigs)) {
      assertThat(files).isEmpty();
    }
    List<String> inventory = sandbox.inventory();
    assertThat(inventory)
        .anyMatch(
            l -> l.contains("serviceAccounts/gitpod-gke@my-gcp-project.iam.gserviceaccount.com"));
    assertThat(inventory)
        .anyMatch(l -> l.endsWith("clusters/gitpod/nodePools/workload-headless-workspaces"));
    assertThat(inventory).noneMatch(l -> l.endsWith("nodePools/default-pool"));
    assertThat(inventory).anyMatch(l -> l.contains("cluster-admin-binding"));

    RunOutcome down =
        client.newWorkflowStub(TeardownClusterWorkflow.class, options(spec)).teardown(spec);
    assertThat(down.notDeleted()).isEmpty();
    assertThat(sandbox.inventory()).isEmpty();
  }

  @Test
  void provisionsTheAksPresetThroughTheAzureSdkAndTearsItDown() throws Exception {
    ClusterSpec spec = Specs.load(Path.of("../examples/aks.yaml"));
    RunOutcome up =
        client.newWorkflowStub(ProvisionClusterWorkflow.class, options(spec)).provision(spec);

    assertThat(up.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(up.nodes().passed()).isTrue();
    assertThat(up.nodes().nodes())
        .extracting(n -> n.pool())
        .containsExactlyInAnyOrder("services", "regularws", "headlessws");
    assertThat(sandbox.inventory())
        .anyMatch(l -> l.startsWith("aks agentpool ") && l.contains("/gitpod/headlessws"));
    // The deployed worker can run every cloud, and says so in each attempt's identity.
    assertThat(
            client.fetchHistory(RunIds.workflowId(spec)).getEvents().stream()
                .filter(e -> e.hasActivityTaskStartedEventAttributes())
                .map(e -> e.getActivityTaskStartedEventAttributes().getIdentity()))
        .isNotEmpty()
        .allMatch(identity -> identity.endsWith(" refarch-worker[gcp,aws,azure]"));

    RunOutcome down =
        client.newWorkflowStub(TeardownClusterWorkflow.class, options(spec)).teardown(spec);
    assertThat(down.notDeleted()).isEmpty();
    assertThat(sandbox.inventory()).isEmpty();
  }

  @Test
  void aQuotaFailureCompensatesEverythingInTheSandbox() throws Exception {
    sandbox.close();
    sandbox =
        Sandbox.start(
            sandboxOptions(
                List.of(
                    Sandbox.parseFault(
                        "createNodePool:workload-headless-workspaces=RESOURCE_EXHAUSTED"))));
    try {
      ClusterSpec spec = seed();
      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class,
              () ->
                  client
                      .newWorkflowStub(ProvisionClusterWorkflow.class, options(spec))
                      .provision(spec));
      RunOutcome outcome = ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
      assertThat(outcome.errorType()).isEqualTo(FailureTypes.QUOTA_EXCEEDED);
      assertThat(outcome.error()).containsIgnoringCase("quota");
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(sandbox.inventory()).isEmpty();
    } finally {
      sandbox.close();
      sandbox = Sandbox.start(sandboxOptions(List.of()));
    }
  }

  @Test
  void theProgressQueryShowsTheAttemptOfARetriedStep() throws Exception {
    sandbox.close();
    sandbox =
        Sandbox.start(sandboxOptions(List.of(Sandbox.parseFault("createCluster=UNAVAILABLEx2"))));
    try {
      ClusterSpec spec = seed();
      ProvisionClusterWorkflow run =
          client.newWorkflowStub(ProvisionClusterWorkflow.class, options(spec));
      assertThat(run.provision(spec).result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(run.progress().steps())
          .filteredOn(step -> step.title().equals("Create cluster"))
          .singleElement()
          .satisfies(step -> assertThat(step.attempt()).isEqualTo(3));
      client.newWorkflowStub(TeardownClusterWorkflow.class, options(spec)).teardown(spec);
    } finally {
      sandbox.close();
      sandbox = Sandbox.start(sandboxOptions(List.of()));
    }
  }

  private static SandboxOptions sandboxOptions(List<Fault> faults) {
    return new SandboxOptions(state, port, Duration.ofMillis(100), faults);
  }

  private static int freePortPair() throws java.io.IOException {
    for (int i = 0; i < 20; i++) {
      try (java.net.ServerSocket a = new java.net.ServerSocket(0)) {
        int p = a.getLocalPort();
        try (java.net.ServerSocket b = new java.net.ServerSocket(p + 1)) {
          return p;
        } catch (java.io.IOException taken) {
          // try another pair
        }
      }
    }
    throw new IllegalStateException("no two adjacent free ports");
  }

  @Test
  void exposesHealthAndTemporalMetricsForPrometheus() {
    assertThat(http.getForObject("/actuator/health", String.class)).contains("\"status\":\"UP\"");
    assertThat(http.getForObject("/actuator/prometheus", String.class)).contains("temporal_");
  }
}
