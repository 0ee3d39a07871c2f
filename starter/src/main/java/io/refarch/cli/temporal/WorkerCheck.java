package io.refarch.cli.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.refarch.spec.Cloud;
import io.refarch.workflow.WorkerCapabilities;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Before {@code up}/{@code down --temporal} starts a run: can the workers of the task queue run the
 * spec's cloud? Temporal lists a task queue's pollers (DescribeTaskQueue) with their identities,
 * and every refarch worker's identity names its clouds ({@code 12345@host refarch-worker[gcp]});
 * {@link WorkerCapabilities} says why it is done this way.
 *
 * <p>What it decides:
 *
 * <ul>
 *   <li>workers poll, and some say they cannot run the cloud: refused. If none can, the run would
 *       fail at its first step; if only some can, Temporal gives each step to any worker of the
 *       queue, so the run would fail whenever one landed on a worker without the cloud.
 *   <li>no worker polls: a warning, and the run starts. A worker may be starting or restarting; the
 *       run waits for one, and fails fast with the reason if the one it gets lacks the cloud.
 *   <li>workers poll without saying what they can run (older refarch workers, or not refarch's), or
 *       the server cannot list pollers: a warning, and the run starts.
 * </ul>
 *
 * <p>The server lists every worker that polled in the last few minutes (5 on Temporal's server), so
 * a worker that was just stopped still counts for that long.
 */
public final class WorkerCheck {
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  public enum Verdict {
    /** Every worker that says what it can run can run the cloud; nothing to report. */
    CAN_RUN,
    /** Start, but tell the user what could not be checked. */
    WARN,
    /** Do not start: some or all workers of the queue cannot run the cloud. */
    REFUSE
  }

  /**
   * @param message what to tell the user; null when there is nothing to say
   */
  public record Result(Verdict verdict, String message) {}

  /** One poller of the task queue, as the server lists it. */
  public record Poller(String identity, Instant lastAccess) {}

  private WorkerCheck() {}

  /** Asks the server for the activity pollers of {@code taskQueue} and judges them. */
  public static Result check(
      WorkflowServiceStubs stubs, String namespace, String taskQueue, Cloud cloud) {
    List<Poller> pollers = new ArrayList<>();
    try {
      List<PollerInfo> listed =
          stubs
              .blockingStub()
              .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .describeTaskQueue(
                  DescribeTaskQueueRequest.newBuilder()
                      .setNamespace(namespace)
                      .setTaskQueue(
                          TaskQueue.newBuilder()
                              .setName(taskQueue)
                              .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                      // The activities are what a worker may lack; every worker has the workflows.
                      .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                      .build())
              .getPollersList();
      for (PollerInfo p : listed) {
        Instant last =
            p.hasLastAccessTime()
                ? Instant.ofEpochSecond(
                    p.getLastAccessTime().getSeconds(), p.getLastAccessTime().getNanos())
                : null;
        pollers.add(new Poller(p.getIdentity(), last));
      }
    } catch (StatusRuntimeException e) {
      String why =
          e.getStatus().getCode() == Status.Code.UNIMPLEMENTED
              ? "this server does not list pollers"
              : e.getStatus().getCode()
                  + (e.getStatus().getDescription() == null
                      ? ""
                      : ": " + e.getStatus().getDescription());
      return new Result(
          Verdict.WARN,
          "could not list the workers of task queue "
              + taskQueue
              + " ("
              + why
              + "), so whether they can run cloud "
              + cloud.id()
              + " is not checked; starting anyway (a worker without it fails the run at its first"
              + " step)");
    }
    return judge(pollers, cloud, taskQueue, Instant.now());
  }

  /** The decision for the pollers a server listed; {@code now} only dates them in messages. */
  public static Result judge(List<Poller> pollers, Cloud cloud, String taskQueue, Instant now) {
    if (pollers.isEmpty()) {
      return new Result(
          Verdict.WARN,
          "no worker polls task queue "
              + taskQueue
              + " now; starting anyway: the run waits for a worker, which must be able to run"
              + " cloud "
              + cloud.id()
              + " (a refarch worker names its clouds in its identity, e.g. refarch-worker["
              + cloud.id()
              + "])");
    }
    List<Poller> can = new ArrayList<>();
    List<Poller> cannot = new ArrayList<>();
    List<Poller> unknown = new ArrayList<>();
    for (Poller p : pollers) {
      Optional<Set<Cloud>> clouds = WorkerCapabilities.advertised(p.identity());
      if (clouds.isEmpty()) {
        unknown.add(p);
      } else if (clouds.get().contains(cloud)) {
        can.add(p);
      } else {
        cannot.add(p);
      }
    }
    String seen = "workers seen: " + describe(pollers, now);
    if (!cannot.isEmpty()) {
      String why =
          can.isEmpty()
              ? "no worker of task queue " + taskQueue + " can run cloud " + cloud.id()
              : cannot.size()
                  + " of the "
                  + pollers.size()
                  + " workers of task queue "
                  + taskQueue
                  + " cannot run cloud "
                  + cloud.id()
                  + ", and Temporal gives each step to any worker of the queue, so the run"
                  + " would fail on one of them";
      return new Result(
          Verdict.REFUSE,
          why
              + " ("
              + seen
              + "). Every worker of the queue needs the "
              + cloud.id()
              + " activities (a worker that stopped stays listed for about 5 minutes); nothing"
              + " was started");
    }
    if (!unknown.isEmpty()) {
      return new Result(
          Verdict.WARN,
          "some workers of task queue "
              + taskQueue
              + " do not say which clouds they can run (older refarch workers, or not refarch's),"
              + " so whether they can run cloud "
              + cloud.id()
              + " is not checked; starting anyway ("
              + seen
              + ")");
    }
    return new Result(Verdict.CAN_RUN, null);
  }

  private static String describe(List<Poller> pollers, Instant now) {
    return pollers.stream()
        .map(
            p -> {
              String clouds =
                  WorkerCapabilities.advertised(p.identity())
                      .map(c -> c.isEmpty() ? "no cloud" : "can run " + WorkerCapabilities.ids(c))
                      .orElse("clouds unknown");
              String last =
                  p.lastAccess() == null
                      ? ""
                      : ", polled "
                          + Math.max(0, Duration.between(p.lastAccess(), now).toSeconds())
                          + "s ago";
              return p.identity() + " (" + clouds + last + ")";
            })
        .collect(Collectors.joining("; "));
  }
}
