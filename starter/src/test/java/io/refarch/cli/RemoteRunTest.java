package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.cli.CommandRunner.Result;
import io.refarch.workflow.ProvisionClusterWorkflowImpl;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.TeardownClusterWorkflowImpl;
import io.refarch.workflow.fakes.FakeCloud;
import io.refarch.workflow.gke.GkeActivities;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
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
 * {@code refarch --temporal}: a Temporal server and a worker that are not refarch's own (here a
 * port-bound test server in real time and a worker the test hosts, with fake activities).
 */
class RemoteRunTest {
  static final String ID = EmbeddedRunTest.ID;

  @TempDir Path dir;

  final FakeCloud fake = new FakeCloud();
  HeldCluster held;
  TestServer.PortBoundTestServer server;
  WorkflowServiceStubs stubs;
  WorkerFactory workers;
  String address;
  ExecutorService background = Executors.newSingleThreadExecutor();

  @BeforeEach
  void startServerAndWorker() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server = TestServer.createPortBoundServer(port, true);
    address = "127.0.0.1:" + port;
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    workers = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
    Worker worker = workers.newWorker(RunIds.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        ProvisionClusterWorkflowImpl.class, TeardownClusterWorkflowImpl.class);
    List<Object> activities = new ArrayList<>(fake.activities());
    held = new HeldCluster((GkeActivities) activities.get(0));
    activities.set(0, held);
    worker.registerActivitiesImplementations(activities.toArray());
    workers.start();
  }

  @AfterEach
  void stop() {
    held.release();
    background.shutdownNow();
    workers.shutdownNow();
    workers.awaitTermination(5, TimeUnit.SECONDS);
    stubs.shutdownNow();
    server.close();
  }

  CommandRunner refarch() {
    // Through the environment, as a CI job would; the CLI itself must host no activity.
    return new CommandRunner(
        dir,
        config -> {
          throw new AssertionError("with --temporal the CLI hosts no activities");
        },
        Map.of("TEMPORAL_ADDRESS", address));
  }

  @Test
  void aSecondStartIsRefusedWhileTheFirstGoesAndACancelledRunExitsOne() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    Future<Result> first = background.submit(() -> refarch().run("up", "-f", "gke.yaml"));
    assertThat(held.awaitStarted()).as("the run reached Create cluster").isTrue();

    Result again = refarch().run("up", "-f", "gke.yaml");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.ALREADY_RUNNING);
    assertThat(again.err())
        .contains("a run for " + ID + " is already going")
        .contains("nothing was started");
    Result down = refarch().run("down", "-f", "gke.yaml");
    assertThat(down.exitCode())
        .as("down shares the workflow id")
        .isEqualTo(ExitCodes.ALREADY_RUNNING);

    // Cloud and cluster are set as search attributes when the run starts.
    var described =
        stubs
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(ID))
                    .build());
    var attributes =
        described.getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap();
    assertThat(
            GlobalDataConverter.get()
                .fromPayload(attributes.get("RefarchCloud"), String.class, String.class))
        .isEqualTo("gcp");
    assertThat(
            GlobalDataConverter.get()
                .fromPayload(attributes.get("RefarchCluster"), String.class, String.class))
        .isEqualTo("gitpod");

    Result status = refarch().run("status", ID);
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out())
        .contains("status RUNNING")
        .contains("phase RUNNING, current step: Create cluster");
    assertThat(status.out().lines().filter(l -> l.matches("\\s+>\\s+4\\s+Create cluster.*")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("running"));

    WorkflowClient.newInstance(stubs).newUntypedWorkflowStub(ID).cancel();
    held.release();
    Result cancelled;
    try {
      cancelled = first.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(
          "the cancelled run did not end:\n"
              + refarch().run("status", ID)
              + "\n"
              + refarch().run("history", ID)
              + "\ncalls: "
              + fake.calls());
    }

    assertThat(cancelled.exitCode()).as(cancelled.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(cancelled.out()).contains("Result: CANCELLED");
    String compensations =
        cancelled.out().substring(cancelled.out().indexOf("Compensations, in the order they ran:"));
    EmbeddedRunTest.assertInOrder(
        compensations,
        List.of(
            "compensated  cluster/gitpod",
            "compensated  project-roles/gitpod-gke",
            "compensated  service-account/gitpod-gke"));
    assertThat(fake.calls())
        .endsWith("deleteCluster", "removeRoleBindings", "deleteServiceAccount");
    assertThat(cancelled.out()).contains("History: refarch history " + ID + " --temporal");
    // Nothing is archived: the server keeps the history.
    assertThat(dir.resolve(".refarch")).doesNotExist();

    Result history = refarch().run("history", ID);
    assertThat(history.exitCode()).as(history.toString()).isZero();
    assertThat(history.out()).contains("CANCELED").contains("cancellation requested");
    EmbeddedRunTest.assertInOrder(
        history.out().substring(history.out().indexOf("Compensations")),
        List.of("GkeDeleteCluster", "GkeRemoveRoleBindings", "GkeDeleteServiceAccount"));
  }

  @Test
  void ctrlCOnceDetachesFromARunThatGoesOnAndCancelFollowsItsCompensation() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    CommandRunner refarch = refarch();
    Future<Result> up = background.submit(() -> refarch.run("up", "-f", "gke.yaml"));
    assertThat(held.awaitStarted()).as("the run reached Create cluster").isTrue();
    refarch.interrupts().press();
    Result detached = up.get(30, TimeUnit.SECONDS);

    assertThat(detached.exitCode()).as(detached.toString()).isEqualTo(ExitCodes.DETACHED);
    assertThat(detached.err())
        .contains("refarch: detached; the run goes on")
        .contains("refarch status " + ID + " --temporal ...")
        .contains("refarch cancel " + ID + " --temporal ...");
    Result status = refarch().run("status", ID);
    assertThat(status.out()).as(status.toString()).contains("status RUNNING");

    Future<Result> cancel = background.submit(() -> refarch().run("cancel", ID));
    held.release();
    Result cancelled = cancel.get(60, TimeUnit.SECONDS);
    assertThat(cancelled.exitCode()).as(cancelled.toString()).isZero();
    assertThat(cancelled.out())
        .contains("Cancelling " + ID)
        .contains("Result: CANCELLED")
        .contains("compensated  cluster/gitpod");
    assertThat(fake.calls())
        .endsWith("deleteCluster", "removeRoleBindings", "deleteServiceAccount");

    Result again = refarch().run("cancel", ID);
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).contains("has already ended (CANCELED); nothing to cancel");
  }

  @Test
  void ctrlCTwiceCancelsTheRunAndFollowsItsCompensationToTheEnd() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    CommandRunner refarch = refarch();
    Future<Result> up = background.submit(() -> refarch.run("up", "-f", "gke.yaml"));
    assertThat(held.awaitStarted()).as("the run reached Create cluster").isTrue();
    refarch.interrupts().press();
    refarch.interrupts().press();
    held.release();
    Result r = up.get(60, TimeUnit.SECONDS);

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.err())
        .contains("refarch: detached; the run goes on")
        .contains("refarch: cancelling the run");
    assertThat(r.out()).contains("Result: CANCELLED").contains("compensated  cluster/gitpod");
    assertThat(fake.calls())
        .endsWith("deleteCluster", "removeRoleBindings", "deleteServiceAccount");
  }
}
