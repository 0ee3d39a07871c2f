package io.refarch.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.workflow.FailureTypes;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import org.junit.jupiter.api.Test;

class RunWatcherTest {
  private static PendingActivityInfo pending(int attempt, String type, String message) {
    return PendingActivityInfo.newBuilder()
        .setActivityType(ActivityType.newBuilder().setName("GkeEnsureNodePool"))
        .setAttempt(attempt)
        .setLastFailure(
            Failure.newBuilder()
                .setMessage(message)
                .setApplicationFailureInfo(ApplicationFailureInfo.newBuilder().setType(type)))
        .build();
  }

  @Test
  void aReadHandedBackToTheServerIsNeitherARetryNorAnError() {
    Snapshot.RunningActivity running =
        RunWatcher.running(pending(37, FailureTypes.WAITING, "next read in 1000 ms: op-1"));

    assertThat(running.attempt()).isEqualTo(1);
    assertThat(running.lastFailure()).isNull();
  }

  @Test
  void aRetryAfterAFailureShowsItsAttemptAndTheFailure() {
    Snapshot.RunningActivity running =
        RunWatcher.running(pending(3, "Unavailable", "the service is unavailable"));

    assertThat(running.attempt()).isEqualTo(3);
    assertThat(running.lastFailure()).isEqualTo("Unavailable: the service is unavailable");
  }
}
