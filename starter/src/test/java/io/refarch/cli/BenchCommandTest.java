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

    Result bench =
        refarch()
            .run(
                "bench",
                "-f",
                "gke.yaml",
                "--sandbox-latency",
                "default",
                "--no-gcloud",
                "--out",
                "benchmarks.md");

    assertThat(bench.exitCode()).as(bench.toString()).isZero();
    String report = Files.readString(dir.resolve("benchmarks.md"));
    for (String tool : List.of("refarch", "refarch, poolsWithCluster")) {
      List<String> row = report.lines().filter(l -> l.startsWith("| " + tool + " |")).toList();
      assertThat(row).as(report).hasSize(1);
      // tool, 11 figures
      assertThat(row.get(0).split("\\|")).hasSize(13);
      assertThat(row.get(0)).doesNotContain("n/a");
      assertThat(report).contains("## Steps: " + tool);
    }
    assertThat(report)
        .contains("## Per operation: refarch, poolsWithCluster\n")
        .contains("| Create cluster with node pools |");
    List<String> operations =
        report
            .lines()
            .filter(l -> l.matches("\\| (CREATE|DELETE)_(CLUSTER|NODE_POOL) .*"))
            .toList();
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
    assertThat(report)
        .contains(
            "./refarch bench -f gke.yaml --sandbox-latency default --no-gcloud --out benchmarks.md")
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
