package io.refarch.workflow;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Procedure.Provisioned;
import io.refarch.workflow.Progress.Phase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;

public class ProvisionClusterWorkflowImpl implements ProvisionClusterWorkflow {
  private Run run;

  @Override
  public RunOutcome provision(ClusterSpec spec) {
    Versions versions = Versions.ofWorkflow();
    run =
        Run.provisioning(
            spec.cloud().id(),
            spec.name(),
            Procedures.plan(spec, versions),
            Workflow::currentTimeMillis,
            RunAttributes::currentStep,
            versions);
    ActivityStubs stubs = new ActivityStubs(spec, run::activitySummary);
    Procedure procedure = Procedures.forSpec(spec, stubs.gke, stubs.eks, stubs.aks, stubs.kube);
    try {
      Provisioned done = procedure.run(spec, run);
      run.finish(Phase.SUCCEEDED);
      return RunOutcomes.of(spec, run, null, done);
    } catch (TemporalFailure failure) {
      boolean cancelled = CancellationScope.current().isCancelRequested();
      if (spec.keepsOnFailure()) {
        run.keep();
      } else {
        // Detached: the deletes must run even though the workflow itself is being cancelled.
        Workflow.newDetachedCancellationScope(run::compensate).run();
      }
      run.finish(cancelled ? Phase.CANCELLED : Phase.FAILED);
      RunOutcome outcome = RunOutcomes.of(spec, run, failure, null);
      if (cancelled) {
        throw new CanceledFailure(RunOutcomes.summary(outcome));
      }
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          RunOutcomes.summary(outcome), FailureTypes.PROVISION_FAILED, failure, outcome);
    }
  }

  @Override
  public void activityAttempt(long scheduledAtMillis, int attempt, String step) {
    if (run != null) {
      run.attempt(scheduledAtMillis, attempt, step);
    }
  }

  @Override
  public Progress progress() {
    return run == null ? null : run.progress();
  }
}
