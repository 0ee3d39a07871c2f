package io.refarch.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.refarch.cli.history.RunArchive;
import io.refarch.cli.local.LocalTemporal;
import io.refarch.cli.local.LocalWorker;
import io.refarch.cli.temporal.TemporalConnection;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.nio.file.Path;
import java.util.List;
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

  @Option(
      names = "--sandbox-state",
      paramLabel = "DIR",
      description =
          "The state of the sandbox the run went against, when not .refarch/sandbox (its local Temporal is there).")
  Path sandboxState;

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
      Optional<TemporalConnection> local = onLocalServer(root);
      if (local.isPresent()) {
        try (TemporalConnection connection = local.get()) {
          return fromServer.read(connection, execution(connection));
        }
      }
      RunArchive archive = new RunArchive(root.runsDir());
      Optional<RunArchive.ArchivedRun> found = archive.find(workflowId, runId);
      return found.isPresent() ? fromArchive.read(archive, found.get()) : notSaved(root);
    }
    try (TemporalConnection connection = TemporalConnection.remote(address, temporal.namespace)) {
      return fromServer.read(connection, execution(connection));
    }
  }

  /**
   * The local Temporal (the user's, or the sandbox's) that knows the run, started again when it is
   * not running (after a reboot), with its worker when the run is open, so the run resumes.
   */
  private Optional<TemporalConnection> onLocalServer(Refarch root) throws Exception {
    Optional<Path> cli = LocalTemporal.findCli(root.env());
    if (cli.isEmpty()) {
      return Optional.empty();
    }
    Path sandboxDir = root.sandboxStateDir(sandboxState);
    LocalTemporal ofSandbox = LocalTemporal.ofSandbox(sandboxDir, cli.get());
    for (LocalTemporal server :
        List.of(LocalTemporal.ofClouds(root.homeDir(), cli.get()), ofSandbox)) {
      if (!server.exists()) {
        continue;
      }
      LocalTemporal.Server running = server.ensureRunning();
      TemporalConnection connection =
          TemporalConnection.local(running.address(), server.describe(running));
      try {
        WorkflowExecutionInfo info = describe(connection).getWorkflowExecutionInfo();
        if (info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          LocalWorker worker = new LocalWorker(server);
          LocalWorker.Settings settings =
              worker
                  .lastSettings()
                  .orElse(
                      server == ofSandbox
                          ? LocalWorker.Settings.sandbox(sandboxDir, List.of())
                          : LocalWorker.Settings.clouds());
          worker.ensure(running.address(), settings, connection.stubs());
        }
        return Optional.of(connection);
      } catch (StatusRuntimeException e) {
        connection.close();
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
      }
    }
    return Optional.empty();
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
    return describe(connection).getWorkflowExecutionInfo().getExecution();
  }

  private DescribeWorkflowExecutionResponse describe(TemporalConnection connection) {
    WorkflowExecution.Builder asked = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
    if (runId != null) {
      asked.setRunId(runId);
    }
    return connection.describe(asked.build());
  }
}
