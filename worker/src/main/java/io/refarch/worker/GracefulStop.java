package io.refarch.worker;

import io.refarch.activities.WorkerStopping;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * What SIGTERM does to a worker (a rolling update, {@code docker compose up} recreating it): first
 * of all beans to stop, it stops polling, tells waiting steps to hand their attempts to another
 * worker ({@link WorkerStopping}), and waits for every running attempt to report before the
 * connection to Temporal closes. Without it the SDK's connection closed at once and each running
 * step sat out the heartbeat timeout before another worker took it.
 */
@Component
class GracefulStop implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

  /** Within Spring's 30 s per shutdown phase (spring.lifecycle.timeout-per-shutdown-phase). */
  static final Duration REPORT_WAIT = Duration.ofSeconds(25);

  private final WorkerStopping stopping;
  private final ObjectProvider<WorkerFactory> factory;
  private volatile boolean running;

  GracefulStop(WorkerStopping stopping, ObjectProvider<WorkerFactory> factory) {
    this.stopping = stopping;
    this.factory = factory;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    WorkerFactory workers = factory.getIfAvailable();
    if (workers == null) {
      stopping.announce();
      return;
    }
    LOG.info("stopping: no new tasks; waiting steps hand their attempts to another worker");
    // Polling stops before any attempt is handed back, so no poll of this worker is opened for the
    // next attempt. One already open may still receive it; that attempt is handed back at once
    // (Heartbeat: a beat the stopped worker refuses becomes the same WorkerStopping failure).
    workers.shutdown();
    stopping.announce();
    workers.awaitTermination(REPORT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        workers.isTerminated()
            ? "stopped: every running attempt reported"
            : "stopped with attempts still running; Temporal retries them after their timeout");
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before everything else, while the connection to Temporal is still open. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
