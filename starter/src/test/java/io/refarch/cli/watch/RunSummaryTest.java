package io.refarch.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.workflow.StepProgress;
import io.refarch.workflow.StepState;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

  private static StepProgress compensated(int id, String startedAt) {
    return new StepProgress(
        String.valueOf(id),
        "Create node pool p" + id,
        "node-pool/p" + id,
        StepState.COMPENSATED,
        1,
        startedAt,
        null,
        null);
  }

  @Test
  void aCompensationThatBeganOnAWholeSecondStillSortsFirst() {
    // Instant.toString writes a whole second without a fraction: "…:05Z" > "…:05.120Z" as text.
    StepProgress first = compensated(6, "2026-11-30T10:00:05Z");
    StepProgress second = compensated(5, "2026-11-30T10:00:05.120Z");
    StepProgress third = compensated(3, "2026-11-30T10:00:06.004Z");

    List<StepProgress> sorted =
        Stream.of(third, second, first).sorted(RunSummary.COMPENSATION_ORDER).toList();

    assertThat(sorted).containsExactly(first, second, third);
  }

  @Test
  void compensationsThatBeganInTheSameMillisecondRunLastCreatedFirst() {
    StepProgress pool = compensated(6, "2026-11-30T10:00:05.120Z");
    StepProgress cluster = compensated(3, "2026-11-30T10:00:05.120Z");
    StepProgress account = compensated(1, "2026-11-30T10:00:05.120Z");

    assertThat(Stream.of(account, pool, cluster).sorted(RunSummary.COMPENSATION_ORDER).toList())
        .containsExactly(pool, cluster, account);
  }
}
