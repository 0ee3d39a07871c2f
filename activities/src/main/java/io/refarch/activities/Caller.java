package io.refarch.activities;

import io.refarch.workflow.TeardownClusterWorkflow;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;

/**
 * The run an activity works for, as Temporal tells it: the workflow's run id, which refarch writes
 * on what it creates, and whether the run tears a cluster down. A provisioning run's deletes are
 * its compensation and may remove only what that run created; a teardown removes what was made for
 * its cluster.
 */
public record Caller(String runId, boolean teardown) {

  /** The caller of the activity running on this thread. */
  public static Caller current() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    return new Caller(info.getRunId(), TeardownClusterWorkflow.TYPE.equals(info.getWorkflowType()));
  }
}
