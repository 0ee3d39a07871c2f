package io.refarch.cli.watch;

import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.Progress;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Follows a run by polling: the workflow's {@code progress} query for the steps, and
 * DescribeWorkflowExecution for the server-side attempt and last failure of the running step.
 */
public final class RunWatcher {
  private final WorkflowClient client;
  private final Duration interval;

  public RunWatcher(WorkflowClient client, Duration interval) {
    this.client = client;
    this.interval = interval;
  }

  public record Observation(WorkflowExecutionStatus status, Snapshot snapshot) {
    public boolean closed() {
      return status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }
  }

  /** Shows the run until it closes; returns its last observation. */
  public Observation watch(WorkflowExecution execution, ProgressView view)
      throws InterruptedException {
    return watch(execution, view, () -> false);
  }

  /**
   * Shows the run until it closes or {@code stop} says to stop watching (Ctrl-C); returns the last
   * observation, still open when watching stopped first.
   */
  public Observation watch(WorkflowExecution execution, ProgressView view, BooleanSupplier stop)
      throws InterruptedException {
    Progress last = null;
    while (true) {
      Observation o = observe(execution, last);
      last = o.snapshot().progress();
      if (o.closed()) {
        view.done(o.snapshot());
        return o;
      }
      view.update(o.snapshot());
      long until = System.nanoTime() + interval.toNanos();
      do {
        if (stop.getAsBoolean()) {
          return o;
        }
        Thread.sleep(Math.min(50, interval.toMillis()));
      } while (System.nanoTime() < until);
    }
  }

  /**
   * One look at the run; {@code previous} stands in when the query cannot be answered right now.
   */
  public Observation observe(WorkflowExecution execution, Progress previous) {
    DescribeWorkflowExecutionResponse d =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setExecution(execution)
                    .build());
    Progress progress = previous;
    try {
      Progress answered =
          client
              .newUntypedWorkflowStub(
                  execution.getWorkflowId(), Optional.of(execution.getRunId()), Optional.empty())
              .query("progress", Progress.class);
      if (answered != null) {
        progress = answered;
      }
    } catch (RuntimeException e) {
      // Before the first workflow task, or with no worker up: show what was seen last.
    }
    Snapshot.RunningActivity running = null;
    if (d.getPendingActivitiesCount() > 0) {
      running = running(d.getPendingActivities(0));
    }
    return new Observation(
        d.getWorkflowExecutionInfo().getStatus(), new Snapshot(progress, running, Instant.now()));
  }

  /**
   * The step's activity as the server shows it. An attempt that ended by handing its wait back to
   * the server (a worker with {@code REFARCH_HAND_BACK_WAITS}) is a read, not a retry: neither its
   * number nor its "failure" is shown.
   */
  static Snapshot.RunningActivity running(PendingActivityInfo a) {
    boolean read =
        a.hasLastFailure()
            && a.getLastFailure().hasApplicationFailureInfo()
            && FailureTypes.WAITING.equals(
                a.getLastFailure().getApplicationFailureInfo().getType());
    return new Snapshot.RunningActivity(
        a.getActivityType().getName(),
        read ? 1 : a.getAttempt(),
        a.hasLastFailure() && !read ? describe(a.getLastFailure()) : null);
  }

  /** "Type: message" as the workflow's own progress writes failures. */
  public static String describe(Failure f) {
    Failure root = f;
    while (root.hasCause() && !root.hasApplicationFailureInfo()) {
      root = root.getCause();
    }
    String type =
        root.hasApplicationFailureInfo()
            ? root.getApplicationFailureInfo().getType()
            : root.hasTimeoutFailureInfo() ? "Timeout" : root.getFailureInfoCase().name();
    return type + ": " + root.getMessage();
  }

  public WorkflowStub stub(WorkflowExecution execution) {
    return client.newUntypedWorkflowStub(
        execution.getWorkflowId(), Optional.of(execution.getRunId()), Optional.empty());
  }
}
