package io.refarch.workflow;

import io.refarch.spec.ClusterSpec;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Deletes everything a provisioning run of the same spec creates, in reverse order. What is already
 * gone counts as deleted, so a teardown after a partial run, or a second teardown, is safe. It does
 * not stop at the first resource that cannot be deleted: it tries every one and reports what is
 * left.
 */
@WorkflowInterface
public interface TeardownClusterWorkflow {
  String TYPE = "TeardownCluster";

  @WorkflowMethod(name = TYPE)
  RunOutcome teardown(ClusterSpec spec);

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
