package io.refarch.cli.bench;

import io.refarch.activities.gke.operation.PollSchedule;
import io.refarch.sandbox.core.Latency;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's report: docs/benchmarks.md as {@code refarch bench} writes it, the explanation
 * included, so the page and its numbers never drift apart.
 *
 * @param latency the sandbox's latency profile in the runs
 * @param polls refarch's poll schedule in the runs (scaled as the latency)
 * @param runs refarch's run first, then the seed's gcloud commands' if measured
 * @param gcloudSkipped why the gcloud run is missing, if it is
 * @param command the command that regenerates the report
 * @param measured when
 */
public record BenchReport(
    Latency latency,
    PollSchedule polls,
    List<RunTiming> runs,
    Optional<String> gcloudSkipped,
    String command,
    Instant measured) {

  /**
   * The Markdown page; {@code chart}, when given, is linked (by its file name, beside the page).
   */
  public String markdown(Path chart) {
    double scale = latency.scale();
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append(
        "What a user of refarch waits for is the cloud: minutes per operation, one after another on GKE."
            + " This page measures what refarch adds on top, against the sandbox with GKE's typical operation"
            + " times ([docs/sandbox.md](sandbox.md#latency-profiles)), and the same for the 000 seed's own gcloud"
            + " commands (the oracle test's `gcloud-seed.sh`) against the same sandbox and profile; then"
            + " refarch on EKS (examples/eks.yaml, the 002 seed's cluster, its node groups made together as"
            + " eksctl makes them) with EKS's typical times, and on AKS (examples/aks.yaml, its agent pools"
            + " one after another, as AKS allows one agent-pool operation per cluster at a time) with AKS's."
            + " How many runs one worker drives at once is measured apart: [fleet.md](fleet.md)."
            + " It is written by the command below; do not edit it by hand.\n\n");
    md.append("```sh\n").append(command).append("\n```\n\n");
    md.append("Measured ")
        .append(measured.truncatedTo(ChronoUnit.SECONDS))
        .append(" on one machine (")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ")
        .append(System.getProperty("java.version"))
        .append(
            "): the sandbox, Temporal's in-process server and refarch's worker in one JVM.\n\n");
    md.append("Sandbox latency `").append(latency).append("`: ");
    if (latency.scaledDurations().isEmpty()) {
      md.append("every operation ").append(seconds(latency.of("any")));
    }
    md.append(
        String.join(
            ", ",
            latency.scaledDurations().entrySet().stream()
                .map(
                    e ->
                        e.getKey().replaceFirst("^gke\\.", "")
                            + " "
                            + seconds(e.getValue())
                            + " ("
                            + minutes(real(e.getValue(), scale))
                            + " real)")
                .toList()));
    md.append(
        ". refarch's poll schedule is scaled alike (so its ratios carry over to real time): back-off from "
            + seconds(polls.initial())
            + " to "
            + seconds(polls.max())
            + ", every "
            + seconds(polls.near())
            + " from "
            + Math.round(PollSchedule.NEAR_FROM * 100)
            + " % of an operation's expected duration to "
            + Math.round(PollSchedule.LATE_AFTER)
            + " times it (real: 2 s, 10 s, 1 s).\n\n");
    if (chart != null) {
      md.append("![wall time and critical path](").append(chart.getFileName()).append(")\n\n");
    }

    md.append("## Per run\n\n");
    md.append(
        "| tool | wall time to a verified cluster | critical path | operations one at a time | wall /"
            + " critical path | before the first operation | idle gaps between operations | after the last"
            + " operation | end noticed after, p50 | max | real time: wall | real time: wall / critical"
            + " path | real time: end noticed after, p50 | max |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (RunTiming run : runs) {
      md.append("| ")
          .append(run.tool())
          .append(" | ")
          .append(seconds(run.wall()))
          .append(" | ")
          .append(seconds(run.criticalPath()))
          .append(" | ")
          .append(seconds(run.oneAtATime()))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.3f", run.ratio()))
          .append(" | ")
          .append(seconds(run.beforeFirst()))
          .append(" | ")
          .append(seconds(run.idleGaps()))
          .append(" | ")
          .append(seconds(run.afterLast()))
          .append(" | ")
          .append(run.noticeMedian().map(BenchReport::seconds).orElse("n/a"))
          .append(" | ")
          .append(run.noticeMax().map(BenchReport::seconds).orElse("n/a"))
          .append(" | ")
          .append(minutes(run.realWall(scale)))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.3f", run.realRatio(scale)))
          .append(" | ")
          .append(run.noticeMedian().map(d -> seconds(run.inRealTime(d, scale))).orElse("n/a"))
          .append(" | ")
          .append(run.noticeMax().map(d -> seconds(run.inRealTime(d, scale))).orElse("n/a"))
          .append(" |\n");
    }
    gcloudSkipped.ifPresent(
        why ->
            md.append("\nThe seed's gcloud commands were not measured: ")
                .append(why)
                .append(".\n"));

    // Runs with the same operations share a table; gcp.poolsWithCluster's one create gets its own.
    List<RunTiming> pending = new java.util.ArrayList<>(runs);
    while (!pending.isEmpty()) {
      RunTiming first = pending.get(0);
      List<RunTiming> alike = pending.stream().filter(r -> sameOperations(r, first)).toList();
      pending.removeAll(alike);
      md.append("\n## Per operation: ")
          .append(String.join(", ", alike.stream().map(RunTiming::tool).toList()))
          .append("\n\n");
      operations(md, alike);
    }

    for (RunTiming run : runs) {
      if (run.procedure().isEmpty()) {
        continue;
      }
      md.append("\n## Steps: ").append(run.tool()).append("\n\n");
      md.append("| step | started after | took |\n|---|---|---|\n");
      for (RunTiming.Span span : run.procedure()) {
        md.append("| ")
            .append(span.title())
            .append(" | ")
            .append(seconds(span.from()))
            .append(" | ")
            .append(seconds(span.took()))
            .append(" |\n");
      }
    }

    md.append("\n## How to read it\n\n");
    md.append(
        "- **Critical path**: the cloud operations the procedure needs, summed: in the seed's order create the"
            + " cluster, delete its default pool, create three pools; with `gcp.poolsWithCluster` (refarch,"
            + " poolsWithCluster) one create that brings the pools. GKE runs one operation per cluster at a"
            + " time, so no tool can be faster; wall / critical path is what a tool adds, 1.000 being nothing."
            + " The sandbox takes as long for a create with pools as for one with a default pool (GKE"
            + " provisions the pools of one create together; docs/sandbox.md). Precisely: the time at least"
            + " one of the run's operations was running. On EKS (refarch, EKS) that is the NAT gateway, the"
            + " control plane and the longer of the two node groups, which are made together; **operations"
            + " one at a time** sums them, the critical path of a procedure that made the node groups one"
            + " after the other. On GKE and AKS the two are equal.\n"
            + "- What a tool adds is **before the first operation** (its start, the checks, the service account"
            + " and its roles), the **idle gaps** between operations (noticing an end, then its own work until"
            + " the next start) and **after the last operation** (noticing it, then the steps inside the cluster:"
            + " cluster-admin binding, node check). They add up to wall time minus critical path. **Steps**:"
            + " refarch's own steps as its progress query reports them, from the start of the run.\n"
            + "- refarch's runs are timed from the workflow's start to its result, in one JVM with Temporal's"
            + " in-process server already up. Unless `--no-warm-up`, a run against a fast sandbox goes first and"
            + " is not counted, as a worker that has run before is warm (loaded classes, compiled code).\n"
            + "- **End noticed after**: from the end of an operation in the sandbox (its `endTime`) to the tool's"
            + " first read of it after that end, from the sandbox's request log (on EKS, which has no"
            + " operation objects: the first DescribeCluster, DescribeNodegroup or DescribeNatGateways"
            + " after the change was due; on AKS the first read of the operation's Azure-AsyncOperation"
            + " URL).\n"
            + "- **Real time**: the critical path divided by the scale; refarch's poll schedule is scaled with"
            + " the profile, so the time it took to notice each end is divided too; the rest of what it adds"
            + " (its requests to the sandbox, Temporal's workflow tasks, starting the next step) is real"
            + " seconds at any scale and is taken as measured. That rest is what keeps the scaled ratio above"
            + " the real one: about 2 s of fixed costs weigh 1/60 as much against an 18-minute critical path."
            + " Requests to a real cloud take longer than to the sandbox (tens to hundreds of ms each, a run"
            + " makes a few dozen outside its waits), which the estimate does not include. gcloud's poll"
            + " period and the start of each gcloud process are real seconds at any scale, so its overhead is"
            + " taken as measured.\n"
            + "- Goals (issue 10): wall / critical path ≤ 1.02 under the realistic profile; each end noticed"
            + " within 1 s (real time); refarch never slower than the seed's gcloud sequence.\n"
            + "- Read quota: refarch reads an operation at most once a second, and that only from 80 % of its"
            + " expected duration on (`PollSchedule`): about 100 reads for a 6-minute cluster create. GKE's"
            + " quotas page (https://cloud.google.com/kubernetes-engine/quotas) gives the Kubernetes Engine"
            + " API's default rate limit per project as 3000 requests a minute (older versions of the page:"
            + " 600). We keep to the lower: ten clusters of one project in their last minute at once.\n");
    return md.toString();
  }

  /** A stacked bar per tool: the critical path, and what the tool adds, in real-time minutes. */
  public void chart(Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BenchChart.write(png, this);
  }

  Map<String, double[]> realMinutesByTool() {
    Map<String, double[]> bars = new java.util.LinkedHashMap<>();
    for (RunTiming run : runs) {
      double path = real(run.criticalPath(), latency.scale()).toMillis() / 60_000.0;
      double added = run.inRealTime(run.overhead(), latency.scale()).toMillis() / 60_000.0;
      bars.put(run.tool(), new double[] {path, added});
    }
    return bars;
  }

  private static void operations(StringBuilder md, List<RunTiming> runs) {
    md.append("| operation | took |");
    for (RunTiming run : runs) {
      md.append(" ").append(run.tool()).append(": end noticed after | idle until the next |");
    }
    md.append("\n|---|---|");
    md.append("---|---|".repeat(runs.size()));
    md.append("\n");
    RunTiming first = runs.get(0);
    for (int i = 0; i < first.steps().size(); i++) {
      RunTiming.Step step = first.steps().get(i);
      md.append("| ")
          .append(step.name())
          .append(" | ")
          .append(seconds(step.duration()))
          .append(" |");
      for (RunTiming run : runs) {
        Optional<RunTiming.Step> same = matching(run, step, i);
        md.append(" ")
            .append(same.flatMap(RunTiming.Step::notice).map(BenchReport::seconds).orElse("n/a"))
            .append(" | ")
            .append(same.flatMap(RunTiming.Step::gapAfter).map(BenchReport::seconds).orElse("—"))
            .append(" |");
      }
      md.append("\n");
    }
  }

  private static boolean sameOperations(RunTiming a, RunTiming b) {
    return a.steps().stream()
        .map(RunTiming.Step::name)
        .toList()
        .equals(b.steps().stream().map(RunTiming.Step::name).toList());
  }

  private static Optional<RunTiming.Step> matching(RunTiming run, RunTiming.Step step, int index) {
    if (index < run.steps().size() && run.steps().get(index).name().equals(step.name())) {
      return Optional.of(run.steps().get(index));
    }
    return run.steps().stream().filter(s -> s.name().equals(step.name())).findFirst();
  }

  private static Duration real(Duration d, double scale) {
    return Duration.ofNanos(Math.round(d.toNanos() / scale));
  }

  static String seconds(Duration d) {
    double s = d.toNanos() / 1e9;
    if (Math.abs(s) < 1) {
      return String.format(Locale.ROOT, "%d ms", Math.round(s * 1000));
    }
    return String.format(Locale.ROOT, "%.2f s", s);
  }

  static String minutes(Duration d) {
    long s = Math.round(d.toNanos() / 1e9);
    return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
  }
}
