package io.refarch.cli;

import io.refarch.cli.history.RunArchive;
import io.refarch.cli.temporal.TemporalConnection;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The run status and history read: a workflow id and one run of it, found among the runs up/down
 * saved in .refarch/runs/ or on a Temporal server. The Temporal options stay a mixin of their own
 * on each command, because picocli lists a mixin's options in one block and history lists --json
 * between --run and --temporal.
 */
final class RunLookup {
  @Parameters(
      paramLabel = "ID",
      description =
          "The workflow id, as up/down print it: refarch/<cloud>/<owner>/<region>/<name>.")
  String workflowId;

  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      description = "A particular run of that id (default: the latest).")
  String runId;

  /** What a command makes of the run up/down saved; returns the exit code. */
  interface FromArchive {
    int read(RunArchive archive, RunArchive.ArchivedRun run) throws Exception;
  }

  /** What a command makes of the run on the server; returns the exit code. */
  interface FromServer {
    int read(TemporalConnection connection, WorkflowExecution execution) throws Exception;
  }

  /**
   * Finds the run where it is (saved here without a server, else on the server) and hands it to the
   * command.
   */
  int read(Refarch root, TemporalOptions temporal, FromArchive fromArchive, FromServer fromServer)
      throws Exception {
    String address = temporal.address(root.env());
    if (address == null) {
      RunArchive archive = new RunArchive(root.runsDir());
      Optional<RunArchive.ArchivedRun> found = archive.find(workflowId, runId);
      return found.isPresent() ? fromArchive.read(archive, found.get()) : notSaved(root);
    }
    try (TemporalConnection connection = TemporalConnection.remote(address, temporal.namespace)) {
      return fromServer.read(connection, execution(connection));
    }
  }

  /** Says where the run was looked for, and how to ask a server instead. */
  private int notSaved(Refarch root) {
    root.err()
        .println(
            "refarch: no saved run "
                + (runId == null ? "" : runId + " ")
                + "of "
                + workflowId
                + " in "
                + root.runsDir()
                + " (without --temporal, status, history and list read the runs that up/down saved there; "
                + "for runs on a Temporal server add --temporal HOST:PORT)");
    return ExitCodes.RUN_FAILED;
  }

  /** The run --run names, or the latest of the id. */
  private WorkflowExecution execution(TemporalConnection connection) {
    WorkflowExecution.Builder asked = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
    if (runId != null) {
      asked.setRunId(runId);
    }
    return connection
        .stubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(connection.namespace())
                .setExecution(asked)
                .build())
        .getWorkflowExecutionInfo()
        .getExecution();
  }
}
