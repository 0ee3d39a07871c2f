package io.refarch.cli.watch;

import io.refarch.workflow.Progress;
import java.time.Instant;

/**
 * What a run looks like at one moment: the workflow's own {@code progress} answer, plus what only
 * the server knows about the step running now (its attempt and last failure, since Temporal retries
 * an activity without telling the workflow).
 *
 * @param progress null until the workflow has run its first task
 * @param running the server's view of the pending activity, or null
 */
public record Snapshot(Progress progress, RunningActivity running, Instant now) {

  /** The pending activity as DescribeWorkflowExecution reports it. */
  public record RunningActivity(String activityType, int attempt, String lastFailure) {}
}
