package io.refarch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.refarch.cli.history.AuditReport;
import io.refarch.cli.history.RunArchive;
import io.refarch.cli.history.RunAudit;
import io.refarch.cli.temporal.TemporalConnection;
import io.temporal.api.common.v1.WorkflowExecution;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "An audit of one run, read from its Temporal workflow history (not from logs): each activity with the step it",
      "served and its input, how many attempts it took, how long, how it ended (failure type and message), the",
      "compensations in the order they ran, and gaps (timers, a worker that was down, timed-out tasks).",
      "With --temporal it fetches the history from the server; without it, it reads the history up/down saved in",
      ".refarch/runs/ of this directory."
    })
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand
  Refarch root;

  @Parameters(paramLabel = "ID", description = "The workflow id, as up/down print it: refarch/<cloud>/<owner>/<region>/<name>.")
  String workflowId;

  @Option(names = "--run", paramLabel = "RUN_ID", description = "A particular run of that id (default: the latest).")
  String runId;

  @Option(names = "--json", description = "The audit as JSON, for machines.")
  boolean json;

  @Mixin
  TemporalOptions temporal;

  @Override
  public Integer call() throws Exception {
    String address = temporal.address(root.env());
    RunAudit audit;
    if (address == null) {
      Optional<RunArchive.ArchivedRun> found = new RunArchive(root.runsDir()).find(workflowId, runId);
      if (found.isEmpty()) {
        return Lookups.notSaved(root, workflowId, runId);
      }
      RunArchive.ArchivedRun run = found.get();
      audit = RunAudit.of(run.workflowId(), run.runId(), run.history().getEvents());
    } else {
      try (TemporalConnection connection = TemporalConnection.remote(address, temporal.namespace)) {
        WorkflowExecution execution = Lookups.execution(connection, workflowId, runId);
        audit = RunAudit.of(workflowId, execution.getRunId(),
            connection.client().fetchHistory(workflowId, execution.getRunId()).getEvents());
      }
    }
    if (json) {
      root.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(audit));
    } else {
      AuditReport.print(root.out(), audit);
    }
    return ExitCodes.OK;
  }
}
