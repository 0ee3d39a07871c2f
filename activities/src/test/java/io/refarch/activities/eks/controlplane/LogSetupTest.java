package io.refarch.activities.eks.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogSetupTest {
  @Test
  void starEnablesEveryControlPlaneLogType() {
    assertThat(ControlPlaneReconciler.logSetup(List.of("*")).get(0).typesAsStrings())
        .containsExactly("api", "audit", "authenticator", "controllerManager", "scheduler");
    assertThat(ControlPlaneReconciler.logSetup(List.of("api", "audit")).get(0).typesAsStrings())
        .containsExactly("api", "audit");
    assertThat(ControlPlaneReconciler.logSetup(List.of())).isEmpty();
  }
}
