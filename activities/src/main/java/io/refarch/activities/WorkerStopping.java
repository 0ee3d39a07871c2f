package io.refarch.activities;

import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Announced when the worker process begins to stop (SIGTERM: a rolling update, {@code docker
 * compose up} recreating it). A step that is only waiting (on a cloud operation, on nodes) then
 * hands its attempt back at once instead of holding it until the process is gone: it fails
 * retryably, its last heartbeat kept, and Temporal starts the next attempt on another worker within
 * seconds, instead of after the heartbeat timeout. The next attempt resumes from that heartbeat
 * (the same cloud operation), so nothing is requested twice.
 */
public final class WorkerStopping {
  /** How soon the next attempt may start, whatever the retry policy's back-off has reached. */
  static final Duration NEXT_ATTEMPT_AFTER = Duration.ofSeconds(1);

  private final CountDownLatch stopping = new CountDownLatch(1);
  private final boolean handsBackEveryWait;

  /** A signal of its own, announced by nobody until {@link #announce()}. */
  public WorkerStopping() {
    this(false);
  }

  private WorkerStopping(boolean handsBackEveryWait) {
    this.handsBackEveryWait = handsBackEveryWait;
  }

  /**
   * A signal for a process whose waiting steps hand every wait between two reads back to the
   * server, stopping or not (see {@link Heartbeat#pause}): a wait then holds no activity slot and
   * no thread, so one worker can drive as many runs as its reads keep up with.
   */
  public static WorkerStopping handingBackEveryWait() {
    return new WorkerStopping(true);
  }

  /** Whether every wait between two reads goes back to the server. */
  public boolean handsBackEveryWait() {
    return handsBackEveryWait;
  }

  /** Tells every waiting step of this process to hand its attempt back. */
  public void announce() {
    stopping.countDown();
  }

  public boolean announced() {
    return stopping.getCount() == 0;
  }

  /**
   * The failure that hands an attempt back: retryable, the next attempt after {@link
   * #NEXT_ATTEMPT_AFTER} on whichever worker polls, resuming from the step's last heartbeat.
   */
  static ApplicationFailure handBack(String details) {
    return Failures.retryableAfter(
        FailureTypes.WORKER_STOPPING,
        "this worker is stopping; the next attempt continues on another worker (" + details + ")",
        NEXT_ATTEMPT_AFTER);
  }

  /** Sleeps {@code wait}, or less when the worker begins to stop; true in the latter case. */
  boolean sleep(Duration wait) throws InterruptedException {
    return stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }
}
