package io.refarch.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workflows hand the spec to activities through Temporal's data converter: it must survive intact.
 */
class SpecPayloadTest {

  @ParameterizedTest
  @ValueSource(strings = {"gke.yaml", "gke-two-pools.yaml", "eks.yaml", "aks.yaml"})
  void aLoadedSpecCrossesTemporalsDataConverterUnchanged(String preset) throws SpecException {
    ClusterSpec spec = Specs.load(PresetFiles.path(preset));
    DataConverter converter = DefaultDataConverter.STANDARD_INSTANCE;

    Payload payload = converter.toPayload(spec).orElseThrow();
    ClusterSpec back = converter.fromPayload(payload, ClusterSpec.class, ClusterSpec.class);

    assertThat(back).isEqualTo(spec);
    // Only the record's fields travel; helper methods such as owner() must not become properties.
    assertThat(payload.getData().toStringUtf8())
        .doesNotContain("\"owner\"", "gitpodLabels", "keepsOnFailure");
  }
}
