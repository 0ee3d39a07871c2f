package io.refarch.cli;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import picocli.CommandLine.Command;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Provisions the cluster of a spec: starts the ProvisionCluster workflow (id refarch/<cloud>/<owner>/<region>/<name>,",
      "task queue refarch) and shows its steps until it ends. A step that fails for good makes the run delete what it",
      "created, last first. Without --temporal the run goes to refarch's local Temporal (with the temporal CLI; the same",
      "command again follows a run that is going) or, without the CLI, lives in this process; its history is saved under",
      ".refarch/runs/ when the command ends. Ctrl-C detaches from a run on a server (local or --temporal), which goes on;",
      "Ctrl-C twice cancels it and shows its compensation to the end. In this process, Ctrl-C cancels it.",
      "Exit 0 when the cluster is up, 1 when the run failed or was cancelled, 2 on bad input, 3 when a run for the",
      "cluster is already going, 130 when Ctrl-C detached."
    })
final class UpCommand extends RunCommand {
  @Override
  String workflowType() {
    return ProvisionClusterWorkflow.TYPE;
  }

  @Override
  WorkflowExecution start(WorkflowClient client, WorkflowOptions options, ClusterSpec spec) {
    ProvisionClusterWorkflow workflow =
        client.newWorkflowStub(ProvisionClusterWorkflow.class, options);
    return WorkflowClient.start(workflow::provision, spec);
  }
}
