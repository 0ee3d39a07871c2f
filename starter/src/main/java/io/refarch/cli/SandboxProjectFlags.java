package io.refarch.cli;

import io.refarch.sandbox.aws.quotas.AwsQuotas;
import io.refarch.sandbox.azure.AzureOptions;
import io.refarch.sandbox.gcp.GcpProject;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How the sandbox's projects and AWS account are set up: what {@code refarch preflight} checks can
 * be staged.
 */
final class SandboxProjectFlags {
  @Option(
      names = "--sandbox-disable-api",
      paramLabel = "NAME",
      description =
          "An API serviceusage reports DISABLED, e.g. container.googleapis.com. Repeatable. Needs --sandbox.")
  List<String> disabledApis = new ArrayList<>();

  @Option(
      names = "--sandbox-quota",
      paramLabel = "[REGION/]METRIC=LIMIT",
      description =
          "A regional quota limit, e.g. us-central1/N2D_CPUS=24 (without REGION: every region). Repeatable. Needs --sandbox.")
  List<String> quotas = new ArrayList<>();

  @Option(
      names = "--sandbox-aws-quota",
      paramLabel = "CODE=LIMIT",
      description =
          "An AWS quota by its Service Quotas code, in every region: L-1216C47A (On-Demand Standard vCPUs, default 640)"
              + " or L-0263D0A3 (Elastic IPs, default 5), e.g. L-1216C47A=8. Repeatable. Needs --sandbox.")
  List<String> awsQuotas = new ArrayList<>();

  @Option(
      names = "--sandbox-azure-quota",
      paramLabel = "USAGE=LIMIT",
      description =
          "An Azure vCPU quota in every region by its Compute usage name: cores (Total Regional vCPUs, default 350)"
              + " or a VM family such as standardDv4Family (default 200), e.g. standardDv4Family=24. Repeatable. Needs --sandbox.")
  List<String> azureQuotas = new ArrayList<>();

  boolean any() {
    return !disabledApis.isEmpty()
        || !quotas.isEmpty()
        || !awsQuotas.isEmpty()
        || !azureQuotas.isEmpty();
  }

  /** Throws IllegalArgumentException naming a bad value. */
  AzureOptions azure() {
    AzureOptions azure = AzureOptions.defaults();
    for (String quota : azureQuotas) {
      int eq = quota.indexOf('=');
      long limit;
      try {
        limit = eq < 1 ? -1 : Long.parseLong(quota.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 0) {
        throw new IllegalArgumentException(
            "--sandbox-azure-quota '" + quota + "' is not USAGE=LIMIT, e.g. standardDv4Family=24");
      }
      azure = azure.withQuota(quota.substring(0, eq).trim(), limit);
    }
    return azure;
  }

  /** Throws IllegalArgumentException naming a bad value. */
  AwsQuotas awsQuotas() {
    AwsQuotas account = AwsQuotas.defaults();
    for (String quota : awsQuotas) {
      account = account.with(quota);
    }
    return account;
  }

  /** Throws IllegalArgumentException naming a bad value. */
  GcpProject project() {
    GcpProject project = GcpProject.defaults();
    for (String api : disabledApis) {
      project = project.withDisabledApi(api);
    }
    for (String quota : quotas) {
      project = project.withQuota(quota);
    }
    return project;
  }
}
