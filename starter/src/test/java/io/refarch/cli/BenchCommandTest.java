package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.Activities;
import io.refarch.cli.CommandRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke of {@code refarch bench}: the whole benchmark, end to end, with the sandbox's default
 * (short) latency; no timing is asserted, only that the report has every figure.
 */
class BenchCommandTest {
  @TempDir Path dir;

  CommandRunner refarch() {
    return new CommandRunner(dir, Activities::create);
  }

  @Test
  void theReportHasEveryFigureOfTheRefarchRun() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    CommandRunner.example(dir, "eks.yaml");
    CommandRunner.example(dir, "aks.yaml");

    Result bench =
        refarch()
            .run(
                "bench",
                "-f",
                "gke.yaml",
                "--sandbox-latency",
                "default",
                "--no-gcloud",
                "--eks",
                "eks.yaml",
                "--aks",
                "aks.yaml",
                "--out",
                "benchmarks.md");

    assertThat(bench.exitCode()).as(bench.toString()).isZero();
    String report = Files.readString(dir.resolve("benchmarks.md"));
    for (String tool :
        List.of("refarch", "refarch, poolsWithCluster", "refarch, EKS", "refarch, AKS")) {
      List<String> row = report.lines().filter(l -> l.startsWith("| " + tool + " |")).toList();
      assertThat(row).as(report).hasSize(1);
      // tool, 13 figures
      assertThat(row.get(0).split("\\|")).hasSize(15);
      assertThat(row.get(0)).doesNotContain("n/a");
      assertThat(report).contains("## Steps: " + tool);
    }
    assertThat(report)
        .contains("## Per operation: refarch, poolsWithCluster\n")
        .contains("| Create cluster with node pools |");
    String gke = report.substring(0, report.indexOf("## Per operation: refarch, EKS"));
    String eksSection =
        report.substring(
            report.indexOf("## Per operation: refarch, EKS"),
            report.indexOf("## Per operation: refarch, AKS"));
    String aksSection = report.substring(report.indexOf("## Per operation: refarch, AKS"));
    List<String> operations =
        gke.lines().filter(l -> l.matches("\\| (CREATE|DELETE)_(CLUSTER|NODE_POOL) .*")).toList();
    assertThat(operations)
        .extracting(l -> l.split(" \\| ")[0])
        .containsExactly(
            "| CREATE_CLUSTER gitpod",
            "| DELETE_NODE_POOL default-pool",
            "| CREATE_NODE_POOL workload-services",
            "| CREATE_NODE_POOL workload-regular-workspaces",
            "| CREATE_NODE_POOL workload-headless-workspaces",
            "| CREATE_CLUSTER gitpod");
    assertThat(operations).allSatisfy(l -> assertThat(l).doesNotContain("n/a"));
    // EKS: the NAT gateway, the control plane, then both node groups side by side, each end
    // noticed by a describe of its resource.
    List<String> eks =
        eksSection
            .lines()
            .filter(l -> l.matches("\\| (CREATE|DELETE)_\\w+ .*"))
            .map(l -> l.split(" \\| ")[0])
            .toList();
    assertThat(eks).hasSize(4).first().asString().matches("\\| CREATE_NAT_GATEWAY nat-\\w+");
    assertThat(eks.subList(1, 4))
        .containsExactlyInAnyOrder(
            "| CREATE_CLUSTER gitpod",
            "| CREATE_NODEGROUP gitpod/services",
            "| CREATE_NODEGROUP gitpod/workspaces");
    assertThat(eksSection.lines().filter(l -> l.matches("\\| (CREATE|DELETE)_\\w+ .*")))
        .allSatisfy(l -> assertThat(l).doesNotContain("n/a"));
    // AKS: the cluster, then its agent pools one after another, each end noticed by a read of
    // its Azure-AsyncOperation URL.
    List<String> aks =
        aksSection.lines().filter(l -> l.matches("\\| (CREATE|DELETE)_\\w+ .*")).toList();
    assertThat(aks)
        .extracting(l -> l.split(" \\| ")[0])
        .containsExactly(
            "| CREATE_CLUSTER gitpod",
            "| CREATE_AGENT_POOL regularws",
            "| CREATE_AGENT_POOL headlessws");
    assertThat(aks).allSatisfy(l -> assertThat(l).doesNotContain("n/a"));
    assertThat(report)
        .contains(
            "./refarch bench -f gke.yaml --sandbox-latency default --no-gcloud --eks eks.yaml --aks"
                + " aks.yaml --out benchmarks.md")
        .contains("The seed's gcloud commands were not measured: --no-gcloud.");
  }

  @Test
  void anUnknownLatencyProfileIsBadInputNamingTheOption() {
    Result bench = refarch().run("bench", "--sandbox-latency", "nonsense");
    assertThat(bench.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(bench.err()).contains("--sandbox-latency").contains("nonsense");

    Result up =
        refarch().run("up", "-f", "gke.yaml", "--sandbox", "--sandbox-latency", "realistic:0");
    assertThat(up.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(up.err()).contains("--sandbox-latency").contains("bad latency scale");
  }
}
