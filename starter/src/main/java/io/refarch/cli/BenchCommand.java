package io.refarch.cli;

import io.refarch.activities.ActivityConfig;
import io.refarch.cli.bench.BenchReport;
import io.refarch.cli.bench.RunTiming;
import io.refarch.cli.temporal.TemporalConnection;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.core.Latency;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.ProvisionClusterWorkflow;
import io.refarch.workflow.RunIds;
import io.refarch.workflow.RunOutcome;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code refarch bench}: how much refarch adds to what the cloud takes. It provisions the spec's
 * cluster in this process (the sandbox, Temporal's in-process server, this build's worker and
 * activities: what {@code refarch up --sandbox} runs without the Temporal CLI), then runs the
 * seed's own gcloud commands against a fresh sandbox with the same latency, and times both from the
 * sandbox's side.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures a provisioning run against the sandbox with a latency profile: wall time to a verified cluster, the",
      "critical path (the cloud operations that must run one after another, summed), their ratio, per operation the",
      "time from its end to refarch's first read of it, and the idle gaps between operations; then the same for the",
      "seed's own gcloud commands (sandbox/src/test/resources/gcloud-seed.sh) when gcloud and kubectl are on PATH.",
      "Writes a Markdown report (docs/benchmarks.md). Exit 0 when the runs succeeded, 1 when one failed, 2 on bad input."
    })
final class BenchCommand implements Callable<Integer> {

