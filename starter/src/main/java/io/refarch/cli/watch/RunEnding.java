package io.refarch.cli.watch;

import io.refarch.cli.ExitCodes;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.RunOutcome;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;

/**
 * How a closed run ended, read from its result or failure: a failed provisioning carries its
 * outcome in the ProvisionFailed failure's details, an incomplete teardown in TeardownIncomplete's;
 * a cancelled run has only its progress.
 */
public record RunEnding(String result, RunOutcome outcome, String error, int exitCode) {

  public static RunEnding of(WorkflowStub stub, WorkflowExecutionStatus status) {
    switch (status) {
      case WORKFLOW_EXECUTION_STATUS_COMPLETED:
        return new RunEnding("SUCCEEDED", stub.getResult(RunOutcome.class), null, ExitCodes.OK);
      case WORKFLOW_EXECUTION_STATUS_CANCELED:
        return new RunEnding("CANCELLED", null, "the run was cancelled", ExitCodes.RUN_FAILED);
      default:
        break;
    }
    try {
      stub.getResult(RunOutcome.class);
      return new RunEnding(status.name(), null, null, ExitCodes.RUN_FAILED);
    } catch (WorkflowFailedException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ApplicationFailure app) {
        RunOutcome outcome = null;
        try {
          outcome = app.getDetails().get(RunOutcome.class);
        } catch (RuntimeException unreadable) {
          // An older worker's outcome shape: the summary goes on with what the failure says.
        }
        String result =
            FailureTypes.TEARDOWN_INCOMPLETE.equals(app.getType())
                ? "TEARDOWN INCOMPLETE"
                : "FAILED";
        return new RunEnding(
            result, outcome, app.getType() + ": " + app.getOriginalMessage(), ExitCodes.RUN_FAILED);
      }
      String word = status.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
      return new RunEnding(
          word, null, cause == null ? e.getMessage() : cause.getMessage(), ExitCodes.RUN_FAILED);
    }
  }

  public void print(PrintWriter out, Snapshot last) {
    print(out, last, null);
  }

  /** With the {@code refarch kubeconfig} command spelled for the spec the caller was given. */
  public void print(PrintWriter out, Snapshot last, String kubeconfigCommand) {
    RunSummary.print(out, result, outcome, last, error, kubeconfigCommand);
  }
}
