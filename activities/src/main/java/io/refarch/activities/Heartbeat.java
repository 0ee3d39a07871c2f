package io.refarch.activities;

import io.refarch.workflow.AttemptReporter;
import io.refarch.workflow.FailureTypes;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationErrorCategory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Progress reported from inside a long activity. The details survive a failed attempt, so the next
 * attempt can resume (e.g. keep waiting for the cloud operation the last one started).
 *
 * <p>The workflow gives long activities a heartbeat timeout of 30 s by default (at least 10 s), so
 * that a worker that dies is replaced within it: a long activity must beat at least every {@link
 * #EVERY}, also while it waits between two polls (which may be {@code pollMax} apart). Calling
 * {@link #beat} often costs nothing: the SDK sends at most one heartbeat per 0.8 × the heartbeat
 * timeout.
 *
 * <p>A worker that hands every wait back ({@link WorkerStopping#handingBackEveryWait()}) does not
 * sleep between two reads at all: the attempt ends with a retryable {@link FailureTypes#WAITING}
 * failure whose next-retry delay is the wait, and the server starts the next attempt (on any
 * worker) when the wait is over. That attempt resumes from the heartbeat as after any other failed
 * attempt.
 */
public interface Heartbeat {

  /** The longest a long activity goes without a beat. */
  Duration EVERY = Duration.ofSeconds(5);

  void beat(String details);

  /** What the previous attempt last reported, if anything. */
  Optional<String> previous();

  /**
   * When the step's first attempt was scheduled, for a wait spread over attempts handed back to the
   * server: it keeps its back-off and its deadline. Empty where waits stay in their attempt.
   */
  default Optional<Instant> firstScheduled() {
    return Optional.empty();
  }

  /** The process's stop signal: a pause ends early, handing the attempt back, once announced. */
  default WorkerStopping stopping() {
    return new WorkerStopping();
  }

  /**
   * Sleeps {@code wait}, beating {@code details} at least every {@link #EVERY}, so a wait between
   * polls never looks like a dead worker.
   */
  default void pause(Duration wait, String details) {
    pause(this, wait, EVERY, details);
  }

  /**
   * {@link #pause(Duration, String)} with another beat interval (for tests).
   *
   * @throws io.temporal.failure.ApplicationFailure of type {@link FailureTypes#WORKER_STOPPING},
   *     retried at once on another worker, when this worker begins to stop during the pause
   */
  static void pause(Heartbeat heartbeat, Duration wait, Duration every, String details) {
    if (heartbeat.stopping().handsBackEveryWait()) {
      // The mark tells the attempt reporter not to signal the run for each read.
      heartbeat.beat(AttemptReporter.handedBack(details));
      // Benign: a read that found the operation running is no failure.
      throw Failures.retryableAfter(
          FailureTypes.WAITING,
          "next read in " + wait.toMillis() + " ms: " + details,
          wait,
          ApplicationErrorCategory.BENIGN);
    }
    long left = wait.toMillis();
    try {
      while (left > 0) {
        long slice = Math.min(left, every.toMillis());
        if (heartbeat.stopping().sleep(Duration.ofMillis(slice))) {
          heartbeat.beat(details);
          throw WorkerStopping.handBack(details);
        }
        left -= slice;
        heartbeat.beat(details);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting: " + details, e);
    }
  }

  /** The heartbeat of the activity running on this thread; its pauses end when the worker stops. */
  static Heartbeat ofCurrentActivity(WorkerStopping stopping) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    return new Heartbeat() {
      @Override
      public WorkerStopping stopping() {
        return stopping;
      }

      /**
       * A worker that hands its waits back sends no beat the server already holds: each read is an
       * attempt of a few milliseconds, which needs no beat to look alive, and the details of the
       * last attempt stay the step's until a beat or a failure carries others. So a read that finds
       * the operation running costs one request to Temporal (the failure), not two.
       */
      @Override
      public void beat(String details) {
        if (stopping.handsBackEveryWait() && held(details)) {
          return;
        }
        try {
          context.heartbeat(details);
        } catch (ActivityWorkerShutdownException shutDown) {
          // An attempt that reached this worker as it stopped (its last poll was still open) or
          // that beats after the stop: handed back like a pause that sees the stop, so the step's
          // history says why, and the next attempt comes after 1 s instead of the SDK's back-off.
          throw WorkerStopping.handBack(details);
        }
      }

      /** Whether the step's details are already {@code details}, handed back or not. */
      private boolean held(String details) {
        Optional<String> held;
        try {
          held = context.getHeartbeatDetails(String.class);
        } catch (RuntimeException notText) {
          return false;
        }
        return held.isPresent()
            && (held.get().equals(details)
                || (!AttemptReporter.isHandedBack(details)
                    && AttemptReporter.unmarked(held.get()).equals(details)));
      }

      @Override
      public Optional<String> previous() {
        return context.getHeartbeatDetails(String.class).map(AttemptReporter::unmarked);
      }

      /**
       * Only where waits are handed back, whose every read is an attempt: otherwise an attempt
       * counts its wait from its own start, so one that starts long after it was scheduled (no
       * worker was up) does not find its node check's deadline already past.
       */
      @Override
      public Optional<Instant> firstScheduled() {
        if (!stopping.handsBackEveryWait()) {
          return Optional.empty();
        }
        Instant scheduled = Instant.ofEpochMilli(context.getInfo().getScheduledTimestamp());
        Instant now = Instant.now();
        // The server's clock: never trusted to be ahead of ours.
        return Optional.of(scheduled.isAfter(now) ? now : scheduled);
      }
    };
  }
}
