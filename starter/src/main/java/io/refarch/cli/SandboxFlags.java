package io.refarch.cli;

import io.refarch.activities.ActivityConfig;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.aks.AksActivitiesImpl;
import io.refarch.activities.aks.AzureConnection;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.eks.Waiter;
import io.refarch.activities.gke.operation.PollSchedule;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxEndpoints;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.azure.Azure;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.Latency;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The emulated Google Cloud a run can be pointed at instead of the real one. */
final class SandboxFlags {
  @Option(
      names = "--sandbox",
      description =
          "Run against the emulated clouds (Google Cloud, AWS, Azure, with a Kubernetes API per cluster) started in this process.")
  boolean enabled;

  @Option(
      names = "--sandbox-state",
      paramLabel = "DIR",
      description = "Where the sandbox keeps its state between runs (default: .refarch/sandbox).")
  Path state;

  @Option(
      names = "--sandbox-fault",
      paramLabel = "OPERATION[:RESOURCE]=CODE[xN]",
      converter = FaultConverter.class,
      description =
          "An error the sandbox answers instead of doing the work, e.g. createNodePool:workload-services=RESOURCE_EXHAUSTEDx2 "
              + "(N times, or always without xN). Repeatable. Needs --sandbox.")
  List<Fault> faults = new ArrayList<>();

  @Option(
      names = "--sandbox-latency",
      paramLabel = "PROFILE[:SCALE]",
      converter = LatencyConverter.class,
      description =
          "How long the sandbox's operations take: default (each a fraction of a second) or realistic (GKE's typical"
              + " minutes, see docs/sandbox.md), scaled, e.g. realistic:1/60 (a 6-minute cluster create takes 6 s)."
              + " The run polls as a real one would, scaled alike. Needs --sandbox.")
  Latency latency;

  Path stateDir(Refarch root) {
    return root.sandboxStateDir(state);
  }

  /** The sandbox's options: its state, faults and latency. */
  SandboxOptions options(Refarch root) {
    SandboxOptions options = SandboxOptions.defaults(stateDir(root)).withFaults(faults);
    return latency == null ? options : options.withLatency(latency);
  }

  /**
   * The activities' configuration against a running sandbox whose state is in {@code state}: its
   * operations polled as the sandbox's latency says they take, every wait scaled alike, so a run's
   * ratios (wall time to critical path, notice latency to operation time) are a real run's.
   */
  static ActivityConfig activityConfig(Sandbox sandbox, Path state) {
    SandboxEndpoints e = sandbox.endpoints();
    ActivityConfig defaults = ActivityConfig.defaults();
    return defaults
        .withGcp(GcpConnection.sandbox(e.gcpRest(), e.iamGrpc()))
        .withAws(awsConnection(e))
        .withAzure(azureConnection(sandbox))
        // The sandbox has no network: the manifest the run would download comes from its mirror.
        .withMirror(URI.create(e.mirror()))
        .withKubeconfigDir(state.resolve("kubeconfig"))
        .withOperationPolls(pollsFor(sandbox.options().latency(), defaults.operationPolls()));
  }

  /** The sandbox's AWS endpoint with its own static keys ({@link AwsConnection#sandbox}). */
  static AwsConnection awsConnection(SandboxEndpoints endpoints) {
    return AwsConnection.sandbox(URI.create(endpoints.aws()));
  }

  /**
   * The sandbox's Resource Manager and Entra, trusted through its CA, signed in as its own service
   * principal (the machine's Azure login is never read nor sent to it).
   */
  static AzureConnection azureConnection(Sandbox sandbox) {
    return azureConnection(sandbox.endpoints().azure(), sandbox.azureCertificateAuthority());
  }

  private static AzureConnection azureConnection(String endpoint, String caPem) {
    return AzureConnection.at(
        URI.create(endpoint),
        caPem,
        new AzureConnection.ServicePrincipal(
            Azure.SANDBOX_TENANT_ID, Azure.SANDBOX_CLIENT_ID, Azure.SANDBOX_CLIENT_SECRET));
  }

  /**
   * The Azure of a sandbox running in another process (e.g. {@code refarch sandbox serve}): its
   * endpoint from {@code endpoints}, its CA from {@code stateDir}.
   */
  static AzureConnection azureConnection(SandboxEndpoints endpoints, Path stateDir)
      throws java.io.IOException {
    return azureConnection(
        endpoints.azure(), java.nio.file.Files.readString(stateDir.resolve(Azure.CA_FILE)));
  }

  /** {@code real}'s waits scaled as {@code latency} is, expecting the durations it gives. */
  static PollSchedule pollsFor(Latency latency, PollSchedule real) {
    Map<String, Duration> expected = new HashMap<>();
    real.expected().keySet().forEach(type -> expected.put(type, latency.of(type)));
    // The EKS waits' types too, which the GKE schedule does not name.
    Waiter.AWS_TYPICAL.keySet().forEach(type -> expected.put(type, latency.of(type)));
    AksActivitiesImpl.TYPICAL.keySet().forEach(type -> expected.put(type, latency.of(type)));
    return real.scaled(latency.scale()).withExpected(expected);
  }

  static final class LatencyConverter implements ITypeConverter<Latency> {
    @Override
    public Latency convert(String value) {
      try {
        return Latency.parse(value, SandboxOptions.defaults(Path.of(".")).operationDuration());
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class FaultConverter implements ITypeConverter<Fault> {
    @Override
    public Fault convert(String value) {
      try {
        return Sandbox.parseFault(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
