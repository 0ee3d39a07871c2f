package io.refarch.workflow;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress.Phase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;

public class TeardownClusterWorkflowImpl implements TeardownClusterWorkflow {
  private Run run;

  @Override
  public RunOutcome teardown(ClusterSpec spec) {
    Versions versions = Versions.ofWorkflow();
    run =
        Run.teardown(
            spec.cloud().id(),
            spec.name(),
            Procedures.plan(spec, versions),
            Workflow::currentTimeMillis,
            RunAttributes::currentStep,
            versions);
    ActivityStubs stubs = new ActivityStubs(spec, run::activitySummary);
    // Declaring the procedure in teardown mode only registers its deletes.
    Procedures.forSpec(spec, stubs.gke, stubs.eks, stubs.aks, stubs.kube).run(spec, run);
    run.compensate();
    if (run.leftSomething()) {
      run.finish(Phase.FAILED);
      RunOutcome outcome = RunOutcomes.of(spec, run, null, null);
      throw ApplicationFailure.newNonRetryableFailure(
          RunOutcomes.summary(outcome), FailureTypes.TEARDOWN_INCOMPLETE, outcome);
    }
    run.finish(Phase.SUCCEEDED);
    return RunOutcomes.of(spec, run, null, null);
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
