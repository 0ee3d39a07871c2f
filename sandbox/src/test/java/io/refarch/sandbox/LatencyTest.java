package io.refarch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.Operation;
import io.refarch.sandbox.core.Latency;
import io.refarch.sandbox.core.OperationTiming;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latency profiles: their text form, and GKE operations that take what their type takes. */
class LatencyTest {

  @TempDir Path state;

  @Test
  void defaultIsTheFlatDurationOfEveryTest() {
    Latency flat = Latency.parse("default", Duration.ofMillis(300));
    assertThat(flat.of("gke.CREATE_CLUSTER")).isEqualTo(Duration.ofMillis(300));
    assertThat(flat.of("gke.DELETE_NODE_POOL")).isEqualTo(Duration.ofMillis(300));
    assertThat(flat).hasToString("default");
    assertThat(SandboxOptions.defaults(state).latency()).isEqualTo(flat);
  }

  @Test
  void realisticIsScaledByTheFactorGiven() {
    Latency sixtieth = Latency.parse("realistic:1/60", Duration.ofMillis(300));
    assertThat(sixtieth.of("gke.CREATE_CLUSTER")).isEqualTo(Duration.ofSeconds(6));
    assertThat(sixtieth.of("gke.CREATE_NODE_POOL")).isEqualTo(Duration.ofSeconds(3));
    assertThat(sixtieth).hasToString("realistic:1/60");
    assertThat(Latency.parse("realistic:0.5", Duration.ZERO).of("gke.DELETE_CLUSTER"))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(Latency.parse("realistic", Duration.ZERO).of("gke.CREATE_CLUSTER"))
        .isEqualTo(Duration.ofMinutes(6));
    assertThat(Latency.parse("default:2", Duration.ofMillis(300)).of("gke.CREATE_CLUSTER"))
        .isEqualTo(Duration.ofMillis(600));
  }

  @Test
  void badTextSaysWhatIsWrong() {
    assertThatThrownBy(() -> Latency.parse("nonsense", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown latency profile 'nonsense'");
    for (String scale : List.of("realistic:0", "realistic:-1", "realistic:1/0", "realistic:x")) {
      assertThatThrownBy(() -> Latency.parse(scale, Duration.ZERO))
          .as(scale)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bad latency scale");
    }
  }

  @Test
  void eachOperationEndsWhenItsTypeTakesAndSaysSo() throws Exception {
    Latency fast =
        new Latency(
            "test",
            Duration.ofMillis(100),
            java.util.Map.of(
                "gke.CREATE_CLUSTER", Duration.ofMillis(400),
                "gke.CREATE_NODE_POOL", Duration.ofMillis(200)),
            1);
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(state).withLatency(fast));
        ClusterManagerClient gke = GcpClients.gke(sandbox)) {
      Operation create = gke.createCluster(GkeApiTest.LOCATION, GkeApiTest.cluster("gitpod"));
      GcpClients.awaitDone(gke, GkeApiTest.LOCATION, create);
      Operation pool =
          gke.createNodePool(
              GkeApiTest.LOCATION + "/clusters/gitpod",
              GkeApiTest.pool("workload-services", "gitpod.io/workload_meta"));
      // Asked for late: the end is still when the cloud finished it, not when it was asked.
      Thread.sleep(500);
      Operation done = GcpClients.awaitDone(gke, GkeApiTest.LOCATION, pool);
      assertThat(
              Duration.between(
                  Instant.parse(done.getStartTime()), Instant.parse(done.getEndTime())))
          .isEqualTo(Duration.ofMillis(200));

      List<OperationTiming> timings = sandbox.operationTimings();
      assertThat(timings)
          .extracting(OperationTiming::kind, OperationTiming::target, OperationTiming::duration)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "gke.CREATE_CLUSTER", "gitpod", Duration.ofMillis(400)),
              org.assertj.core.groups.Tuple.tuple(
                  "gke.CREATE_NODE_POOL", "workload-services", Duration.ofMillis(200)));
    }
  }
}
