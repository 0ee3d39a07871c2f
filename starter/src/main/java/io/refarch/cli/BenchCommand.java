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
import io.refarch.workflow.StepProgress;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      "Measures provisioning runs against the sandbox with a latency profile: refarch in the seed's order, refarch",
      "with gcp.poolsWithCluster, and the seed's own gcloud commands (sandbox/src/test/resources/gcloud-seed.sh) when",
      "gcloud and kubectl are on PATH. Per run: wall time to a verified cluster, the critical path (the cloud",
      "operations that must run one after another, summed), their ratio, the time before the first operation and",
      "after the last, the idle gaps between operations, per operation the time from its end to the tool's first",
      "read of it; for refarch, each step's start and duration. Then refarch on EKS (examples/eks.yaml, the 002 seed's",
      "cluster, node groups made together) and on AKS (examples/aks.yaml, agent pools one after another as AKS",
      "requires) against the same profile. An uncounted warm-up run goes first.",
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
      names = "--eks",
      paramLabel = "SPEC",
      defaultValue = "examples/eks.yaml",
      description =
          "The EKS cluster measured after the GKE runs (default: examples/eks.yaml, the 002 seed's cluster).")
  Path eksFile;

  @Option(names = "--no-eks", description = "Leave the EKS run out.")
  boolean noEks;

  @Option(
      names = "--aks",
      paramLabel = "SPEC",
      defaultValue = "examples/aks.yaml",
      description =
          "The AKS cluster measured after the EKS run (default: examples/aks.yaml, the 000 seed's pools on AKS).")
  Path aksFile;

  @Option(names = "--no-aks", description = "Leave the AKS run out.")
  boolean noAks;

  @Option(
      names = "--no-warm-up",
      description =
          "Time refarch's first run in this JVM too: without it a run against a fast sandbox goes"
              + " first, uncounted, as a worker that has run before would be warm.")
  boolean noWarmUp;

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
    if (spec.gcp() == null) {
      err.println(
          "refarch: bench: -f takes a gcp spec (" + file + " is not one); --eks an aws one");
      return ExitCodes.BAD_INPUT;
    }
    ClusterSpec eks = null;
    if (!noEks) {
      eks = SpecInput.load(root, eksFile);
      if (eks == null) {
        return ExitCodes.BAD_INPUT;
      }
      if (eks.aws() == null) {
        err.println("refarch: bench: --eks takes an aws spec; " + eksFile + " is not one");
        return ExitCodes.BAD_INPUT;
      }
    }
    ClusterSpec aks = null;
    if (!noAks) {
      aks = SpecInput.load(root, aksFile);
      if (aks == null) {
        return ExitCodes.BAD_INPUT;
      }
      if (aks.azure() == null) {
        err.println("refarch: bench: --aks takes an azure spec; " + aksFile + " is not one");
        return ExitCodes.BAD_INPUT;
      }
    }
    Path work = Files.createTempDirectory("refarch-bench");
    if (!noWarmUp
        && refarch(
                "warm-up",
                seedOrder(spec),
                work.resolve("warm-up"),
                Latency.flat(SandboxOptions.defaults(work).operationDuration()))
            == null) {
      return ExitCodes.RUN_FAILED;
    }
    List<RunTiming> runs = new ArrayList<>();
    RunTiming refarch = refarch(SEED_ORDER, seedOrder(spec), work.resolve("refarch"), latency);
    if (refarch == null) {
      return ExitCodes.RUN_FAILED;
    }
    runs.add(refarch);
    RunTiming pools =
        refarch(
            POOLS_WITH_CLUSTER,
            spec.withGcp(spec.gcp().withPoolsWithCluster(true)),
            work.resolve("refarch-pools"),
            latency);
    if (pools == null) {
      return ExitCodes.RUN_FAILED;
    }
    runs.add(pools);
    Optional<String> skipped = gcloudSkipped();
    if (skipped.isEmpty()) {
      RunTiming gcloud = gcloud(work.resolve("gcloud"));
      if (gcloud == null) {
        return ExitCodes.RUN_FAILED;
      }
      runs.add(gcloud);
    }
    // The other clouds' runs that were not left out, by their names in the report.
    Map<String, ClusterSpec> others = new LinkedHashMap<>();
    if (eks != null) {
      others.put(EKS, eks);
    }
    if (aks != null) {
      others.put(AKS, aks);
    }
    for (Map.Entry<String, ClusterSpec> other : others.entrySet()) {
      ClusterSpec cluster = other.getValue();
      String cloud = cluster.cloud().id();
      // The cloud's SDK classes are cold after the GKE runs: a warm-up of its own.
      if (!noWarmUp
          && refarch(
                  cloud + " warm-up",
                  cluster,
                  work.resolve(cloud + "-warm-up"),
                  Latency.flat(SandboxOptions.defaults(work).operationDuration()))
              == null) {
        return ExitCodes.RUN_FAILED;
      }
      RunTiming run = refarch(other.getKey(), cluster, work.resolve("refarch-" + cloud), latency);
      if (run == null) {
        return ExitCodes.RUN_FAILED;
      }
      runs.add(run);
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

  /** The report's names of refarch's two runs. */
  static final String SEED_ORDER = "refarch";

  static final String POOLS_WITH_CLUSTER = "refarch, poolsWithCluster";

  static final String EKS = "refarch, EKS";

  static final String AKS = "refarch, AKS";

  private static ClusterSpec seedOrder(ClusterSpec spec) {
    return spec.withGcp(spec.gcp().withPoolsWithCluster(false));
  }

  /** The run as {@code refarch up --sandbox} makes it in this process, timed. */
  private RunTiming refarch(String tool, ClusterSpec spec, Path state, Latency latency)
      throws Exception {
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
        Instant end = Instant.now();
        if (outcome.result() != io.refarch.workflow.Progress.Phase.SUCCEEDED) {
          root.err()
              .println(
                  "refarch: bench: the "
                      + tool
                      + " run did not succeed: "
                      + outcome.result()
                      + " at "
                      + outcome.failedStep()
                      + ": "
                      + outcome.error());
          return null;
        }
        return RunTiming.of(
            tool,
            start,
            end,
            sandbox.operationTimings(),
            sandbox.requests(),
            true,
            spans(run, start));
      }
    }
  }

  /** The run's steps as its progress query tells them, from {@code start}. */
  private static List<RunTiming.Span> spans(ProvisionClusterWorkflow run, Instant start) {
    List<RunTiming.Span> spans = new ArrayList<>();
    for (StepProgress step : run.progress().steps()) {
      if (step.startedAt() == null || step.endedAt() == null) {
        continue;
      }
      Instant from = Instant.parse(step.startedAt());
      spans.add(
          new RunTiming.Span(
              step.title(),
              Duration.between(start, from),
              Duration.between(from, Instant.parse(step.endedAt()))));
    }
    return spans;
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
      Instant end = Instant.now();
      if (!finished || process.exitValue() != 0) {
        process.destroyForcibly();
        root.err().println("refarch: bench: the gcloud run failed; its output: " + log);
        root.err().println(Files.readString(log));
        return null;
      }
      return RunTiming.of(
          "gcloud (seed)",
          start,
          end,
          sandbox.operationTimings(),
          sandbox.requests(),
          false,
          List.of());
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
    if (noEks) {
      args.add("--no-eks");
    } else if (!eksFile.toString().equals("examples/eks.yaml")) {
      args.addAll(List.of("--eks", eksFile.toString()));
    }
    if (noAks) {
      args.add("--no-aks");
    } else if (!aksFile.toString().equals("examples/aks.yaml")) {
      args.addAll(List.of("--aks", aksFile.toString()));
    }
    if (noWarmUp) {
      args.add("--no-warm-up");
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