  @ParentCommand Refarch root;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "SPEC",
      defaultValue = "examples/gke.yaml",
      description = "The cluster spec (default: examples/gke.yaml, the 000 seed's cluster).")
  Path file;

  @Option(
      names = "--sandbox-latency",
      paramLabel = "PROFILE[:SCALE]",
      defaultValue = "realistic:1/60",
      converter = SandboxFlags.LatencyConverter.class,
      description =
          "How long the sandbox's operations take (default: realistic:1/60, GKE's typical minutes as seconds).")
  Latency latency;

  @Option(
      names = "--gcloud-script",
      paramLabel = "FILE",
      defaultValue = "sandbox/src/test/resources/gcloud-seed.sh",
      description = "The seed's gcloud procedure (default: the oracle test's script).")
  Path gcloudScript;

  @Option(names = "--no-gcloud", description = "Measure refarch only, even when gcloud is on PATH.")
  boolean noGcloud;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Where to write the Markdown report (e.g. docs/benchmarks.md); it is printed either way.")
  Path out;

  @Option(
      names = "--chart",
      paramLabel = "PNG",
      description = "Where to write a chart of the runs (e.g. docs/benchmarks.png).")
  Path chart;

  /** Written into the report: the command that regenerates it. */
  @Option(names = "--command", hidden = true)
  String command;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = root.err();
    ClusterSpec spec = SpecInput.load(root, file);
    if (spec == null) {
      return ExitCodes.BAD_INPUT;
    }
    Path work = Files.createTempDirectory("refarch-bench");
    List<RunTiming> runs = new ArrayList<>();
    RunTiming refarch = refarch(spec, work.resolve("refarch"));
    if (refarch == null) {
      return ExitCodes.RUN_FAILED;
    }
    runs.add(refarch);
    Optional<String> skipped = gcloudSkipped();
    if (skipped.isEmpty()) {
      RunTiming gcloud = gcloud(work.resolve("gcloud"));
      if (gcloud == null) {
        return ExitCodes.RUN_FAILED;
      }
      runs.add(gcloud);
    }
    BenchReport report =
        new BenchReport(
            latency,
            SandboxFlags.pollsFor(latency, ActivityConfig.defaults().operationPolls()),
            runs,
            skipped,
            command != null ? command : "./refarch bench " + String.join(" ", arguments()),
            Instant.now());
    String markdown = report.markdown(chart == null ? null : root.resolve(chart));
    root.out().println(markdown);
    if (out != null) {
      Path target = root.resolve(out);
      Files.writeString(target, markdown);
      root.out().println("Written: " + target);
    }
    if (chart != null) {
      try {
        report.chart(root.resolve(chart));
        root.out().println("Written: " + root.resolve(chart));
      } catch (IOException | LinkageError e) {
        err.println("refarch: bench: no chart: " + Errors.message(e));
      }
    }
    return ExitCodes.OK;
  }

  /** The run as {@code refarch up --sandbox} makes it in this process, timed. */
  private RunTiming refarch(ClusterSpec spec, Path state) throws Exception {
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(state).withLatency(latency))) {
      ActivityConfig config = SandboxFlags.activityConfig(sandbox, state);
      try (TemporalConnection connection =
          TemporalConnection.embedded(root.activities().create(config))) {
        ProvisionClusterWorkflow run =
            connection
                .client()
                .newWorkflowStub(
                    ProvisionClusterWorkflow.class,
                    io.temporal.client.WorkflowOptions.newBuilder()
                        .setWorkflowId(RunIds.workflowId(spec))
                        .setTaskQueue(RunIds.TASK_QUEUE)
                        .build());
        Instant start = Instant.now();
        RunOutcome outcome = run.provision(spec);
        Duration wall = Duration.between(start, Instant.now());
        if (outcome.result() != io.refarch.workflow.Progress.Phase.SUCCEEDED) {
          root.err()
              .println(
                  "refarch: bench: the refarch run did not succeed: "
                      + outcome.result()
                      + " at "
                      + outcome.failedStep()
                      + ": "
                      + outcome.error());
          return null;
        }
        return RunTiming.of("refarch", wall, sandbox.operationTimings(), sandbox.requests(), true);
      }
    }
  }

  /** Why the gcloud run is left out, if it is. */
  private Optional<String> gcloudSkipped() {
    if (noGcloud) {
      return Optional.of("--no-gcloud");
    }
    for (String tool : List.of("gcloud", "kubectl", "curl")) {
      if (!onPath(tool)) {
        return Optional.of(tool + " is not on PATH");
      }
    }
    if (!Files.isRegularFile(root.resolve(gcloudScript))) {
      return Optional.of(gcloudScript + " not found (run from the repository's root)");
    }
    return Optional.empty();
  }

  /** The seed's commands, up to its last one, against a fresh sandbox with the same latency. */
  private RunTiming gcloud(Path state) throws Exception {
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(state).withLatency(latency))) {
      Path log = state.resolve("gcloud-seed.log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  "bash",
                  root.resolve(gcloudScript).toString(),
                  sandbox.endpoints().gcpRest(),
                  state.resolve("kube").toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .directory(state.toFile());
      builder.environment().put("SEED_ONLY", "1");
      builder
          .environment()
          .put(
              "CLOUDSDK_CONFIG",
              Files.createDirectories(state.resolve("gcloud-config")).toString());
      Instant start = Instant.now();
      Process process = builder.start();
      boolean finished = process.waitFor(30, TimeUnit.MINUTES);
      Duration wall = Duration.between(start, Instant.now());
      if (!finished || process.exitValue() != 0) {
        process.destroyForcibly();
        root.err().println("refarch: bench: the gcloud run failed; its output: " + log);
        root.err().println(Files.readString(log));
        return null;
      }
      return RunTiming.of(
          "gcloud (seed)", wall, sandbox.operationTimings(), sandbox.requests(), false);
    }
  }

  private List<String> arguments() {
    List<String> args = new ArrayList<>();
    if (!file.toString().equals("examples/gke.yaml")) {
      args.addAll(List.of("-f", file.toString()));
    }
    args.addAll(List.of("--sandbox-latency", latency.toString()));
    if (noGcloud) {
      args.add("--no-gcloud");
    }
    if (out != null) {
      args.addAll(List.of("--out", out.toString()));
    }
    if (chart != null) {
      args.addAll(List.of("--chart", chart.toString()));
    }
    return args;
  }

  private boolean onPath(String tool) {
    String path = root.env().getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
