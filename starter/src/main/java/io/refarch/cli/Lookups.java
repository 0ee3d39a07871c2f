package io.refarch.cli;

import io.refarch.cli.temporal.TemporalConnection;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;

/** Finding the run a command names, on a server or among the saved ones. */
final class Lookups {
  private Lookups() {}

  /** The run {@code runId} of the id, or its latest run. */
  static WorkflowExecution execution(TemporalConnection connection, String workflowId, String runId) {
    WorkflowExecution.Builder asked = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
    if (runId != null) {
      asked.setRunId(runId);
    }
    return connection.stubs().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(connection.namespace())
            .setExecution(asked)
            .build())
        .getWorkflowExecutionInfo().getExecution();
  }

  static int notSaved(Refarch root, String workflowId, String runId) {
    root.err().println("refarch: no saved run " + (runId == null ? "" : runId + " ") + "of " + workflowId + " in "
        + root.runsDir() + " (without --temporal, status, history and list read the runs that up/down saved there; "
        + "for runs on a Temporal server add --temporal HOST:PORT)");
    return ExitCodes.RUN_FAILED;
  }
}
