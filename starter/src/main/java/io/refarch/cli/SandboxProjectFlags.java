package io.refarch.cli;

import io.refarch.sandbox.gcp.GcpProject;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How the sandbox's projects are set up: what {@code refarch preflight} checks can be staged. */
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

  boolean any() {
    return !disabledApis.isEmpty() || !quotas.isEmpty();
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
