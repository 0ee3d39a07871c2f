package io.refarch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.sandbox.core.Fault;
import org.junit.jupiter.api.Test;

class FaultTest {

  @Test
  void parsesOperationResourceCodeAndCount() {
    assertThat(Sandbox.parseFault("createNodePool:workload-headless-workspaces=RESOURCE_EXHAUSTED"))
        .isEqualTo(
            new Fault("createNodePool", "workload-headless-workspaces", "RESOURCE_EXHAUSTED", 0));
    assertThat(Sandbox.parseFault("getOperation=UNAVAILABLEx3"))
        .isEqualTo(new Fault("getOperation", null, "UNAVAILABLE", 3));
    assertThat(Sandbox.parseFault("createNodePool.done:workload-services=RESOURCE_EXHAUSTEDx1"))
        .isEqualTo(new Fault("createNodePool.done", "workload-services", "RESOURCE_EXHAUSTED", 1));
    assertThat(Sandbox.parseFault("getOperation=UNAVAILABLEx3").toString())
        .isEqualTo("getOperation=UNAVAILABLEx3");
  }

  @Test
  void namesTheBadPart() {
    assertThatThrownBy(() -> Sandbox.parseFault("createNodepool=UNAVAILABLE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown operation 'createNodepool'");
    assertThatThrownBy(() -> Sandbox.parseFault("createNodePool=QUOTA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown status code 'QUOTA'");
    assertThatThrownBy(() -> Sandbox.parseFault("createNodePool"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("operation[:resource]=CODE[xN]");
    assertThatThrownBy(() -> Sandbox.parseFault("createNodePool:=UNAVAILABLE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty resource");
    assertThatThrownBy(() -> Sandbox.parseFault("getOperation=UNAVAILABLEx0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x0");
    assertThatThrownBy(() -> Sandbox.parseFault("getOperation=OK"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OK");
  }
}
