package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import com.google.container.v1.Operation;
import io.refarch.activities.Activities;
import io.refarch.activities.ActivityConfig;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.WorkerStopping;
import io.refarch.activities.aks.AzureConnection;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.gke.cluster.ClusterRequest;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.azure.Azure;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.OperationTiming;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.SpecException;
import io.refarch.spec.Specs;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.Progress;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.ProvisionClusterWorkflowImpl;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunOutcome;
import io.refarch.workflow.RunSearchAttributes;
import io.refarch.workflow.TeardownClusterWorkflow;
import io.refarch.workflow.TeardownClusterWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sandbox, and a worker that runs both workflows with the real activities against it, Google
 * Cloud, AWS and Azure alike (one sandbox serves all three). The Temporal test server is shared by
 * the tests of a class; each sandbox gets a worker of its own on its own task queue, so tests can
 * use sandboxes with different faults without restarting Temporal.
 */
final class SandboxWorker implements AutoCloseable {
  private static final AtomicInteger QUEUES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();

  final Sandbox sandbox;
  private final Path kubeconfigDir;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final List<Object> activities;
  private final String taskQueue;

  private SandboxWorker(
      Sandbox sandbox,
      Path kubeconfigDir,
      WorkflowClient client,
      WorkerFactory factory,
      List<Object> activities,
      String taskQueue) {
    this.sandbox = sandbox;
    this.kubeconfigDir = kubeconfigDir;
    this.client = client;
    this.factory = factory;
    this.activities = activities;
    this.taskQueue = taskQueue;
  }

