package io.refarch.cli;

import io.refarch.cli.local.LocalTemporal;
import io.refarch.cli.local.LocalWorker;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxEndpoints;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.Latency;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = {
      "The emulated Google Cloud that `up --sandbox` and `down --sandbox` run against: GKE, IAM, Resource Manager",
      "and a Kubernetes API per cluster, on loopback addresses, with its state kept in a directory between runs."
    },
    subcommands = {
      SandboxCommand.Inventory.class,
      SandboxCommand.Reset.class,
      SandboxCommand.Serve.class
    })
final class SandboxCommand implements Runnable {
  @ParentCommand Refarch root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(root.out());
  }

  abstract static class StateOption {
    @ParentCommand SandboxCommand sandbox;

    @Option(
        names = "--sandbox-state",
        paramLabel = "DIR",
        description = "The sandbox's state (default: .refarch/sandbox).")
    Path state;

    Path stateDir() {
      return sandbox.root.sandboxStateDir(state);
    }

    /**
     * The local worker hosts this sandbox while runs against it go, and a minute after; an idle one
     * is stopped so this command can hold the sandbox instead.
     */
    void releaseLocalWorker() throws IOException {
      new LocalWorker(LocalTemporal.ofSandbox(stateDir(), null)).release();
    }
  }

  @Command(
      name = "inventory",
      mixinStandardHelpOptions = true,
      description =
          "Prints what exists in the sandbox, one resource a line, sorted (nothing when it is empty).")
  static final class Inventory extends StateOption implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      // Read from the state file, so it also works while `refarch sandbox serve` holds the sandbox.
      Sandbox.inventory(stateDir()).forEach(sandbox.root.out()::println);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description =
          "Forgets everything the sandbox holds: service accounts, policies, clusters, node pools, cluster objects.")
  static final class Reset extends StateOption implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      releaseLocalWorker();
      try (Sandbox s = Sandbox.start(SandboxOptions.defaults(stateDir()))) {
        s.reset();
      }
      sandbox.root.out().println("sandbox state in " + stateDir() + " cleared");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the sandbox until Ctrl-C and prints its endpoints, for gcloud, kubectl or a separately running worker.",
        "The IAM gRPC endpoint takes PORT + 1 when a port is given."
      })
  static final class Serve extends StateOption implements Callable<Integer> {
    @Option(
        names = "--port",
        paramLabel = "N",
        defaultValue = "0",
        description = "Port of the GCP REST endpoint on 127.0.0.1 (default: a free one).")
    int port;

    @Option(
        names = "--sandbox-fault",
        paramLabel = "OPERATION[:RESOURCE]=CODE[xN]",
        converter = SandboxFlags.FaultConverter.class,
        description =
            "An error to answer instead of doing the work (repeatable), e.g. createNodePool=RESOURCE_EXHAUSTEDx2.")
    List<Fault> faults = new ArrayList<>();

    @Option(
        names = "--token-lifetime",
        paramLabel = "SECONDS",
        defaultValue = "3600",
        description =
            "How long a token of the sandbox's token endpoint opens its clusters' APIs (default: 3600, as"
                + " Google's access tokens); after that they answer 401 to it.")
    int tokenLifetimeSeconds;

    @Option(
        names = "--sandbox-latency",
        paramLabel = "PROFILE[:SCALE]",
        converter = SandboxFlags.LatencyConverter.class,
        description =
            "How long operations take: default (a fraction of a second each) or realistic (GKE's typical minutes),"
                + " scaled, e.g. realistic:1/60. See docs/sandbox.md.")
    Latency latency;

    @picocli.CommandLine.Mixin SandboxProjectFlags project;

    @Override
    public Integer call() throws Exception {
      if (tokenLifetimeSeconds < 1) {
        sandbox.root.err().println("refarch: --token-lifetime must be at least 1 second");
        return ExitCodes.BAD_INPUT;
      }
      Path dir = stateDir();
      io.refarch.sandbox.gcp.GcpProject setup;
      io.refarch.sandbox.aws.quotas.AwsQuotas awsQuotas;
      try {
        setup = project.project();
        awsQuotas = project.awsQuotas();
      } catch (IllegalArgumentException e) {
        sandbox.root.err().println("refarch: " + e.getMessage());
        return ExitCodes.BAD_INPUT;
      }
      releaseLocalWorker();
      SandboxOptions options =
          new SandboxOptions(
              dir,
              port,
              SandboxOptions.defaults(dir).operationDuration(),
              faults,
              Duration.ofSeconds(tokenLifetimeSeconds),
              setup,
              Duration.ZERO,
              latency,
              awsQuotas);
      Sandbox s = Sandbox.start(options);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    s.close();
                    stopped.countDown();
                  },
                  "sandbox-stop"));
      SandboxEndpoints e = s.endpoints();
      PrintWriter out = sandbox.root.out();
      out.println("GCP_REST=" + e.gcpRest());
      out.println("IAM_GRPC=" + e.iamGrpc());
      out.println("AWS=" + e.aws());
      out.println("AZURE=" + e.azure());
      out.println("AZURE_CA=" + s.azureCertificateAuthorityFile().toAbsolutePath());
      out.println("STATE_DIR=" + dir);
      out.println("TOKEN_ENDPOINT=" + e.gcpRest() + "/token");
      out.println(
          "# gcloud: CLOUDSDK_AUTH_DISABLE_CREDENTIALS=true CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER="
              + e.gcpRest()
              + "/ (likewise _IAM, _CLOUDRESOURCEMANAGER, _SERVICEUSAGE)");
      out.println(
          "# az: REQUESTS_CA_BUNDLE=$AZURE_CA AZURE_CORE_INSTANCE_DISCOVERY=false; az cloud register"
              + " with the AZURE endpoint (docs/sandbox.md)");
      out.println(
          "# kubectl: refarch kubeconfig -f SPEC --sandbox"
              + (state != null ? " --sandbox-state " + state : "")
              + " writes a kubeconfig for a cluster of this sandbox");
      out.println("# serving until Ctrl-C");
      out.flush();
      stopped.await();
      return ExitCodes.OK;
    }
  }
}
