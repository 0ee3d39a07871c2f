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
      "created, last first. Without --temporal the run happens in this process and its history is saved under .refarch/runs/;",
      "Ctrl-C then cancels it (and waits while it deletes what it created). With --temporal, Ctrl-C only stops watching.",
      "Exit 0 when the cluster is up, 1 when the run failed or was cancelled, 2 on bad input, 3 when a run for the",
      "cluster is already going."
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