  /** An in-memory Temporal with refarch's search attributes, as a real server would have them. */
  static TestWorkflowEnvironment temporal() {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    RunSearchAttributes.ALL.forEach(
        key ->
            env.registerSearchAttribute(
                key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    env.start();
    return env;
  }

  /** The preset users start from, unchanged. */
  static ClusterSpec gkePreset() throws SpecException {
    return Specs.load(Path.of("../examples/gke.yaml"));
  }

  /**
   * examples/eks.yaml as users run it: its tigera-operator manifest comes from the sandbox's
   * download mirror, as an air-gapped worker gets it from its own.
   */
  static ClusterSpec eksPreset() throws SpecException {
    return Specs.load(Path.of("../examples/eks.yaml"));
  }

  /** examples/aks.yaml as users run it. */
  static ClusterSpec aksPreset() throws SpecException {
    return Specs.load(Path.of("../examples/aks.yaml"));
  }

  /**
   * The sandbox's Azure as {@code refarch up --sandbox} reaches it: its endpoint trusted through
   * its CA, signed in as its service principal.
   */
  static AzureConnection azure(Sandbox sandbox) {
    return AzureConnection.at(
        URI.create(sandbox.endpoints().azure()),
        sandbox.azureCertificateAuthority(),
        new AzureConnection.ServicePrincipal(
            Azure.SANDBOX_TENANT_ID, Azure.SANDBOX_CLIENT_ID, Azure.SANDBOX_CLIENT_SECRET));
  }

  /** The sandbox's AWS, reached as the worker reaches it ({@link AwsConnection#sandbox}). */
  static AwsConnection aws(Sandbox sandbox) {
    return AwsConnection.sandbox(URI.create(sandbox.endpoints().aws()));
  }

  static SandboxWorker start(
      TestWorkflowEnvironment env, Path dir, Duration operationDuration, String... faults)
      throws IOException {
    return start(env, dir, options(dir, faults).withOperationDuration(operationDuration));
  }

  /** With operations that take what {@code latency} says, by kind. */
  static SandboxWorker start(
      TestWorkflowEnvironment env, Path dir, Latency latency, String... faults) throws IOException {
    return start(env, dir, options(dir, faults).withLatency(latency));
  }

  /**
   * With operations that take what {@code latency} says, served by a worker that hands every wait
   * back to the server ({@link WorkerStopping#handingBackEveryWait()}).
   */
  static SandboxWorker handingBackWaits(
      TestWorkflowEnvironment env, Path dir, Latency latency, WorkerOptions worker)
      throws IOException {
    return start(
        env, dir, options(dir).withLatency(latency), WorkerStopping.handingBackEveryWait(), worker);
  }

  private static SandboxOptions options(Path dir, String... faults) {
    return SandboxOptions.defaults(dir.resolve("sandbox-state"))
        .withFaults(Arrays.stream(faults).map(Sandbox::parseFault).toList());
  }

  private static SandboxWorker start(TestWorkflowEnvironment env, Path dir, SandboxOptions options)
      throws IOException {
    return start(env, dir, options, new WorkerStopping(), WorkerOptions.getDefaultInstance());
  }

  private static SandboxWorker start(
      TestWorkflowEnvironment env,
      Path dir,
      SandboxOptions options,
      WorkerStopping stopping,
      WorkerOptions workerOptions)
      throws IOException {
    Sandbox sandbox = Sandbox.start(options);
    Path kubeconfigDir = dir.resolve("kubeconfig");
    ActivityConfig config =
        new ActivityConfig(
                kubeconfigDir,
                GcpConnection.sandbox(sandbox.endpoints().gcpRest(), sandbox.endpoints().iamGrpc()),
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofSeconds(30))
            .withAws(aws(sandbox))
            .withAzure(azure(sandbox))
            .withMirror(URI.create(sandbox.endpoints().mirror()))
            .withStopping(stopping);
    String queue = RunIds.TASK_QUEUE + "-acceptance-" + QUEUES.incrementAndGet();
    WorkerFactory factory = WorkerFactory.newInstance(env.getWorkflowClient());
    Worker worker = factory.newWorker(queue, workerOptions);
    worker.registerWorkflowImplementationTypes(
        ProvisionClusterWorkflowImpl.class, TeardownClusterWorkflowImpl.class);
    List<Object> activities = Activities.create(config);
    worker.registerActivitiesImplementations(activities.toArray());
    factory.start();
    return new SandboxWorker(
        sandbox, kubeconfigDir, env.getWorkflowClient(), factory, activities, queue);
  }

  WorkflowClient client() {
    return client;
  }

  Path kubeconfigDir() {
    return kubeconfigDir;
  }

  /** Options as {@code refarch} starts runs: the cluster's id, the search attributes. */
  WorkflowOptions options(ClusterSpec spec) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(RunIds.workflowId(spec))
        .setTaskQueue(taskQueue)
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(RunSearchAttributes.CLOUD, spec.cloud().id())
                .set(RunSearchAttributes.CLUSTER, spec.name())
                .build())
        .build();
  }

  ProvisionClusterWorkflow provision(ClusterSpec spec) {
    return client.newWorkflowStub(ProvisionClusterWorkflow.class, options(spec));
  }

  TeardownClusterWorkflow teardown(ClusterSpec spec) {
    return client.newWorkflowStub(TeardownClusterWorkflow.class, options(spec));
  }

  List<String> inventory() {
    return sandbox.inventory();
  }

  /**
   * Provisions {@code spec} expecting the run to fail: the outcome its failure carries, checked to
   * be a failed run's.
   */
  RunOutcome failingRun(ClusterSpec spec) {
    WorkflowFailedException e =
        catchThrowableOfType(WorkflowFailedException.class, () -> provision(spec).provision(spec));
    assertThat(e).as("the run fails").isNotNull();
    ApplicationFailure failure = (ApplicationFailure) e.getCause();
    assertThat(failure.getType()).isEqualTo(FailureTypes.PROVISION_FAILED);
    RunOutcome outcome = failure.getDetails().get(RunOutcome.class);
    assertThat(outcome.result()).isEqualTo(Phase.FAILED);
    return outcome;
  }

