package io.refarch.cli;

import io.refarch.activities.GcpConnection;
import io.refarch.activities.aks.AksPreflight;
import io.refarch.activities.aks.AzureConnection;
import io.refarch.activities.eks.AwsConnection;
import io.refarch.activities.eks.preflight.EksPreflight;
import io.refarch.activities.gke.GkePreflight;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxEndpoints;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.aws.quotas.AwsQuotas;
import io.refarch.sandbox.azure.AzureOptions;
import io.refarch.sandbox.gcp.GcpProject;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.PreflightReport;
import io.refarch.workflow.PreflightReport.Check;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "preflight",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Checks, changing nothing, what would otherwise fail deep into a run: that the credentials work (and as whom),",
      "the Kubernetes version is offered, the region's quota covers the pools' initial nodes, and the names are free",
      "or belong to this spec. GKE: also that the APIs are enabled. EKS: the On-Demand Standard vCPU quota",
      "(Service Quotas L-1216C47A) and the Elastic IPs the NAT mode needs. AKS: the VM sizes offered in the region",
      "and the vCPU quota per VM family. The same checks are the first step of every run. Calls the cloud directly,",
      "no Temporal: GKE with the Application Default Credentials, EKS with the AWS SDK's default credential chain,",
      "AKS with azure-identity's default credential.",
      "Exit 0: every check passed; 1: a check failed (or could not be made); 2: bad input."
    })
final class PreflightCommand implements Callable<Integer> {
  @ParentCommand Refarch root;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "SPEC",
      description = "The cluster spec (YAML): a refarch ClusterSpec or an eksctl ClusterConfig.")
  Path file;

  @Option(
      names = "--sandbox",
      description =
          "Check against the emulated Google Cloud or AWS (its state in --sandbox-state).")
  boolean sandbox;

  @Option(
      names = "--sandbox-state",
      paramLabel = "DIR",
      description = "The sandbox's state (default: .refarch/sandbox).")
  Path state;

  @Mixin SandboxProjectFlags project;

  @Override
  public Integer call() {
    PrintWriter out = root.out();
    PrintWriter err = root.err();
    if (!sandbox && (project.any() || state != null)) {
      err.println(
          "refarch: --sandbox-state, --sandbox-disable-api, --sandbox-quota, --sandbox-aws-quota and"
              + " --sandbox-azure-quota need --sandbox");
      return ExitCodes.BAD_INPUT;
    }
    GcpProject setup;
    AwsQuotas awsQuotas;
    AzureOptions azure;
    try {
      setup = project.project();
      awsQuotas = project.awsQuotas();
      azure = project.azure();
    } catch (IllegalArgumentException e) {
      err.println("refarch: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    ClusterSpec spec = SpecInput.load(root, file);
    if (spec == null) {
      return ExitCodes.BAD_INPUT;
    }
    if (!sandbox) {
      return switch (spec.cloud()) {
        case AWS ->
            runEks(spec, AwsConnection.real(), "AWS, as the SDK's default credential chain");
        case AZURE ->
            runAks(spec, AzureConnection.real(), "Azure, as azure-identity's default credential");
        case GCP ->
            run(spec, GcpConnection.real(), "Google Cloud, as the Application Default Credentials");
      };
    }
    Path dir = state != null ? root.resolve(state) : root.workDir().resolve(".refarch/sandbox");
    try (Sandbox emulated =
        Sandbox.start(
            SandboxOptions.defaults(dir)
                .withGcp(setup)
                .withAwsQuotas(awsQuotas)
                .withAzure(azure))) {
      SandboxEndpoints e = emulated.endpoints();
      String target = "the sandbox (state in " + dir + ")";
      return switch (spec.cloud()) {
        case AWS -> runEks(spec, SandboxFlags.awsConnection(e), target);
        case AZURE -> runAks(spec, SandboxFlags.azureConnection(emulated), target);
        case GCP -> run(spec, GcpConnection.sandbox(e.gcpRest(), e.iamGrpc()), target);
      };
    } catch (IOException e) {
      err.println("refarch: cannot start the sandbox: " + e.getMessage());
      return ExitCodes.RUN_FAILED;
    }
  }

  private int runEks(ClusterSpec spec, AwsConnection connection, String target) {
    root.out()
        .println(
            "Preflight of EKS cluster "
                + spec.name()
                + " in "
                + spec.region()
                + (spec.aws() != null && spec.aws().account() != null
                    ? " (account " + spec.aws().account() + ")"
                    : "")
                + " against "
                + target
                + ":");
    PreflightReport report;
    try (EksPreflight preflight = new EksPreflight(connection)) {
      report = preflight.check(spec);
    } catch (ApplicationFailure e) {
      // A cloud error another attempt may not meet (throttled, unavailable); a run retries it.
      root.err().println("refarch: preflight could not finish: " + e.getOriginalMessage());
      return ExitCodes.RUN_FAILED;
    }
    return print(report);
  }

  private int runAks(ClusterSpec spec, AzureConnection connection, String target) {
    root.out()
        .println(
            "Preflight of AKS cluster "
                + spec.name()
                + " in "
                + spec.region()
                + " (subscription "
                + spec.azure().subscription()
                + ", resource group "
                + spec.azure().resourceGroup()
                + ") against "
                + target
                + ":");
    PreflightReport report;
    try {
      report = AksPreflight.check(connection, spec);
    } catch (ApplicationFailure e) {
      root.err().println("refarch: preflight could not finish: " + e.getOriginalMessage());
      return ExitCodes.RUN_FAILED;
    }
    return print(report);
  }

  private int run(ClusterSpec spec, GcpConnection connection, String target) {
    PrintWriter out = root.out();
    out.println(
        "Preflight of cluster "
            + spec.name()
            + " in "
            + spec.region()
            + " (project "
            + spec.gcp().project()
            + ") against "
            + target
            + ":");
    PreflightReport report;
    try (GkePreflight preflight = new GkePreflight(connection)) {
      report = preflight.check(spec);
    } catch (ApplicationFailure e) {
      // A cloud error another attempt may not meet (unavailable, rate limited); a run retries it.
      root.err().println("refarch: preflight could not finish: " + e.getOriginalMessage());
      return ExitCodes.RUN_FAILED;
    }
    return print(report);
  }

  /** Each check on a line; exit 0 when all passed, 1 when one failed. */
  private int print(PreflightReport report) {
    PrintWriter out = root.out();
    int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
    for (Check c : report.checks()) {
      out.printf("  %-6s  %-" + width + "s  %s%n", c.ok() ? "ok" : "FAILED", c.name(), c.message());
    }
    out.println();
    if (report.ok()) {
      out.println("All " + report.checks().size() + " checks passed. Nothing was changed.");
      return ExitCodes.OK;
    }
    out.println(
        report.failed().size()
            + " of "
            + report.checks().size()
            + " checks failed. Nothing was changed.");
    return ExitCodes.RUN_FAILED;
  }
}
