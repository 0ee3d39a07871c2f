package io.refarch.activities;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the activities need from the process hosting them.
 *
 * @param kubeconfigDir where kubeconfig files are written, one 0600 file per cluster
 * @param gcp how to reach Google Cloud
 * @param pollInitial first wait between polls of a long cloud operation
 * @param pollMax the wait between polls backs off up to this
 * @param nodeWait how long the node check waits for Ready nodes
 * @param stopping announced when the process begins to stop: waiting steps hand their attempt to
 *     another worker
 */
public record ActivityConfig(
    Path kubeconfigDir,
    GcpConnection gcp,
    Duration pollInitial,
    Duration pollMax,
    Duration nodeWait,
    WorkerStopping stopping) {

  /** A process that never announces its stop (tests, the CLI's embedded worker). */
  public ActivityConfig(
      Path kubeconfigDir,
      GcpConnection gcp,
      Duration pollInitial,
      Duration pollMax,
      Duration nodeWait) {
    this(kubeconfigDir, gcp, pollInitial, pollMax, nodeWait, new WorkerStopping());
  }

  public ActivityConfig {
    if (kubeconfigDir == null
        || gcp == null
        || pollInitial == null
        || pollMax == null
        || nodeWait == null
        || stopping == null) {
      throw new IllegalArgumentException("every field of ActivityConfig is required");
    }
    if (pollInitial.isNegative() || pollInitial.isZero() || pollMax.compareTo(pollInitial) < 0) {
      throw new IllegalArgumentException(
          "pollInitial must be positive and pollMax at least pollInitial");
    }
  }

  public static ActivityConfig defaults() {
    return new ActivityConfig(
        Path.of(System.getProperty("user.home"), ".refarch", "kubeconfig"),
        GcpConnection.real(),
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        Duration.ofMinutes(20));
  }

  public ActivityConfig withGcp(GcpConnection connection) {
    return new ActivityConfig(kubeconfigDir, connection, pollInitial, pollMax, nodeWait, stopping);
  }

  public ActivityConfig withKubeconfigDir(Path dir) {
    return new ActivityConfig(dir, gcp, pollInitial, pollMax, nodeWait, stopping);
  }
}
