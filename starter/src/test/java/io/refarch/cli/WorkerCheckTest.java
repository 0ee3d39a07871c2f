package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.refarch.cli.CommandRunner.Result;
import io.refarch.cli.temporal.WorkerCheck;
import io.refarch.cli.temporal.WorkerCheck.Poller;
import io.refarch.cli.temporal.WorkerCheck.Verdict;
import io.refarch.spec.Cloud;
import io.refarch.workflow.ProvisionClusterWorkflowImpl;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.TeardownClusterWorkflowImpl;
import io.refarch.workflow.WorkerCapabilities;
import io.refarch.workflow.eks.EksActivities;
import io.refarch.workflow.fakes.FakeCloud;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up}/{@code down --temporal} check that the task queue's workers can run the spec's cloud
 * before starting anything: against Temporal's in-process server (with DescribeTaskQueue added, see
 * {@link PollerListingServer}) and workers the test hosts, each polling with its own identity.
 */
class WorkerCheckTest {
  static final String EKS_ID = "refarch/aws/123456789012/eu-west-1/gitpod";
  static final String GKE_ID = EmbeddedRunTest.ID;

  @TempDir Path dir;

  final FakeCloud fake = new FakeCloud();
  final List<WorkerFactory> workers = new ArrayList<>();
  final ExecutorService background = Executors.newSingleThreadExecutor();
  PollerListingServer server;
  WorkflowServiceStubs stubs;

