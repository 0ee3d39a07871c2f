package io.refarch.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.sandbox.core.OperationTiming;
import io.refarch.sandbox.core.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's figures from the sandbox's record of operations and requests. */
class RunTimingTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  static RecordedRequest get(String op, long ms) {
    return new RecordedRequest(
        "GET", "/v1/projects/p/locations/r/operations/" + op, "", "", at(ms));
  }

  @Test
  void noticeIsTheFirstReadAfterTheEndAndGapsRunToTheNextStart() {
    List<OperationTiming> ops =
        List.of(
            new OperationTiming("op-1", "gke.CREATE_CLUSTER", "gitpod", at(100), at(6_100)),
            new OperationTiming(
                "op-2", "gke.DELETE_NODE_POOL", "default-pool", at(6_300), at(9_300)));
    List<RecordedRequest> requests =
        List.of(
            get("op-1", 3_000), // before the end: not a notice
            get("op-1", 6_140),
            get("op-1", 6_200), // a later read does not count
            new RecordedRequest(
                "GET", "/v1/projects/p/locations/r/clusters/gitpod", "", "", at(6_250)),
            get("op-2", 9_310));

    RunTiming run = RunTiming.of("refarch", at(0), at(9_500), ops, requests, true, List.of());

    assertThat(run.steps())
        .extracting(RunTiming.Step::name)
        .containsExactly("CREATE_CLUSTER gitpod", "DELETE_NODE_POOL default-pool");
    assertThat(run.steps().get(0).notice()).contains(Duration.ofMillis(40));
    assertThat(run.steps().get(0).gapAfter()).contains(Duration.ofMillis(200));
    assertThat(run.steps().get(1).gapAfter()).isEmpty();
    assertThat(run.criticalPath()).isEqualTo(Duration.ofSeconds(9));
    assertThat(run.ratio()).isEqualTo(9.5 / 9);
    assertThat(run.idleGaps()).isEqualTo(Duration.ofMillis(200));
    assertThat(run.noticeMedian()).contains(Duration.ofMillis(25));
    assertThat(run.noticeMax()).contains(Duration.ofMillis(40));
    // What the tool adds is before the first operation, between operations and after the last.
    assertThat(run.beforeFirst()).isEqualTo(Duration.ofMillis(100));
    assertThat(run.afterLast()).isEqualTo(Duration.ofMillis(200));
    assertThat(run.beforeFirst().plus(run.idleGaps()).plus(run.afterLast()))
        .isEqualTo(run.overhead());
  }

  @Test
  void realTimeDividesOnlyWaitsThatScaled() {
    List<OperationTiming> ops =
        List.of(new OperationTiming("op-1", "gke.CREATE_CLUSTER", "gitpod", at(0), at(6_000)));
    RunTiming refarch =
        RunTiming.of(
            "refarch", at(0), at(6_100), ops, List.of(get("op-1", 6_050)), true, List.of());
    RunTiming gcloud = RunTiming.of("gcloud", at(0), at(8_000), ops, List.of(), false, List.of());
    RunTiming unread = RunTiming.of("refarch", at(0), at(6_100), ops, List.of(), true, List.of());

    // refarch: the critical path and the 50 ms it took to notice the end grow back with the scale
    // (its poll schedule was scaled); its other 50 ms (requests, workflow tasks) are real as is.
    assertThat(refarch.realWall(1.0 / 60)).isEqualTo(Duration.ofMillis(360_000 + 3_000 + 50));
    assertThat(refarch.realRatio(1.0 / 60)).isEqualTo(363.05 / 360);
    // gcloud's waits do not scale: all it adds is real as measured.
    assertThat(gcloud.realWall(1.0 / 60)).isEqualTo(Duration.ofSeconds(362));
    assertThat(unread.realWall(1.0 / 60)).isEqualTo(Duration.ofMillis(360_100));
    assertThat(unread.noticeMedian()).isEmpty();
  }

  /**
   * EKS: node groups made together overlap; the critical path counts the time the cloud was busy
   * (the longer group once), one-at-a-time sums them, and the overlap is no idle gap.
   */
  @Test
  void overlappingOperationsCountOnceOnTheCriticalPath() {
    List<OperationTiming> ops =
        List.of(
            new OperationTiming("n", "ec2.CREATE_NAT_GATEWAY", "nat-1", at(0), at(1_500)),
            new OperationTiming("c", "eks.CREATE_CLUSTER", "gitpod", at(2_000), at(12_000)),
            new OperationTiming(
                "s", "eks.CREATE_NODEGROUP", "gitpod/services", at(13_000), at(17_000)),
            new OperationTiming(
                "w", "eks.CREATE_NODEGROUP", "gitpod/workspaces", at(13_010), at(17_500)));
    List<RecordedRequest> requests =
        List.of(
            new RecordedRequest(
                "POST", "/", "", "Action=DescribeNatGateways&Version=2016-11-15", at(1_600)),
            new RecordedRequest("GET", "/clusters/gitpod", "", "", at(12_020)),
            new RecordedRequest("GET", "/clusters/gitpod/node-groups/services", "", "", at(17_030)),
            new RecordedRequest(
                "GET", "/clusters/gitpod/node-groups/workspaces", "", "", at(17_510)));

    RunTiming run = RunTiming.of("refarch, EKS", at(0), at(18_000), ops, requests, true, List.of());

    assertThat(run.criticalPath()).isEqualTo(Duration.ofMillis(1_500 + 10_000 + 4_500));
    assertThat(run.oneAtATime()).isEqualTo(Duration.ofMillis(1_500 + 10_000 + 4_000 + 4_490));
    assertThat(run.steps())
        .extracting(s -> s.notice().orElseThrow())
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(20),
            Duration.ofMillis(30),
            Duration.ofMillis(10));
    // Idle: 500 ms after the NAT gateway, 1 s after the control plane; none between the groups.
    assertThat(run.idleGaps()).isEqualTo(Duration.ofMillis(1_500));
    assertThat(run.beforeFirst().plus(run.idleGaps()).plus(run.afterLast()))
        .isEqualTo(run.overhead());
  }
}
