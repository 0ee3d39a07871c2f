package io.refarch.cli.bench;

import io.refarch.sandbox.core.OperationTiming;
import io.refarch.sandbox.core.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One provisioning run against the sandbox, by one tool (refarch, or the seed's gcloud commands),
 * timed from the sandbox's side: when each operation started and ended, and when the tool first
 * read it after its end (the read that told the tool it was done).
 *
 * @param tool what ran the procedure
 * @param wall from the tool's start to a verified cluster (refarch: the workflow's result; gcloud:
 *     the script's last command)
 * @param steps the cloud operations, in the order they started
 * @param waitsScale whether the tool's own waits shrink with the sandbox's latency (refarch's poll
 *     schedule does; gcloud's poll period and process starts are real seconds whatever the scale)
 * @param beforeFirst from the tool's start to the start of its first cloud operation (the steps
 *     before it: checks, the service account, its roles; and the tool's own start-up)
 * @param afterLast from the end of its last cloud operation to the verified cluster (noticing the
 *     end, then the steps inside the cluster)
 * @param procedure the tool's own steps, when it reports them (refarch's progress), in order
 * @param critical see {@link #criticalPath()}
 */
public record RunTiming(
    String tool,
    Duration wall,
    List<Step> steps,
    boolean waitsScale,
    Duration beforeFirst,
    Duration afterLast,
    List<Span> procedure,
    Duration critical) {

  /**
   * One step of the tool's procedure as it reports it.
   *
   * @param title e.g. {@code Create cluster}
   * @param from from the tool's start to the step's start
   * @param took from the step's start to its end
   */
  public record Span(String title, Duration from, Duration took) {}

  /**
   * One cloud operation of the run.
   *
   * @param name e.g. {@code CREATE_NODE_POOL workload-services}
   * @param duration how long the cloud took
   * @param notice from its end to the tool's first read of it after the end; empty if the tool
   *     never read it after its end
   * @param gapAfter from its end to the start of the next operation (the cloud idle between two
   *     steps); empty for the last
   */
  public record Step(
      String name, Duration duration, Optional<Duration> notice, Optional<Duration> gapAfter) {}

  /**
   * The run's steps from the sandbox's record of its operations and requests; {@code started} and
   * {@code finished} as the tool measured them, on the same clock as the sandbox's.
   */
  public static RunTiming of(
      String tool,
      Instant started,
      Instant finished,
      List<OperationTiming> operations,
      List<RecordedRequest> requests,
      boolean waitsScale,
      List<Span> procedure) {
    List<OperationTiming> ops =
        operations.stream()
            .filter(o -> o.ended() != null)
            .sorted(Comparator.comparing(OperationTiming::started))
            .toList();
    List<Step> steps = new ArrayList<>();
    Instant busyUntil = null;
    for (int i = 0; i < ops.size(); i++) {
      OperationTiming op = ops.get(i);
      Optional<Duration> notice =
          requests.stream()
              .filter(r -> reads(op, r))
              .map(RecordedRequest::arrived)
              .filter(at -> !at.isBefore(op.ended()))
              .min(Comparator.naturalOrder())
              .map(at -> Duration.between(op.ended(), at));
      // Operations can overlap (EKS's node groups are made together): the cloud is idle only from
      // the latest end so far to the next start.
      if (busyUntil == null || op.ended().isAfter(busyUntil)) {
        busyUntil = op.ended();
      }
      Optional<Duration> gap =
          i + 1 < ops.size()
              ? Optional.of(
                  ops.get(i + 1).started().isAfter(busyUntil)
                      ? Duration.between(busyUntil, ops.get(i + 1).started())
                      : Duration.ZERO)
              : Optional.empty();
      steps.add(
          new Step(
              op.kind().replaceFirst("^[a-z0-9]+\\.", "") + " " + op.target(),
              op.duration(),
              notice,
              gap));
    }
    Duration wall = Duration.between(started, finished);
    Duration beforeFirst = ops.isEmpty() ? wall : Duration.between(started, ops.get(0).started());
    Duration afterLast =
        ops.isEmpty()
            ? Duration.ZERO
            : Duration.between(
                ops.stream().map(OperationTiming::ended).max(Comparator.naturalOrder()).get(),
                finished);
    return new RunTiming(
        tool, wall, steps, waitsScale, beforeFirst, afterLast, procedure, busy(ops));
  }

  /**
   * Whether {@code r} is a read of {@code op}'s progress, as each cloud's clients make it: GKE's
   * operations by name, AKS's by their Azure-AsyncOperation URL; EKS's cluster and node group by
   * DescribeCluster and DescribeNodegroup (AWS has no operation objects); NAT gateways by
   * DescribeNatGateways.
   */
  static boolean reads(OperationTiming op, RecordedRequest r) {
    String kind = op.kind();
    if (kind.startsWith("gke.") || kind.startsWith("aks.") || kind.startsWith("arm.")) {
      // AKS's too: its Azure-AsyncOperation URL ends with the operation's id.
      return r.method().equals("GET") && r.path().endsWith("/operations/" + op.id());
    }
    if (kind.endsWith("_NODEGROUP")) {
      String[] clusterAndGroup = op.target().split("/", 2);
      return r.method().equals("GET")
          && r.path()
              .equals("/clusters/" + clusterAndGroup[0] + "/node-groups/" + clusterAndGroup[1]);
    }
    if (kind.startsWith("eks.")) {
      return r.method().equals("GET") && r.path().equals("/clusters/" + op.target());
    }
    if (kind.endsWith("_NAT_GATEWAY")) {
      return r.method().equals("POST") && r.body().contains("Action=DescribeNatGateways");
    }
    return false;
  }

  /** How long at least one of {@code ops} was running: their intervals' union. */
  private static Duration busy(List<OperationTiming> ops) {
    Duration total = Duration.ZERO;
    Instant from = null;
    Instant until = null;
    for (OperationTiming op : ops) {
      if (until == null || op.started().isAfter(until)) {
        if (until != null) {
          total = total.plus(Duration.between(from, until));
        }
        from = op.started();
        until = op.ended();
      } else if (op.ended().isAfter(until)) {
        until = op.ended();
      }
    }
    return until == null ? total : total.plus(Duration.between(from, until));
  }

  /**
   * The critical path's lower bound: the time the cloud was working on at least one of the run's
   * operations. GKE runs one operation per cluster at a time, so there it is their sum; EKS makes a
   * cluster's node groups side by side, so there the longest of them counts once.
   */
  public Duration criticalPath() {
    return critical;
  }

  /**
   * The operations' durations summed: the critical path of a procedure that ran them one by one.
   */
  public Duration oneAtATime() {
    return steps.stream().map(Step::duration).reduce(Duration.ZERO, Duration::plus);
  }

  /** Wall time over critical path: 1.00 is a tool that adds nothing to what the cloud takes. */
  public double ratio() {
    long path = criticalPath().toNanos();
    return path == 0 ? Double.NaN : (double) wall.toNanos() / path;
  }

  /** Everything the tool adds to the critical path: its own work, waits and idle gaps. */
  public Duration overhead() {
    return wall.minus(criticalPath());
  }

  /** The cloud idle between two of the run's operations, summed. */
  public Duration idleGaps() {
    return steps.stream()
        .map(Step::gapAfter)
        .flatMap(Optional::stream)
        .reduce(Duration.ZERO, Duration::plus);
  }

  public Optional<Duration> noticeMedian() {
    List<Duration> sorted = notices();
    if (sorted.isEmpty()) {
      return Optional.empty();
    }
    int n = sorted.size();
    return Optional.of(
        n % 2 == 1
            ? sorted.get(n / 2)
            : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2));
  }

  public Optional<Duration> noticeMax() {
    List<Duration> sorted = notices();
    return sorted.isEmpty() ? Optional.empty() : Optional.of(sorted.get(sorted.size() - 1));
  }

  private List<Duration> notices() {
    return steps.stream().map(Step::notice).flatMap(Optional::stream).sorted().toList();
  }

  /**
   * {@code d}, a wait measured in a run whose operations took {@code scale} times their real
   * duration, in real time: divided by the scale when the tool's waits scaled too, as measured
   * otherwise.
   */
  public Duration inRealTime(Duration d, double scale) {
    return waitsScale ? Duration.ofNanos(Math.round(d.toNanos() / scale)) : d;
  }

  /**
   * The run's wall time on the real cloud, estimated: the critical path unscaled; the time taken to
   * notice each operation's end in real time (unscaled when the tool's poll schedule was scaled);
   * the rest of what the tool adds (its requests, Temporal's workflow tasks, starting the next
   * step) as measured, since those are real seconds at any scale. Node groups made together each
   * count their notice, so an overlap is counted twice: the estimate errs long.
   */
  public Duration realWall(double scale) {
    Duration noticed = notices().stream().reduce(Duration.ZERO, Duration::plus);
    Duration own = overhead().minus(noticed);
    return Duration.ofNanos(Math.round(criticalPath().toNanos() / scale))
        .plus(inRealTime(noticed, scale))
        .plus(own.isNegative() ? Duration.ZERO : own);
  }

  /** {@link #realWall} over the critical path in real time. */
  public double realRatio(double scale) {
    double path = criticalPath().toNanos() / scale;
    return path == 0 ? Double.NaN : realWall(scale).toNanos() / path;
  }
}