  @BeforeEach
  void startServer() throws Exception {
    server = new PollerListingServer();
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.address()).build());
    CommandRunner.example(dir, "eks.yaml");
    CommandRunner.example(dir, "gke.yaml");
  }

  @AfterEach
  void stop() {
    background.shutdownNow();
    workers.forEach(WorkerFactory::shutdownNow);
    workers.forEach(w -> w.awaitTermination(5, TimeUnit.SECONDS));
    stubs.shutdownNow();
    server.close();
  }

  /** A worker of the refarch task queue polling as {@code identity}, with {@code activities}. */
  void startWorker(String identity, List<Object> activities) throws InterruptedException {
    WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
    Worker worker =
        factory.newWorker(
            RunIds.TASK_QUEUE, WorkerOptions.newBuilder().setIdentity(identity).build());
    worker.registerWorkflowImplementationTypes(
        ProvisionClusterWorkflowImpl.class, TeardownClusterWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities.toArray());
    factory.start();
    workers.add(factory);
    server.awaitActivityPoller(RunIds.TASK_QUEUE, identity);
  }

  /** A refarch worker from before EKS: GKE and Kubernetes activities, no EKS or AKS. */
  String startGkeOnlyWorker(String host) throws InterruptedException {
    List<Object> activities = gkeOnly();
    String identity =
        WorkerCapabilities.identity("1@" + host, WorkerCapabilities.clouds(activities));
    startWorker(identity, activities);
    return identity;
  }

  List<Object> gkeOnly() {
    return fake.activities().stream()
        .filter(a -> !(a instanceof EksActivities))
        .filter(a -> !(a instanceof io.refarch.workflow.aks.AksActivities))
        .toList();
  }

  CommandRunner refarch() {
    return new CommandRunner(
        dir,
        config -> {
          throw new AssertionError("with --temporal the CLI hosts no activities");
        },
        Map.of("TEMPORAL_ADDRESS", server.address()));
  }

  boolean started(String workflowId) {
    try {
      stubs
          .blockingStub()
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace("default")
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                  .build());
      return true;
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      return false;
    }
  }

  @Test
  void anEksSpecIsRefusedWhenNoWorkerHasTheAwsActivitiesAndGkeIsAccepted() throws Exception {
    String identity = startGkeOnlyWorker("gke-worker");
    assertThat(identity).isEqualTo("1@gke-worker refarch-worker[gcp]");

    Result up = refarch().run("up", "-f", "eks.yaml");

    assertThat(up.exitCode()).as(up.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(up.err())
        .contains("refarch: cloud: aws: no worker of task queue refarch can run cloud aws")
        .contains("1@gke-worker refarch-worker[gcp] (can run gcp, polled ")
        .contains("nothing was started")
        .doesNotContain("\tat ");
    assertThat(up.out()).doesNotContain("started on");

    Result down = refarch().run("down", "-f", "eks.yaml");
    assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(down.err()).contains("no worker of task queue refarch can run cloud aws");

    assertThat(started(EKS_ID)).as("an EKS workflow was started").isFalse();
    assertThat(fake.calls()).isEmpty();

    Result gke = refarch().run("up", "-f", "gke.yaml");
    assertThat(gke.exitCode()).as(gke.toString()).isEqualTo(ExitCodes.OK);
    assertThat(gke.err()).doesNotContain("warning");
    assertThat(gke.out()).contains("Result: SUCCEEDED");
    assertThat(fake.calls()).contains("ensureCluster");
  }

  @Test
  void aQueueWhereOnlySomeWorkersHaveTheCloudIsRefused() throws Exception {
    startGkeOnlyWorker("gke-worker");
    startWorker(
        WorkerCapabilities.identity("2@full-worker", WorkerCapabilities.clouds(fake.activities())),
        fake.activities());

    Result up = refarch().run("up", "-f", "eks.yaml");

    assertThat(up.exitCode()).as(up.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(up.err())
        .contains("1 of the 2 workers of task queue refarch cannot run cloud aws")
        .contains("1@gke-worker refarch-worker[gcp] (can run gcp")
        .contains("2@full-worker refarch-worker[gcp,aws,azure] (can run gcp,aws,azure");
    assertThat(started(EKS_ID)).isFalse();
  }

  @Test
  void withNoWorkerTheRunStartsWithAWarningAndWaitsForOne() throws Exception {
    Future<Result> up = background.submit(() -> refarch().run("up", "-f", "gke.yaml"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!started(GKE_ID)) {
      assertThat(System.nanoTime()).as("the run was started").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(fake.calls()).isEmpty();

    startGkeOnlyWorker("late-worker");

    Result r = up.get(90, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.err())
        .contains("refarch: warning: no worker polls task queue refarch now; starting anyway")
        .contains("refarch-worker[gcp]");
    assertThat(r.out()).contains("started on Temporal at " + server.address());
    assertThat(r.out()).contains("Result: SUCCEEDED");
  }

  @Test
  void aWorkerThatDoesNotSayItsCloudsIsWarnedAboutAndTheRunFailsFastOnIt() throws Exception {
    // A worker from before clouds were in the identity: Temporal's default pid@host.
    startWorker("1@old-worker", gkeOnly());

    Result up = refarch().run("up", "-f", "eks.yaml");

    assertThat(up.err())
        .contains("refarch: warning: some workers of task queue refarch do not say which clouds")
        .contains("1@old-worker (clouds unknown");
    assertThat(up.exitCode()).as(up.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(up.out())
        .contains("ActivityNotRegistered")
        .contains("worker 1@old-worker has no aws activities")
        .contains("EksPreflight is not registered there");
    assertThat(fake.calls()).isEmpty();
  }

  @Test
  void theVerdictForTheListedPollers() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Poller gcp = new Poller("1@a refarch-worker[gcp]", now.minusSeconds(3));
    Poller all = new Poller("2@b refarch-worker[gcp,aws,azure]", now.minusSeconds(1));
    Poller old = new Poller("3@c", null);

    assertThat(WorkerCheck.judge(List.of(all), Cloud.AWS, "q", now))
        .isEqualTo(new WorkerCheck.Result(Verdict.CAN_RUN, null));
    assertThat(WorkerCheck.judge(List.of(gcp, all), Cloud.GCP, "q", now).verdict())
        .isEqualTo(Verdict.CAN_RUN);
    assertThat(WorkerCheck.judge(List.of(gcp), Cloud.AZURE, "q", now))
        .satisfies(r -> assertThat(r.verdict()).isEqualTo(Verdict.REFUSE))
        .satisfies(
            r ->
                assertThat(r.message())
                    .contains("no worker of task queue q can run cloud azure")
                    .contains("1@a refarch-worker[gcp] (can run gcp, polled 3s ago)"));
    assertThat(WorkerCheck.judge(List.of(gcp, all), Cloud.AWS, "q", now).verdict())
        .isEqualTo(Verdict.REFUSE);
    assertThat(WorkerCheck.judge(List.of(old, all), Cloud.AWS, "q", now))
        .satisfies(r -> assertThat(r.verdict()).isEqualTo(Verdict.WARN))
        .satisfies(r -> assertThat(r.message()).contains("3@c (clouds unknown)"));
    assertThat(WorkerCheck.judge(List.of(old, gcp), Cloud.AWS, "q", now).verdict())
        .isEqualTo(Verdict.REFUSE);
    assertThat(WorkerCheck.judge(List.of(), Cloud.AWS, "q", now).verdict()).isEqualTo(Verdict.WARN);
  }

  @Test
  void aServerThatCannotListPollersIsAWarning() throws Exception {
    // Temporal's test server answers DescribeTaskQueue with UNIMPLEMENTED.
    try (io.temporal.testserver.TestServer.InProcessTestServer plain =
        io.temporal.testserver.TestServer.createServer(true)) {
      WorkflowServiceStubs plainStubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setChannel(plain.getChannel()).build());
      try {
        WorkerCheck.Result r =
            WorkerCheck.check(plainStubs, "default", RunIds.TASK_QUEUE, Cloud.AWS);
        assertThat(r.verdict()).isEqualTo(Verdict.WARN);
        assertThat(r.message())
            .contains("could not list the workers of task queue refarch")
            .contains("this server does not list pollers");
      } finally {
        plainStubs.shutdownNow();
      }
    }
  }
}
