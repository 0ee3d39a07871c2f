package io.refarch.sandbox;

import io.refarch.sandbox.aws.quotas.AwsQuotas;
import io.refarch.sandbox.azure.AzureOptions;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.gcp.GcpProject;
import io.refarch.sandbox.kube.KubeTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a sandbox runs.
 *
 * @param stateDir where the emulated clouds keep their JSON state, so it outlives the process
 * @param port port of the GCP REST endpoint on 127.0.0.1; 0 picks a free one. The IAM gRPC endpoint
 *     takes port + 1, the AWS endpoint port + 2 and the Azure endpoint port + 3 when a port is
 *     given, free ones otherwise.
 * @param operationDuration how long each GKE operation stays RUNNING before it is DONE, unless
 *     {@code latency} says otherwise
 * @param faults errors to inject, see {@link Sandbox#parseFault(String)}
 * @param tokenLifetime how long a token of the sandbox's token endpoint opens its clusters' APIs
 *     (an hour, as Google's access tokens; shorter in tests of expiry)
 * @param gcp how the emulated projects are set up: APIs disabled, quota limits (what {@code refarch
 *     preflight} checks)
 * @param nodeRegistrationDelay how long after its pool runs a node appears in the cluster's API
 *     (zero: at once; longer makes the node check wait, as for kubelets that join late)
 * @param latency how long each kind of operation takes; null: every one {@code operationDuration}
 *     ({@link Latency#flat})
 * @param awsQuotas the AWS account's quotas (vCPUs, Elastic IPs) that {@code refarch preflight}
 *     reads; null: AWS's defaults
 * @param azure the Azure side: Entra's token lifetime and the subscription's vCPU quotas; null:
 *     {@link AzureOptions#defaults()}
 */
public record SandboxOptions(
    Path stateDir,
    int port,
    Duration operationDuration,
    List<Fault> faults,
    Duration tokenLifetime,
    GcpProject gcp,
    Duration nodeRegistrationDelay,
    Latency latency,
    AwsQuotas awsQuotas,
    AzureOptions azure) {

  /** Azure's defaults. */
  public SandboxOptions(
      Path stateDir,
      int port,
      Duration operationDuration,
      List<Fault> faults,
      Duration tokenLifetime,
      GcpProject gcp,
      Duration nodeRegistrationDelay,
      Latency latency,
      AwsQuotas awsQuotas) {
    this(
        stateDir,
        port,
        operationDuration,
        faults,
        tokenLifetime,
        gcp,
        nodeRegistrationDelay,
        latency,
        awsQuotas,
        null);
  }

  /** AWS's default quotas. */
  public SandboxOptions(
      Path stateDir,
      int port,
      Duration operationDuration,
      List<Fault> faults,
      Duration tokenLifetime,
      GcpProject gcp,
      Duration nodeRegistrationDelay,
      Latency latency) {
    this(
        stateDir,
        port,
        operationDuration,
        faults,
        tokenLifetime,
        gcp,
        nodeRegistrationDelay,
        latency,
        null);
  }

  /** Every operation takes {@code operationDuration}. */
  public SandboxOptions(
      Path stateDir,
      int port,
      Duration operationDuration,
      List<Fault> faults,
      Duration tokenLifetime,
      GcpProject gcp,
      Duration nodeRegistrationDelay) {
    this(
        stateDir, port, operationDuration, faults, tokenLifetime, gcp, nodeRegistrationDelay, null);
  }

  /** Tokens for an hour, every API enabled, the default quota limits. */
  public SandboxOptions(Path stateDir, int port, Duration operationDuration, List<Fault> faults) {
    this(
        stateDir,
        port,
        operationDuration,
        faults,
        KubeTokens.DEFAULT_LIFETIME,
        GcpProject.defaults(),
        Duration.ZERO);
  }

  public SandboxOptions {
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(operationDuration, "operationDuration");
    if (port < 0 || port > 65532) {
      throw new IllegalArgumentException("port must be between 0 and 65532, got " + port);
    }
    if (operationDuration.isNegative()) {
      throw new IllegalArgumentException(
          "operationDuration must not be negative, got " + operationDuration);
    }
    faults = faults == null ? List.of() : List.copyOf(faults);
    tokenLifetime = tokenLifetime == null ? KubeTokens.DEFAULT_LIFETIME : tokenLifetime;
    if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
      throw new IllegalArgumentException("tokenLifetime must be positive, got " + tokenLifetime);
    }
    gcp = gcp == null ? GcpProject.defaults() : gcp;
    nodeRegistrationDelay = nodeRegistrationDelay == null ? Duration.ZERO : nodeRegistrationDelay;
    if (nodeRegistrationDelay.isNegative()) {
      throw new IllegalArgumentException(
          "nodeRegistrationDelay must not be negative, got " + nodeRegistrationDelay);
    }
    latency = latency == null ? Latency.flat(operationDuration) : latency;
    awsQuotas = awsQuotas == null ? AwsQuotas.defaults() : awsQuotas;
    azure = azure == null ? AzureOptions.defaults() : azure;
  }

  /**
   * Fast enough that a whole provisioning run takes a few seconds, slow enough to see operations
   * RUNNING.
   */
  public static SandboxOptions defaults(Path stateDir) {
    return new SandboxOptions(stateDir, 0, Duration.ofMillis(300), List.of());
  }

  public SandboxOptions withFaults(List<Fault> newFaults) {
    return new SandboxOptions(
        stateDir,
        port,
        operationDuration,
        newFaults,
        tokenLifetime,
        gcp,
        nodeRegistrationDelay,
        latency,
        awsQuotas,
        azure);
  }

  /** Every operation takes {@code duration} (a latency profile set before is replaced). */
  public SandboxOptions withOperationDuration(Duration duration) {
    return new SandboxOptions(
        stateDir,
        port,
        duration,
        faults,
        tokenLifetime,
        gcp,
        nodeRegistrationDelay,
        Latency.flat(duration),
        awsQuotas,
        azure);
  }

  public SandboxOptions withTokenLifetime(Duration lifetime) {
    return new SandboxOptions(
        stateDir,
        port,
        operationDuration,
        faults,
        lifetime,
        gcp,
        nodeRegistrationDelay,
        latency,
        awsQuotas,
        azure);
  }

  public SandboxOptions withGcp(GcpProject project) {
    return new SandboxOptions(
        stateDir,
        port,
        operationDuration,
        faults,
        tokenLifetime,
        project,
        nodeRegistrationDelay,
        latency,
        awsQuotas,
        azure);
  }

  public SandboxOptions withNodeRegistrationDelay(Duration delay) {
    return new SandboxOptions(
        stateDir,
        port,
        operationDuration,
        faults,
        tokenLifetime,
        gcp,
        delay,
        latency,
        awsQuotas,
        azure);
  }

  /** Operations take what {@code profile} says, e.g. {@code realistic:1/60}. */
  public SandboxOptions withLatency(Latency profile) {
    return new SandboxOptions(
        stateDir,
        port,
        operationDuration,
        faults,
        tokenLifetime,
        gcp,
        nodeRegistrationDelay,
        profile,
        awsQuotas,
        azure);
  }

  public SandboxOptions withAwsQuotas(AwsQuotas quotas) {
    return new SandboxOptions(
        stateDir,
        port,
        operationDuration,
        faults,
        tokenLifetime,
        gcp,
        nodeRegistrationDelay,
        latency,
        quotas,
        azure);
  }

  /** The AWS quota {@code code} (e.g. {@link AwsQuotas#STANDARD_VCPUS}) at {@code limit}. */
  public SandboxOptions withAwsQuota(String code, double limit) {
    return withAwsQuotas(awsQuotas.with(code, limit));
  }

  public SandboxOptions withAzure(AzureOptions options) {
    return new SandboxOptions(
        stateDir,
        port,
        operationDuration,
        faults,
        tokenLifetime,
        gcp,
        nodeRegistrationDelay,
        latency,
        awsQuotas,
        options);
  }

  /**
   * The subscription's vCPU quota {@code usage} in every region: {@code cores} (Total Regional
   * vCPUs) or a family such as {@code standardDv4Family}.
   */
  public SandboxOptions withAzureQuota(String usage, long limit) {
    return withAzure(azure.withQuota(usage, limit));
  }

  /** How long Entra's access tokens open ARM. */
  public SandboxOptions withAzureTokenLifetime(Duration lifetime) {
    return withAzure(azure.withTokenLifetime(lifetime));
  }
}
