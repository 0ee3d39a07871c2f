package io.refarch.cli;

import io.refarch.cli.history.RunArchive;
import io.refarch.cli.history.RunAudit;
import io.refarch.cli.temporal.TemporalConnection;
import io.refarch.cli.watch.RunEnding;
import io.refarch.cli.watch.RunSummary;
import io.refarch.cli.watch.RunWatcher;
import io.refarch.cli.watch.Snapshot;
import io.refarch.cli.watch.StepTable;
import io.refarch.workflow.Progress;
import io.temporal.api.common.v1.WorkflowExecution;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Shows where a run stands: its phase, the step it is on, and every step with state, time, attempt and last error;",
      "for a finished run also what it created, deleted and could not delete.",
      "With --temporal it asks the server (the workflow's progress query, and the server's view of the running step).",
      "Without it, it asks refarch's local Temporal when that knows the run (starting the server, and the worker for a",
      "run that is going, when a reboot stopped them: the run resumes), else reads the run up/down saved in .refarch/runs/."
    })
final class StatusCommand implements Callable<Integer> {
  @ParentCommand Refarch root;

  @Mixin RunLookup run;

  @Mixin TemporalOptions temporal;

  @Override
  public Integer call() throws Exception {
    return run.read(root, temporal, this::fromArchive, this::fromServer);
  }

  private int fromArchive(RunArchive archive, RunArchive.ArchivedRun saved) throws Exception {
    RunAudit audit = RunAudit.of(saved.workflowId(), saved.runId(), saved.history().getEvents());
    Progress progress = archive.progress(saved).orElse(null);
    PrintWriter out = root.out();
    out.println(audit.workflowType() + " " + audit.workflowId());
    out.println(
        "  run " + audit.runId() + " (saved in " + root.workDir().relativize(saved.file()) + ")");
    out.println(
        "  status "
            + audit.status()
            + (audit.startedAt() == null ? "" : ", started " + audit.startedAt())
            + (audit.duration() == null ? "" : ", took " + audit.duration()));
    Snapshot last =
        progress == null
            ? null
            : new Snapshot(
                progress,
                null,
                audit.closedAt() == null ? Instant.now() : Instant.parse(audit.closedAt()));
    if (progress != null) {
      out.println(
          "  phase "
              + progress.phase()
              + ", current step: "
              + (progress.currentStep() == null ? "none" : progress.currentStep()));
    }
    String result =
        switch (audit.status()) {
          case "COMPLETED" -> "SUCCEEDED";
          case "CANCELED" -> "CANCELLED";
          default -> audit.status();
        };
    RunSummary.print(
        out,
        result,
        audit.outcome(),
        last,
        audit.failureType() == null
            ? audit.failureMessage()
            : audit.failureType() + ": " + audit.failureMessage());
    return ExitCodes.OK;
  }

  private int fromServer(TemporalConnection connection, WorkflowExecution execution)
      throws Exception {
    RunWatcher watcher = new RunWatcher(connection.client(), Duration.ZERO);
    RunWatcher.Observation o = watcher.observe(execution, null);
    PrintWriter out = root.out();
    out.println(run.workflowId);
    out.println("  run " + execution.getRunId() + " on " + connection.describe());
    out.println("  status " + o.status().name().replace("WORKFLOW_EXECUTION_STATUS_", ""));
    if (o.closed()) {
      RunEnding.of(watcher.stub(execution), o.status()).print(out, o.snapshot());
    } else {
      printProgress(out, o.snapshot());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void printProgress(PrintWriter out, Snapshot s) {
    Progress p = s.progress();
    if (p == null) {
      out.println("  (the workflow has not reported progress yet)");
      return;
    }
    out.println(
        "  phase "
            + p.phase()
            + ", current step: "
            + (p.currentStep() == null ? "none" : p.currentStep()));
    out.println();
    StepTable.lines(s, null, 80).forEach(out::println);
  }
}