  /**
   * Cancels {@code run} and waits for its end: its progress, checked to be a cancelled run's that
   * left nothing it could not delete.
   */
  static Progress cancel(ProvisionClusterWorkflow run) {
    WorkflowStub.fromTyped(run).cancel();
    WorkflowFailedException e =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(run).getResult(RunOutcome.class));
    assertThat(e).as("the run ends cancelled").isNotNull();
    assertThat(e.getCause()).isInstanceOf(CanceledFailure.class);
    Progress progress = run.progress();
    assertThat(progress.phase()).isEqualTo(Phase.CANCELLED);
    assertThat(progress.notDeleted()).isEmpty();
    return progress;
  }

  /**
   * Starts a run of {@code spec} and, while its step {@code step} runs, checks that neither a
   * second provisioning of the same cluster nor its teardown (which shares the id) may start; the
   * first run's outcome once it ends.
   */
  RunOutcome refusesSecondStartsDuring(ClusterSpec spec, String step) {
    ProvisionClusterWorkflow first = provision(spec);
    WorkflowClient.start(first::provision, spec);
    Await.until(() -> ProvisionAgainstSandboxTest.running(first.progress(), step));

    assertThatThrownBy(() -> WorkflowClient.start(provision(spec)::provision, spec))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    assertThatThrownBy(() -> WorkflowClient.start(teardown(spec)::teardown, spec))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    return WorkflowStub.fromTyped(first).getResult(RunOutcome.class);
  }

  /**
   * The spec's cluster as someone else would make it, by hand or with gcloud: the seed's request
   * without refarch's labels. Returns once GKE's operation is done.
   */
  void createUnlabelledCluster(ClusterSpec spec) throws IOException {
    try (ClusterManagerClient gke =
        ClusterManagerClient.create(
            ClusterManagerSettings.newHttpJsonBuilder()
                .setEndpoint(sandbox.endpoints().gcpRest())
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build())) {
      String parent = "projects/" + spec.gcp().project() + "/locations/" + spec.region();
      String email =
          spec.gcp().serviceAccount() + "@" + spec.gcp().project() + ".iam.gserviceaccount.com";
      Operation op = gke.createCluster(parent, ClusterRequest.of(spec, email));
      String name = parent + "/operations/" + op.getName();
      while (gke.getOperation(name).getStatus() != Operation.Status.DONE) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * The requests that change something, in order, one line each: {@code METHOD PATH}, and for node
   * pool creates the pool's name (one path serves all three). Reading a policy is a POST too
   * ({@code :getIamPolicy}) but changes nothing.
   */
  List<String> mutations() {
    return mutatingRequests().stream().map(SandboxWorker::describe).toList();
  }

  /** When each cloud operation started and ended. */
  List<OperationTiming> operationTimings() {
    return sandbox.operationTimings();
  }

  List<RecordedRequest> mutatingRequests() {
    return sandbox.requests().stream().filter(SandboxWorker::mutates).toList();
  }

  /**
   * The AWS and in-cluster requests that change something, in order, one line each ({@link
   * AwsRequests#describe}), the node groups' creates grouped by node group ({@link
   * EksSeed#byNodeGroup}).
   */
  List<String> awsMutations() {
    return EksSeed.byNodeGroup(awsMutatingRequests().stream().map(AwsRequests::describe).toList());
  }

  List<RecordedRequest> awsMutatingRequests() {
    return sandbox.requests().stream().filter(AwsRequests::mutates).toList();
  }

  /** How many requests the sandbox received for one of its AWS operations. */
  long awsCalls(String operation) {
    return sandbox.requests().stream()
        .filter(r -> operation.equals(AwsRequests.operation(r)))
        .count();
  }

  /**
   * The Azure and in-cluster requests that change something, in order, one line each ({@link
   * AzureRequests#describe}).
   */
  List<String> azureMutations() {
    return azureMutatingRequests().stream().map(AzureRequests::describe).toList();
  }

  List<RecordedRequest> azureMutatingRequests() {
    return sandbox.requests().stream().filter(AzureRequests::mutates).toList();
  }

  /** How many requests the sandbox received for one of its Azure operations. */
  long azureCalls(String operation) {
    return sandbox.requests().stream()
        .filter(r -> operation.equals(AzureRequests.operation(r)))
        .count();
  }

  /** The inventory with AWS's ids as stars ({@link EksSeed#normalized}). */
  List<String> awsInventory() {
    return EksSeed.normalized(sandbox.inventory());
  }

  /** How many requests the sandbox received for one of its fault-injectable operations. */
  long calls(String operation) {
    return sandbox.requests().stream().filter(r -> operation.equals(operation(r))).count();
  }

  private static boolean mutates(RecordedRequest r) {
    if (r.path().equals(TOKEN)) {
      return false; // issuing a token changes no resource
    }
    return switch (r.method()) {
      case "POST" -> !r.path().endsWith(":getIamPolicy");
      case "PUT", "PATCH", "DELETE" -> true;
      case "GRPC" ->
          r.path().matches(".*/(Create|Delete|Update|Patch|Undelete|Enable|Disable|Set).*");
      default -> false;
    };
  }

  static String describe(RecordedRequest r) {
    String line = r.method() + " " + r.path();
    if (r.method().equals("POST") && r.path().endsWith("/nodePools")) {
      try {
        line += " " + JSON.readTree(r.body()).path("nodePool").path("name").asText();
      } catch (IOException e) {
        throw new AssertionError("a node pool create that is not JSON: " + r.body(), e);
      }
    }
    return line;
  }

  /** The sandbox's OAuth token endpoint, where the in-cluster steps get their tokens. */
  private static final String TOKEN = "/token";

  /**
   * Which of the sandbox's fault-injectable operations a request is, or null for the clusters' API
   * and the token endpoint.
   */
  static String operation(RecordedRequest r) {
    String path = r.path();
    if (r.method().equals("GRPC")) {
      String method = path.substring(path.lastIndexOf('/') + 1);
      return Character.toLowerCase(method.charAt(0)) + method.substring(1);
    }
    if (path.equals(TOKEN)
        || path.startsWith("/api/")
        || path.startsWith("/apis/")
        || path.equals("/api")
        || path.equals("/apis")
        || path.equals("/version")) {
      return null;
    }
    if (path.endsWith(":getIamPolicy")) {
      return "getIamPolicy";
    }
    if (path.endsWith("/serverConfig") || path.endsWith("/serverconfig")) {
      return "getServerConfig";
    }
    if (path.matches("/v1/projects/[^/]+/services/[^/:]+")) {
      return "getService";
    }
    if (path.matches("/compute/v1/projects/[^/]+/regions/[^/]+")) {
      return "getRegion";
    }
    if (path.endsWith(":setIamPolicy")) {
      return "setIamPolicy";
    }
    String[] parts = path.split("/");
    String collection = parts[parts.length - 1];
    boolean item = false;
    if (!List.of("clusters", "nodePools", "operations", "serviceAccounts").contains(collection)) {
      collection = parts[parts.length - 2];
      item = true;
    }
    String kind =
        switch (collection) {
          case "clusters" -> "Cluster";
          case "nodePools" -> "NodePool";
          case "operations" -> "Operation";
          case "serviceAccounts" -> "ServiceAccount";
          default -> throw new AssertionError("a request the acceptance tests do not know: " + r);
        };
    return switch (r.method()) {
      case "POST" -> "create" + kind;
      case "DELETE" -> "delete" + kind;
      case "GET" -> item ? "get" + kind : "list" + kind + "s";
      default -> throw new AssertionError("a request the acceptance tests do not know: " + r);
    };
  }

  @Override
  public void close() throws Exception {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    for (Object a : activities) {
      if (a instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
    sandbox.close();
  }
}
