package io.refarch.workflow;

import io.refarch.spec.ClusterSpec;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Provisions the reference-architecture cluster of one spec, step by step; on failure or
 * cancellation it deletes, in reverse order, everything the run created.
 *
 * <p>A failed run ends as a failed workflow whose {@code ApplicationFailure} (type {@link
 * FailureTypes#PROVISION_FAILED}) carries the {@link RunOutcome} as its details.
 */
@WorkflowInterface
public interface ProvisionClusterWorkflow {
  String TYPE = "ProvisionCluster";
  String ATTEMPT_SIGNAL = "activityAttempt";

  @WorkflowMethod(name = TYPE)
  RunOutcome provision(ClusterSpec spec);

  /** Each step with its state, attempt, start and end time, and last error. */
  @QueryMethod
  Progress progress();

  /**
   * An activity of this run started attempt {@code attempt}; sent by {@link AttemptReporter} on the
   * worker. {@code step} is the number of the step whose activity it was; signals sent before steps
   * carried it have none (null), and {@code scheduledAtMillis} tells which step's it was.
   */
  @SignalMethod(name = ProvisionClusterWorkflow.ATTEMPT_SIGNAL)
  void activityAttempt(long scheduledAtMillis, int attempt, String step);
}
