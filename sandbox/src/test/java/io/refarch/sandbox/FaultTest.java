package io.refarch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultTest {

    @Test
    void parsesOperationResourceCodeAndCount() {
        assertThat(Fault.parse("createNodePool:workload-headless-workspaces=RESOURCE_EXHAUSTED"))
                .isEqualTo(new Fault("createNodePool", "workload-headless-workspaces", "RESOURCE_EXHAUSTED", 0));
        assertThat(Fault.parse("getOperation=UNAVAILABLEx3")).isEqualTo(new Fault("getOperation", null, "UNAVAILABLE", 3));
        assertThat(Fault.parse("createNodePool.done:workload-services=RESOURCE_EXHAUSTEDx1"))
                .isEqualTo(new Fault("createNodePool.done", "workload-services", "RESOURCE_EXHAUSTED", 1));
        assertThat(Fault.parse("getOperation=UNAVAILABLEx3").toString()).isEqualTo("getOperation=UNAVAILABLEx3");
    }

    @Test
    void namesTheBadPart() {
        assertThatThrownBy(() -> Fault.parse("createNodepool=UNAVAILABLE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown operation 'createNodepool'");
        assertThatThrownBy(() -> Fault.parse("createNodePool=QUOTA"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown status code 'QUOTA'");
        assertThatThrownBy(() -> Fault.parse("createNodePool"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("operation[:resource]=CODE[xN]");
        assertThatThrownBy(() -> Fault.parse("createNodePool:=UNAVAILABLE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty resource");
        assertThatThrownBy(() -> Fault.parse("getOperation=UNAVAILABLEx0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x0");
        assertThatThrownBy(() -> Fault.parse("getOperation=OK"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OK");
    }
}
