package io.refarch.activities.eks;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.Caller;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnershipTest {
  private static final Map<String, String> MADE_BY_RUN_1 =
      Map.of(Ownership.CLUSTER, "gitpod", Ownership.RUN, "run-1", "project", "gitpod");

  @Test
  void aCompensationDeletesOnlyWhatItsRunMade() {
    assertThat(Ownership.keepReason(MADE_BY_RUN_1, "gitpod", new Caller("run-1", false))).isEmpty();
    assertThat(Ownership.keepReason(MADE_BY_RUN_1, "gitpod", new Caller("run-2", false)))
        .hasValueSatisfying(r -> assertThat(r).contains("adopted"));
  }

  @Test
  void aTeardownDeletesWhatWasMadeForItsClusterAndNothingUntagged() {
    Caller down = new Caller("teardown", true);
    assertThat(Ownership.keepReason(MADE_BY_RUN_1, "gitpod", down)).isEmpty();
    assertThat(Ownership.keepReason(MADE_BY_RUN_1, "other", down)).isPresent();
    assertThat(Ownership.keepReason(Map.of(), "gitpod", down))
        .hasValueSatisfying(r -> assertThat(r).contains("refarch.io/cluster=gitpod"));
  }
}
