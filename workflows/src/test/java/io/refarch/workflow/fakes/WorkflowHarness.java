package io.refarch.workflow.fakes;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.AttemptReporter;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.ProvisionClusterWorkflowImpl;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunSearchAttributes;
import io.refarch.workflow.TeardownClusterWorkflow;
import io.refarch.workflow.TeardownClusterWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;

/**
 * An in-memory Temporal test server (with time skipping, so retry backoffs take no real time) and
 * one worker hosting both workflows and the given activities.
 */
public final class WorkflowHarness implements AutoCloseable {
  private final TestWorkflowEnvironment env;

  public WorkflowHarness(Object... activities) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new AttemptReporter())
                        .build())
                .build());
    RunSearchAttributes.ALL.forEach(
        key ->
            env.registerSearchAttribute(
                key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker worker = env.newWorker(RunIds.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        ProvisionClusterWorkflowImpl.class, TeardownClusterWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  public WorkflowClient client() {
    return env.getWorkflowClient();
  }

  public TestWorkflowEnvironment env() {
    return env;
  }

  public static WorkflowOptions options(ClusterSpec spec) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(RunIds.workflowId(spec))
        .setTaskQueue(RunIds.TASK_QUEUE)
        .setStaticSummary(RunIds.summary(spec))
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(RunSearchAttributes.CLOUD, spec.cloud().id())
                .set(RunSearchAttributes.CLUSTER, spec.name())
                .build())
        .build();
  }

  public ProvisionClusterWorkflow provision(ClusterSpec spec) {
    return client().newWorkflowStub(ProvisionClusterWorkflow.class, options(spec));
  }

  public TeardownClusterWorkflow teardown(ClusterSpec spec) {
    return client().newWorkflowStub(TeardownClusterWorkflow.class, options(spec));
  }

  @Override
  public void close() {
    env.close();
  }
}
