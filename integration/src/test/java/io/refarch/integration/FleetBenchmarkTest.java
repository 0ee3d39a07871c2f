package io.refarch.integration;

import static io.refarch.integration.Child.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.RunIds;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A fleet on one worker: one worker process (the worker jar, heap capped at 1 GiB, its waits handed
 * back to the server) drives N concurrent provisioning runs of examples/gke.yaml, each a cluster
 * and project of its own, against the sandbox with the realistic latency profile scaled, on one
 * Temporal dev server. Every run must complete, no run's history may exceed 300 events, and the
 * worker's activity slots must never all be taken (no run waits for a slot while others wait for
 * the cloud).
 *
 * <p>The sizes come from {@code -Drefarch.fleet} (default {@code 3}: CI's smoke, under a minute),
 * the latency profile from {@code -Drefarch.fleet.latency} (default {@code realistic:1/60}); the
 * documented curve (the README has the command) is {@code -Drefarch.fleet=10,100,1000
 * -Drefarch.fleet.latency=realistic:1/10 -Drefarch.fleet.out=docs/fleet.md}.
 */
class FleetBenchmarkTest {
  private static final String LATENCY =
      System.getProperty("refarch.fleet.latency", "realistic:1/60");
  private static final String HEAP = "1g";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What one fleet measured. */
  record Fleet(
      int runs,
      int completed,
      Duration wall,
      Duration runP50,
      Duration runMax,
      Duration workerCpu,
      Duration sandboxCpu,
      Duration serverCpu,
      long peakHeapBytes,
      long historyMax,
      double historyMean,
      int slotsUsedMax,
      int slots,
      String activityScheduleToStart,
      String workflowTaskScheduleToStart) {}

  @Test
  void everyRunOfTheFleetCompletesAndNoneWaitsForASlot() throws Exception {
    List<Integer> sizes =
        Arrays.stream(System.getProperty("refarch.fleet", "3").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    List<Fleet> fleets = new ArrayList<>();
    String out = System.getProperty("refarch.fleet.out", "");
    for (int runs : sizes) {
      try (Stack stack = new Stack("fleet-" + runs)) {
        fleets.add(fleet(stack, runs));
        // After each fleet, so a larger one that is stopped leaves the smaller ones' results.
        if (!out.isBlank()) {
          Files.writeString(stack.repo.resolve(out), markdown(fleets));
        }
      }
      System.out.println(markdown(fleets));
    }
    for (Fleet f : fleets) {
      assertThat(f.completed()).as("runs completed of " + f.runs()).isEqualTo(f.runs());
      assertThat(f.historyMax()).as("history events of a run").isLessThanOrEqualTo(300);
      assertThat(f.slotsUsedMax()).as("activity slots in use at most").isLessThan(f.slots());
    }
  }

  private static Fleet fleet(Stack stack, int runs) throws Exception {
    stack.sandboxHeap(runs >= 500 ? "2g" : "512m");
    stack.startDevServer();
    stack.startSandbox(Duration.ofMillis(300), List.of("--latency", LATENCY));
    stack.startWorker(
        List.of("-Xmx" + HEAP),
        Map.of("REFARCH_HAND_BACK_WAITS", "true"),
        List.of(
            "--management.metrics.distribution.percentiles-histogram.temporal_activity_schedule_to_start_latency=true",
            "--management.metrics.distribution.percentiles-histogram.temporal_workflow_task_schedule_to_start_latency=true"));
    String metricsUrl = "http://127.0.0.1:" + stack.workerPort() + "/actuator/prometheus";
    ProcessHandle worker = ProcessHandle.of(stack.workerPid()).orElseThrow();
    ProcessHandle sandbox = ProcessHandle.of(stack.sandboxPid()).orElseThrow();
    ProcessHandle server = ProcessHandle.of(stack.devServerPid()).orElseThrow();
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporal.address()).build());
    try {
      WorkflowClient client =
          WorkflowClient.newInstance(
              service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      String before = get(metricsUrl);
      Duration cpuBefore = cpu(worker);
      Duration sandboxCpuBefore = cpu(sandbox);
      Duration serverCpuBefore = cpu(server);
      Sampler sampler = new Sampler(metricsUrl);
      Thread sampling = new Thread(sampler, "fleet-sampler");
      sampling.start();
      Instant start = Instant.now();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        ClusterSpec spec = spec(stack, String.format(Locale.ROOT, "fleet-%04d", i));
        String id = RunIds.workflowId(spec);
        client
            .newUntypedWorkflowStub(
                "ProvisionCluster",
                WorkflowOptions.newBuilder()
                    .setTaskQueue(RunIds.TASK_QUEUE)
                    .setWorkflowId(id)
                    .build())
            .start(spec);
        ids.add(id);
      }
      await(
          Duration.ofMinutes(90),
          "the fleet's " + runs + " runs to close",
          () -> open(service) == 0);
      Instant end = Instant.now();
      sampler.stop.set(true);
      sampling.join();
      Duration cpu = cpu(worker).minus(cpuBefore);
      Duration sandboxCpu = cpu(sandbox).minus(sandboxCpuBefore);
      Duration serverCpu = cpu(server).minus(serverCpuBefore);
      String after = get(metricsUrl);

      int completed = 0;
      long historyMax = 0;
      long historyTotal = 0;
      List<Duration> durations = new ArrayList<>();
      for (String id : ids) {
        WorkflowExecutionInfo info =
            service
                .blockingStub()
                .describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                        .build())
                .getWorkflowExecutionInfo();
        if (info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
          completed++;
        }
        historyMax = Math.max(historyMax, info.getHistoryLength());
        historyTotal += info.getHistoryLength();
        durations.add(
            Duration.ofSeconds(
                info.getCloseTime().getSeconds() - info.getStartTime().getSeconds(),
                info.getCloseTime().getNanos() - info.getStartTime().getNanos()));
      }
      durations.sort(null);
      return new Fleet(
          runs,
          completed,
          Duration.between(start, end),
          durations.get(durations.size() / 2),
          durations.get(durations.size() - 1),
          cpu,
          sandboxCpu,
          serverCpu,
          sampler.peakHeap,
          historyMax,
          (double) historyTotal / runs,
          sampler.slotsUsedMax,
          sampler.slots,
          quantiles(before, after, "temporal_activity_schedule_to_start_latency_seconds_bucket"),
          quantiles(
              before, after, "temporal_workflow_task_schedule_to_start_latency_seconds_bucket"));
    } finally {
      service.shutdownNow();
    }
  }

  /** examples/gke.yaml as a cluster and project of its own. */
  private static ClusterSpec spec(Stack stack, String name) throws Exception {
    String yaml =
        Files.readString(stack.repo.resolve("examples/gke.yaml"))
            .replace("name: gitpod", "name: " + name)
            .replace("project: my-gcp-project", "project: " + name);
    Path file = stack.runDir.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return Specs.load(file);
  }

  private static long open(WorkflowServiceStubs service) {
    return service
        .blockingStub()
        .countWorkflowExecutions(
            CountWorkflowExecutionsRequest.newBuilder()
                .setNamespace("default")
                .setQuery("ExecutionStatus='Running'")
                .build())
        .getCount();
  }

  /** The CPU time of {@code process} and the processes it started (a launcher's child). */
  private static Duration cpu(ProcessHandle process) {
    Duration own =
        process
            .info()
            .totalCpuDuration()
            .orElseThrow(() -> new AssertionError("no CPU time for process " + process.pid()));
    return process
        .descendants()
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(own, Duration::plus);
  }

  /**
   * Reads the worker's metrics every half second: activity slots in use (and how many there are),
   * heap in use. A peak between two samples is missed; the JVM's own cap ({@code -Xmx}) is the hard
   * bound.
   */
  private static final class Sampler implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    private final String url;
    volatile int slotsUsedMax;
    volatile int slots;
    volatile long peakHeap;

    Sampler(String url) {
      this.url = url;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        String text = get(url);
        if (text != null) {
          int used =
              (int) sum(text, "temporal_worker_task_slots_used", "worker_type=\"ActivityWorker\"");
          int available =
              (int)
                  sum(
                      text,
                      "temporal_worker_task_slots_available",
                      "worker_type=\"ActivityWorker\"");
          slotsUsedMax = Math.max(slotsUsedMax, used);
          slots = Math.max(slots, used + available);
          peakHeap = Math.max(peakHeap, (long) sum(text, "jvm_memory_used_bytes", "area=\"heap\""));
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static final Pattern LINE = Pattern.compile("(?m)^([a-z_]+)\\{([^}]*)\\} (\\S+)$");
  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

  /** The sum of a metric's samples whose labels contain {@code label}. */
  static double sum(String text, String metric, String label) {
    double total = 0;
    Matcher m = LINE.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(metric) && m.group(2).contains(label)) {
        total += Double.parseDouble(m.group(3));
      }
    }
    return total;
  }

  /**
   * p50 and p99 of a latency histogram over the fleet's run (the buckets' counts after minus
   * before, summed over all label sets), each as the bucket bound it falls under.
   */
  static String quantiles(String before, String after, String buckets) {
    TreeMap<Double, Double> counts = new TreeMap<>();
    add(counts, after, buckets, 1);
    add(counts, before, buckets, -1);
    if (counts.isEmpty() || counts.lastEntry().getValue() <= 0) {
      return "—";
    }
    double total = counts.lastEntry().getValue();
    return bound(counts, total * 0.5) + " / " + bound(counts, total * 0.99);
  }

  private static void add(TreeMap<Double, Double> counts, String text, String metric, int sign) {
    if (text == null) {
      return;
    }
    Matcher m = LINE.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals(metric)) {
        continue;
      }
      Matcher le = LE.matcher(m.group(2));
      if (le.find()) {
        double bound =
            le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
        counts.merge(bound, sign * Double.parseDouble(m.group(3)), Double::sum);
      }
    }
  }

  private static String bound(TreeMap<Double, Double> cumulative, double rank) {
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= rank) {
        return e.getKey().isInfinite() ? "> 30 s" : "≤ " + millis(e.getKey());
      }
    }
    return "—";
  }

  private static String millis(double seconds) {
    return seconds < 1
        ? String.format(Locale.ROOT, "%.0f ms", seconds * 1000)
        : String.format(Locale.ROOT, "%.1f s", seconds);
  }

  private static String get(String url) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static String markdown(List<Fleet> fleets) {
    StringBuilder md = new StringBuilder();
    md.append("# Fleet on one worker\n\n")
        .append(
            "One worker process (the worker jar, `-Xmx1g`, `REFARCH_HAND_BACK_WAITS=true`) drives N"
                + " concurrent provisioning runs of examples/gke.yaml (each a cluster and project of"
                + " its own) against the sandbox with latency `")
        .append(LATENCY)
        .append(
            "`, on one Temporal dev server, all on one machine ("
                + Runtime.getRuntime().availableProcessors()
                + " cores). Written by the fleet benchmark (see"
                + " the README's Status section for the command); do not edit by hand.\n\n")
        .append("Measured ")
        .append(
            DateTimeFormatter.ISO_INSTANT.format(
                Instant.now().atOffset(ZoneOffset.UTC).withNano(0)))
        .append(".\n\n")
        .append(
            "| runs | completed | wall time | run p50 | run max | worker CPU | of the cores"
                + " | sandbox, dev server CPU of the cores | peak heap | history events per run"
                + " (mean, max) | activity slots in use (max of) | activity schedule-to-start p50 /"
                + " p99 | workflow task schedule-to-start p50 / p99 |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Fleet f : fleets) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %s | %s | %s | %s | %.0f %% | %.0f %%, %.0f %% | %d MiB | %.0f, %d | %d of"
                  + " %d | %s | %s |%n",
              f.runs(),
              f.completed(),
              seconds(f.wall()),
              seconds(f.runP50()),
              seconds(f.runMax()),
              seconds(f.workerCpu()),
              ofTheCores(f.workerCpu(), f.wall()),
              ofTheCores(f.sandboxCpu(), f.wall()),
              ofTheCores(f.serverCpu(), f.wall()),
              f.peakHeapBytes() / (1024 * 1024),
              f.historyMean(),
              f.historyMax(),
              f.slotsUsedMax(),
              f.slots(),
              f.activityScheduleToStart(),
              f.workflowTaskScheduleToStart()));
    }
    md.append(
        "\n- **wall time**: from the first run's start to the last run's close; **run p50, max**: each"
            + " run's own start to close. A run's critical path is 18 min of GKE's typical durations"
            + " times the latency's scale (`realistic:1/10`: 108 s), and the worker reads an operation"
            + " at most every second (its poll settings as the integration stage sets them, 200 ms doubling"
            + " to 1 s), each read one attempt through the server.\n"
            + "- **worker CPU**: the worker process's CPU time over the fleet (its JVM's start and warm-up"
            + " excluded); **of the cores**: that over wall time and the machine's cores. The sandbox and"
            + " the dev server run on the same cores: their CPU over the fleet, as a share of the cores,"
            + " beside it (together near 100 %, the machine was the limit).\n"
            + "- **peak heap**: the highest `jvm_memory_used_bytes{area=\"heap\"}` the worker reported,"
            + " read every 0.5 s (a peak between two reads is missed; `-Xmx1g` is the hard bound: a fleet"
            + " that needed more would have failed).\n"
            + "- **history events per run**: the server's `historyLength` of each run (a handed-back read"
            + " adds none).\n"
            + "- **activity slots in use**: the highest `temporal_worker_task_slots_used` of the activity"
            + " worker, read every 0.5 s, of its slots (used + available): below the total, no attempt"
            + " waited for a slot.\n"
            + "- **schedule-to-start**: from the SDK's histograms (`temporal_activity_schedule_to_start_latency`,"
            + " `temporal_workflow_task_schedule_to_start_latency`), the bucket bound under which half and"
            + " 99 % of the fleet's tasks started: how long a task that was due waited for the worker;"
            + " every read of a handed-back wait counts.\n");
    return md.toString();
  }

  /** {@code cpu} over {@code wall} and the machine's cores, in percent. */
  private static double ofTheCores(Duration cpu, Duration wall) {
    return 100.0
        * cpu.toMillis()
        / Math.max(1, wall.toMillis())
        / Runtime.getRuntime().availableProcessors();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
