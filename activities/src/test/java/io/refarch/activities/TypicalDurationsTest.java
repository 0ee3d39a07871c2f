package io.refarch.activities;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.aks.AksActivitiesImpl;
import io.refarch.activities.eks.Waiter;
import io.refarch.activities.gke.operation.PollSchedule;
import io.refarch.sandbox.core.Latency;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The poll schedule's expectations and the sandbox's realistic profile are one set of cited figures
 * (docs/sandbox.md): a benchmark against the sandbox then measures the schedule the real cloud
 * gets.
 */
class TypicalDurationsTest {
  static Stream<Arguments> clouds() {
    return Stream.of(
        Arguments.of("GKE", PollSchedule.GKE_TYPICAL),
        Arguments.of("EKS and EC2", Waiter.AWS_TYPICAL),
        Arguments.of("AKS and ARM", AksActivitiesImpl.TYPICAL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clouds")
  void thePollScheduleExpectsWhatTheSandboxsRealisticProfileTakes(
      String cloud, Map<String, Duration> typical) {
    Latency realistic = Latency.realistic();
    typical.forEach(
        (operation, duration) ->
            assertThat(realistic.of(operation)).as(operation).isEqualTo(duration));
  }
}
