package io.refarch.cli;

import io.refarch.cli.history.RunArchive;
import io.refarch.cli.history.RunAudit;
import io.refarch.cli.temporal.TemporalConnection;
import io.refarch.cli.watch.Durations;
import io.refarch.cli.watch.TextTable;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunSearchAttributes;
import io.refarch.workflow.TeardownClusterWorkflow;
import io.temporal.client.WorkflowExecutionMetadata;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Lists runs: workflow id, type, status, start time, duration and run id.",
      "With --temporal it asks the server (ListWorkflowExecutions on the workflow types and RefarchCloud/RefarchCluster);",
      "without it, it lists the runs up/down saved in .refarch/runs/ of this directory."
    })
final class ListCommand implements Callable<Integer> {
  @ParentCommand Refarch root;

  @Option(
      names = "--cloud",
      paramLabel = "CLOUD",
      description = "Only runs on this cloud: gcp, aws or azure.")
  String cloud;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description = "Only runs of clusters with this name.")
  String cluster;

  @Mixin TemporalOptions temporal;

  @Override
  public Integer call() throws Exception {
    String address = temporal.address(root.env());
    TextTable table = new TextTable("WORKFLOW ID", "TYPE", "STATUS", "STARTED", "TOOK", "RUN");
    int rows = 0;
    if (address == null) {
      for (RunArchive.ArchivedRun run : new RunArchive(root.runsDir()).all()) {
        RunAudit a = RunAudit.of(run.workflowId(), run.runId(), run.history().getEvents());
        if ((cloud == null || cloud.equals(a.cloud()))
            && (cluster == null || cluster.equals(a.cluster()))) {
          table.row(
              a.workflowId(), a.workflowType(), a.status(), a.startedAt(), a.duration(), a.runId());
          rows++;
        }
      }
    } else {
      try (TemporalConnection connection = TemporalConnection.remote(address, temporal.namespace)) {
        List<WorkflowExecutionMetadata> runs = connection.client().listExecutions(query()).toList();
        for (WorkflowExecutionMetadata m : runs) {
          table.row(
              m.getExecution().getWorkflowId(),
              m.getWorkflowType(),
              m.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
              String.valueOf(m.getStartTime()),
              m.getCloseTime() == null
                  ? ""
                  : Durations.format(Duration.between(m.getStartTime(), m.getCloseTime())),
              m.getExecution().getRunId());
          rows++;
        }
      }
    }
    if (rows == 0) {
      root.err()
          .println(
              address == null
                  ? "no runs saved in "
                      + root.runsDir()
                      + " (runs on a Temporal server: add --temporal HOST:PORT)"
                  : "no runs");
      return ExitCodes.OK;
    }
    table.lines("").forEach(root.out()::println);
    return ExitCodes.OK;
  }

  String query() {
    StringBuilder q =
        new StringBuilder(
            "(WorkflowType = '"
                + ProvisionClusterWorkflow.TYPE
                + "' OR WorkflowType = '"
                + TeardownClusterWorkflow.TYPE
                + "')");
    if (cloud != null) {
      q.append(" AND ")
          .append(RunSearchAttributes.CLOUD.getName())
          .append(" = '")
          .append(quote(cloud))
          .append('\'');
    }
    if (cluster != null) {
      q.append(" AND ")
          .append(RunSearchAttributes.CLUSTER.getName())
          .append(" = '")
          .append(quote(cluster))
          .append('\'');
    }
    return q.toString();
  }

  private static String quote(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }
}
