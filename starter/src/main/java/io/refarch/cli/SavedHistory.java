package io.refarch.cli;

import io.refarch.cli.history.RunArchive;
import io.refarch.cli.temporal.TemporalConnection;
import io.refarch.workflow.Progress;
import io.temporal.api.common.v1.WorkflowExecution;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * A run's history (and last progress) saved under .refarch/runs/ of the working directory, where
 * status, history and list read it without a server: whenever up, down or cancel end, for runs on
 * the in-process or the local Temporal.
 */
final class SavedHistory {
  private SavedHistory() {}

  static void save(
      Refarch root, TemporalConnection connection, WorkflowExecution execution, Progress progress) {
    PrintWriter out = root.out();
    String workflowId = execution.getWorkflowId();
    try {
      RunArchive archive = new RunArchive(root.runsDir());
      Path saved =
          archive.save(
              workflowId,
              execution.getRunId(),
              connection.client().fetchHistory(workflowId, execution.getRunId()));
      if (progress != null) {
        archive.saveProgress(workflowId, execution.getRunId(), progress);
      }
      out.println(
          "History: " + root.workDir().relativize(saved) + " (refarch history " + workflowId + ")");
    } catch (IOException | RuntimeException e) {
      root.err().println("refarch: could not save the history: " + Errors.message(e));
    }
    out.flush();
  }
}
