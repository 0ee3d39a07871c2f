package io.refarch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.refarch.cli.history.AuditReport;
import io.refarch.cli.history.RunAudit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "An audit of one run, read from its Temporal workflow history (not from logs): each activity with the step it",
      "served and its input, how many attempts it took, how long, how it ended (failure type and message), the",
      "compensations in the order they ran, and gaps (timers, a worker that was down, timed-out tasks).",
      "With --temporal it fetches the history from the server; without it, from refarch's local Temporal when that knows",
      "the run, else it reads the history up/down saved in .refarch/runs/ of this directory."
    })
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand Refarch root;

  @Mixin RunLookup run;

  @Option(names = "--json", description = "The audit as JSON, for machines.")
  boolean json;

  @Mixin TemporalOptions temporal;

  @Override
  public Integer call() throws Exception {
    return run.read(
        root,
        temporal,
        (archive, saved) ->
            print(RunAudit.of(saved.workflowId(), saved.runId(), saved.history().getEvents())),
        (connection, execution) ->
            print(
                RunAudit.of(
                    run.workflowId,
                    execution.getRunId(),
                    connection
                        .client()
                        .fetchHistory(run.workflowId, execution.getRunId())
                        .getEvents())));
  }

  private int print(RunAudit audit) throws Exception {
    if (json) {
      root.out()
          .println(
              new ObjectMapper()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(audit));
    } else {
      AuditReport.print(root.out(), audit);
    }
    return ExitCodes.OK;
  }
}
