package io.refarch.activities.kubernetes.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.refarch.activities.Failures;
import io.refarch.activities.Heartbeat;
import io.refarch.activities.kubernetes.calico.CalicoStatus;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.NodeReport;
import io.refarch.workflow.kubernetes.PoolExpectation;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The seed's {@code kubectl get nodes -o custom-columns=...} check, done by the tool: wait until
 * each pool has its nodes (and, where refarch installed Calico, the operator reports it Available:
 * {@link CalicoStatus}), then hold every node to Gitpod's requirements.
 */
public final class NodeCheck {
  private final Duration wait;
  private final Duration pollInitial;
  private final Duration pollMax;

  public NodeCheck(Duration wait, Duration pollInitial, Duration pollMax) {
    this.wait = wait;
    this.pollInitial = pollInitial;
    this.pollMax = pollMax;
  }

  public NodeReport verify(
      KubernetesClient client, List<PoolExpectation> pools, Heartbeat heartbeat) {
    // A wait handed back to the server read by read counts from the step's first attempt, keeping
    // its deadline and its place in the back-off; one that stays in its attempt, from its start.
    Instant since = heartbeat.firstScheduled().orElse(Instant.now());
    Instant deadline = since.plus(wait);
    Duration waited = Duration.between(since, Instant.now());
    Duration interval =
        waited.compareTo(pollInitial) < 0
            ? pollInitial
            : waited.compareTo(pollMax) > 0 ? pollMax : waited;
    List<Node> nodes;
    while (true) {
      nodes = client.nodes().list().getItems();
      List<String> short_ = new ArrayList<>(shortPools(nodes, pools));
      if (short_.isEmpty()) {
        // Calico can be Available only once nodes run it: asked when the pools have their nodes.
        CalicoStatus.notAvailable(client).ifPresent(short_::add);
      }
      String waiting = "waiting: " + String.join("; ", short_);
      heartbeat.beat(short_.isEmpty() ? "all pools have their nodes" : waiting);
      if (short_.isEmpty()) {
        break;
      }
      if (Instant.now().isAfter(deadline)) {
        throw Failures.permanent(
            FailureTypes.NODE_CHECK_FAILED,
            "nodes not Ready after "
                + (wait.toSeconds() < 120 ? wait.toSeconds() + "s" : wait.toMinutes() + "m")
                + ": "
                + String.join("; ", short_));
      }
      heartbeat.pause(interval, waiting);
      interval =
          interval.multipliedBy(2).compareTo(pollMax) > 0 ? pollMax : interval.multipliedBy(2);
    }
    List<NodeReport.Node> rows = new ArrayList<>();
    nodes.stream()
        .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
        .forEach(n -> rows.add(NodeRequirements.check(n, expectation(n, pools))));
    NodeReport report = new NodeReport(rows);
    if (!report.passed()) {
      String lines =
          rows.stream()
              .map(
                  r ->
                      r.name()
                          + " (pool "
                          + r.pool()
                          + "): "
                          + (r.problems().isEmpty() ? "ok" : String.join(", ", r.problems())))
              .collect(Collectors.joining("; "));
      throw ApplicationFailure.newNonRetryableFailure(
          "nodes fall short of Gitpod's requirements: " + lines,
          FailureTypes.NODE_CHECK_FAILED,
          report);
    }
    return report;
  }

  private static List<String> shortPools(List<Node> nodes, List<PoolExpectation> pools) {
    List<String> out = new ArrayList<>();
    for (PoolExpectation pool : pools) {
      long ready =
          nodes.stream()
              .filter(n -> pool.pool().equals(NodeRequirements.pool(n)))
              .filter(NodeRequirements::ready)
              .count();
      if (ready < pool.minNodes()) {
        out.add(
            "pool " + pool.pool() + " has " + ready + " of " + pool.minNodes() + " Ready nodes");
      }
    }
    return out;
  }

  private static Optional<PoolExpectation> expectation(Node node, List<PoolExpectation> pools) {
    String pool = NodeRequirements.pool(node);
    return pools.stream().filter(p -> p.pool().equals(pool)).findFirst();
  }
}
