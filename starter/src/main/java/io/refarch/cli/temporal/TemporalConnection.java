package io.refarch.cli.temporal;

import io.refarch.workflow.AttemptReporter;
import io.refarch.workflow.ProvisionClusterWorkflowImpl;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunSearchAttributes;
import io.refarch.workflow.TeardownClusterWorkflowImpl;
import io.refarch.workflow.WorkerCapabilities;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Temporal that runs are started on: an in-process server with an in-process worker (the
 * default, nothing to install), or a real server whose workers run elsewhere.
 */
public final class TemporalConnection implements AutoCloseable {
  private final String address;
  private final String namespace;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private WorkerFactory workers;
  private final TestServer.InProcessTestServer server;
  private String description;
  private boolean local;

  private TemporalConnection(
      String address,
      String namespace,
      WorkflowServiceStubs stubs,
      TestServer.InProcessTestServer server) {
    this.address = address;
    this.namespace = namespace;
    this.description =
        server != null
            ? "in-process Temporal"
            : "Temporal at " + address + ", namespace " + namespace;
    this.stubs = stubs;
    this.client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    this.server = server;
  }

  /**
   * An in-process Temporal server in real time (not time-skipping: retry backoffs and cloud
   * operations take the time they take) and a worker hosting both workflows and {@code activities}.
   * Everything is gone when this is closed, so callers archive the history first.
   */
  public static TemporalConnection embedded(List<Object> activities) {
    TestServer.InProcessTestServer server = TestServer.createServer(true);
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setChannel(server.getChannel()).build());
    TemporalConnection c = new TemporalConnection(null, "default", stubs, server);
    c.registerSearchAttributes();
    c.startWorker(activities);
    return c;
  }

  /**
   * A real server with a worker in this process hosting the workflows and {@code activities}: what
   * {@code refarch worker} runs in the background next to the local dev server.
   */
  public static TemporalConnection withWorker(
      String address, String namespace, List<Object> activities) {
    TemporalConnection c = remote(address, namespace);
    c.registerSearchAttributes();
    c.startWorker(activities);
    return c;
  }

  /** The local dev server refarch keeps running between commands; {@code what} says where. */
  public static TemporalConnection local(String address, String what) {
    TemporalConnection c = remote(address, "default");
    c.description = what;
    c.local = true;
    return c;
  }

  private void startWorker(List<Object> activities) {
    WorkerFactory factory =
        WorkerFactory.newInstance(
            client,
            WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new AttemptReporter()).build());
    // Identified like a deployed worker, with its clouds, so histories read the same.
    Worker worker =
        factory.newWorker(
            RunIds.TASK_QUEUE,
            WorkerOptions.newBuilder()
                .setIdentity(
                    WorkerCapabilities.identity(
                        ManagementFactory.getRuntimeMXBean().getName(),
                        WorkerCapabilities.clouds(activities)))
                .build());
    worker.registerWorkflowImplementationTypes(
        ProvisionClusterWorkflowImpl.class, TeardownClusterWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities.toArray());
    factory.start();
    workers = factory;
  }

  /** A real server; the workers that run the activities are separate processes. */
  public static TemporalConnection remote(String address, String namespace) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    return new TemporalConnection(address, namespace, stubs, null);
  }

  /**
   * The workflows upsert these attributes, and a server that does not know one fails their workflow
   * tasks; "already exists" is the normal answer from the second run on.
   */
  public void registerSearchAttributes() {
    RunSearchAttributes.register(stubs, namespace);
  }

  /** The server's view of a run: status, type, pending activities. */
  public DescribeWorkflowExecutionResponse describe(WorkflowExecution execution) {
    return stubs
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setExecution(execution)
                .build());
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  public String namespace() {
    return namespace;
  }

  /** The server's address; null for the in-process one. */
  public String address() {
    return address;
  }

  /** refarch's own dev server on this machine, whose runs' histories are saved here too. */
  public boolean local() {
    return local;
  }

  public boolean embedded() {
    return server != null;
  }

  public String describe() {
    return description;
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
      workers.awaitTermination(10, TimeUnit.SECONDS);
    }
    stubs.shutdownNow();
    stubs.awaitTermination(5, TimeUnit.SECONDS);
    if (server != null) {
      server.close();
    }
  }
}
