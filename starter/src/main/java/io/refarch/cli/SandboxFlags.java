package io.refarch.cli;

import io.refarch.activities.ActivityConfig;
import io.refarch.activities.GcpConnection;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxEndpoints;
import io.refarch.sandbox.core.Fault;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The emulated Google Cloud a run can be pointed at instead of the real one. */
final class SandboxFlags {
  @Option(
      names = "--sandbox",
      description =
          "Run against the emulated Google Cloud (GKE, IAM, Resource Manager, cluster APIs) started in this process.")
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

  Path stateDir(Refarch root) {
    return root.sandboxStateDir(state);
  }

  /** The activities' configuration against a running sandbox whose state is in {@code state}. */
  static ActivityConfig activityConfig(Sandbox sandbox, Path state) {
    SandboxEndpoints e = sandbox.endpoints();
    return ActivityConfig.defaults()
        .withGcp(GcpConnection.sandbox(e.gcpRest(), e.iamGrpc()))
        .withKubeconfigDir(state.resolve("kubeconfig"));
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
