package io.refarch.cli;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.TeardownClusterWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import picocli.CommandLine.Command;

@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Deletes everything a provisioning run of the spec creates, last created first: starts the TeardownCluster workflow",
      "(same workflow id as up, so the two never run at once) and shows its steps until it ends. What is already gone",
      "counts as deleted; a delete that fails does not stop the others, and the summary lists what is left and why.",
      "Without --temporal it runs where up does (refarch's local Temporal, or this process) and its history is saved under",
      ".refarch/runs/; Ctrl-C behaves as for up. Exit 0 when everything is gone, 1 when something is left, 2 on bad input,",
      "3 when a run for the cluster is going, 130 when Ctrl-C detached."
    })
final class DownCommand extends RunCommand {
  @Override
  String workflowType() {
    return TeardownClusterWorkflow.TYPE;
  }

  @Override
  WorkflowExecution start(WorkflowClient client, WorkflowOptions options, ClusterSpec spec) {
    TeardownClusterWorkflow workflow =
        client.newWorkflowStub(TeardownClusterWorkflow.class, options);
    return WorkflowClient.start(workflow::teardown, spec);
  }
}
