package io.refarch.cli;

import io.refarch.cli.temporal.TemporalConnection;
import io.refarch.cli.watch.LineView;
import io.refarch.cli.watch.ProgressView;
import io.refarch.cli.watch.RunEnding;
import io.refarch.cli.watch.RunWatcher;
import io.refarch.cli.watch.TtyView;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Cancels a run that is going and follows it while it deletes what it created, last first, to the end.",
      "Finds the run as status does: on --temporal, else on refarch's local Temporal. Ctrl-C stops watching; the",
      "cancellation goes on. Exit 0 when the run ended cancelled (or had already ended), 1 when it ended otherwise",
      "(a compensation that could not delete something), 130 when Ctrl-C stopped watching."
    })
final class CancelCommand implements Callable<Integer> {
  @ParentCommand Refarch root;

  @Mixin RunLookup run;

  @Mixin TemporalOptions temporal;

  @Override
  public Integer call() throws Exception {
    return run.read(
        root,
        temporal,
        (archive, saved) -> {
          root.out()
              .println(
                  saved.workflowId()
                      + " run "
                      + saved.runId()
                      + " has already ended (saved in "
                      + root.workDir().relativize(saved.file())
                      + "); nothing to cancel");
          return ExitCodes.OK;
        },
        this::cancel);
  }

  private int cancel(TemporalConnection connection, WorkflowExecution execution) throws Exception {
    PrintWriter out = root.out();
    RunWatcher watcher = new RunWatcher(connection.client(), Duration.ofMillis(250));
    RunWatcher.Observation now = watcher.observe(execution, null);
    if (now.closed()) {
      out.println(
          execution.getWorkflowId()
              + " run "
              + execution.getRunId()
              + " has already ended ("
              + now.status().name().replace("WORKFLOW_EXECUTION_STATUS_", "")
              + "); nothing to cancel");
      return ExitCodes.OK;
    }
    watcher.stub(execution).cancel();
    out.println(
        "Cancelling "
            + execution.getWorkflowId()
            + " (run "
            + execution.getRunId()
            + ") on "
            + connection.describe()
            + "; it deletes what it created, last first");
    out.flush();
    ProgressView view = root.tty() ? new TtyView(out) : new LineView(out, Instant.now());
    Interrupts interrupts = root.interrupts();
    int before = interrupts.count();
    RunWatcher.Observation last;
    try (AutoCloseable sigint = root.handlesSignals() ? interrupts.catchSigint() : () -> {}) {
      last = watcher.watch(execution, view, () -> interrupts.count() > before);
    }
    if (!last.closed()) {
      root.err().println();
      root.err().println("refarch: stopped watching; the cancellation goes on");
      return ExitCodes.DETACHED;
    }
    RunEnding ending = RunEnding.of(watcher.stub(execution), last.status());
    ending.print(out, last.snapshot());
    if (connection.local()) {
      SavedHistory.save(root, connection, execution, last.snapshot().progress());
    }
    return last.status() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED
        ? ExitCodes.OK
        : ending.exitCode();
  }
}
