package io.refarch.activities;

import io.refarch.activities.aks.AzureConnection;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.gke.operation.PollSchedule;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the activities need from the process hosting them.
 *
 * @param kubeconfigDir where kubeconfig files are written, one 0600 file per cluster
 * @param gcp how to reach Google Cloud
 * @param pollInitial first wait between polls of a long cloud operation, or of nodes to be ready
 * @param pollMax the wait between polls backs off up to this
 * @param nodeWait how long the node check waits for Ready nodes
 * @param stopping announced when the process begins to stop: waiting steps hand their attempt to
 *     another worker
 * @param operationPolls when to read a cloud operation again, from how long its type usually takes;
 *     null: real GKE's typical durations, backing off from {@code pollInitial} to {@code pollMax}
 * @param aws how to reach AWS; null: real AWS with the SDK's default credential chain, resolved
 *     only when an EKS step first runs
 * @param mirror where downloads (the tigera-operator manifest) come from instead of the internet:
 *     {@code https://host/path} is fetched as {@code <mirror>/host/path}, for air-gapped workers
 *     and the sandbox; null: from the internet
 * @param azure how to reach Azure; null: public Azure with azure-identity's default credential
 *     chain, resolved only when an AKS step first runs
 */
public record ActivityConfig(
    Path kubeconfigDir,
    GcpConnection gcp,
    Duration pollInitial,
    Duration pollMax,
    Duration nodeWait,
    WorkerStopping stopping,
    PollSchedule operationPolls,
    AwsConnection aws,
    URI mirror,
    AzureConnection azure) {

  /** Azure reached as {@link AzureConnection#real()}. */
  public ActivityConfig(
      Path kubeconfigDir,
      GcpConnection gcp,
      Duration pollInitial,
      Duration pollMax,
      Duration nodeWait,
      WorkerStopping stopping,
      PollSchedule operationPolls,
      AwsConnection aws,
      URI mirror) {
    this(
        kubeconfigDir,
        gcp,
        pollInitial,
        pollMax,
        nodeWait,
        stopping,
        operationPolls,
        aws,
        mirror,
        null);
  }

  /** Downloads from the internet. */
  public ActivityConfig(
      Path kubeconfigDir,
      GcpConnection gcp,
      Duration pollInitial,
      Duration pollMax,
      Duration nodeWait,
      WorkerStopping stopping,
      PollSchedule operationPolls,
      AwsConnection aws) {
    this(kubeconfigDir, gcp, pollInitial, pollMax, nodeWait, stopping, operationPolls, aws, null);
  }

  /** AWS reached as {@link AwsConnection#real()}. */
  public ActivityConfig(
      Path kubeconfigDir,
      GcpConnection gcp,
      Duration pollInitial,
      Duration pollMax,
      Duration nodeWait,
      WorkerStopping stopping,
      PollSchedule operationPolls) {
    this(kubeconfigDir, gcp, pollInitial, pollMax, nodeWait, stopping, operationPolls, null);
  }

  /** Operations polled as real GKE's usually take (see {@link PollSchedule#gke}). */
  public ActivityConfig(
      Path kubeconfigDir,
      GcpConnection gcp,
      Duration pollInitial,
      Duration pollMax,
      Duration nodeWait,
      WorkerStopping stopping) {
    this(kubeconfigDir, gcp, pollInitial, pollMax, nodeWait, stopping, null);
  }

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
    operationPolls =
        operationPolls == null ? PollSchedule.gke(pollInitial, pollMax) : operationPolls;
    aws = aws == null ? AwsConnection.real() : aws;
    azure = azure == null ? AzureConnection.real() : azure;
  }

  public static ActivityConfig defaults() {
    return new ActivityConfig(
        Path.of(System.getProperty("user.home"), ".refarch", "kubeconfig"),
        GcpConnection.real(),
        Duration.ofSeconds(2),
        // Waits grow no longer than 10 s: an operation that ends earlier than it usually does is
        // still seen soon (near its expected end the schedule reads every second).
        Duration.ofSeconds(10),
        Duration.ofMinutes(20));
  }

  public ActivityConfig withGcp(GcpConnection connection) {
    return new ActivityConfig(
        kubeconfigDir,
        connection,
        pollInitial,
        pollMax,
        nodeWait,
        stopping,
        operationPolls,
        aws,
        mirror,
        azure);
  }

  /** AWS reached through {@code connection}, e.g. an emulator's endpoint with static keys. */
  public ActivityConfig withAws(AwsConnection connection) {
    return new ActivityConfig(
        kubeconfigDir,
        gcp,
        pollInitial,
        pollMax,
        nodeWait,
        stopping,
        operationPolls,
        connection,
        mirror,
        azure);
  }

  public ActivityConfig withKubeconfigDir(Path dir) {
    return new ActivityConfig(
        dir, gcp, pollInitial, pollMax, nodeWait, stopping, operationPolls, aws, mirror, azure);
  }

  /** Waits handled as {@code signal} says, e.g. {@link WorkerStopping#handingBackEveryWait()}. */
  public ActivityConfig withStopping(WorkerStopping signal) {
    return new ActivityConfig(
        kubeconfigDir,
        gcp,
        pollInitial,
        pollMax,
        nodeWait,
        signal,
        operationPolls,
        aws,
        mirror,
        azure);
  }

  /** Operations polled by {@code schedule}, e.g. one for a sandbox's scaled latency. */
  public ActivityConfig withOperationPolls(PollSchedule schedule) {
    return new ActivityConfig(
        kubeconfigDir, gcp, pollInitial, pollMax, nodeWait, stopping, schedule, aws, mirror, azure);
  }

  /** Azure reached through {@code connection}, e.g. the sandbox's Resource Manager. */
  public ActivityConfig withAzure(AzureConnection connection) {
    return new ActivityConfig(
        kubeconfigDir,
        gcp,
        pollInitial,
        pollMax,
        nodeWait,
        stopping,
        operationPolls,
        aws,
        mirror,
        connection);
  }

  /** Downloads fetched from {@code downloads} (see {@link #mirror}); null: from the internet. */
  public ActivityConfig withMirror(URI downloads) {
    return new ActivityConfig(
        kubeconfigDir,
        gcp,
        pollInitial,
        pollMax,
        nodeWait,
        stopping,
        operationPolls,
        aws,
        downloads,
        azure);
  }
}
