package io.refarch.workflow.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.spec.Cloud;
import io.refarch.spec.Specs;
import io.refarch.workflow.RunIds;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClusterRefTest {

  @Test
  void aRunsWorkflowIdNamesItsCluster() throws Exception {
    for (String preset : new String[] {"gke.yaml", "eks.yaml", "aks.yaml"}) {
      var spec = Specs.load(Path.of("../examples", preset));
      assertThat(ClusterRef.ofWorkflowId(RunIds.workflowId(spec))).isEqualTo(ClusterRef.of(spec));
    }
    assertThat(ClusterRef.ofWorkflowId("refarch/gcp/my-project/europe-west1/gitpod"))
        .isEqualTo(new ClusterRef(Cloud.GCP, "my-project", "europe-west1", "gitpod"));
  }

  @Test
  void anythingElseIsRefusedSayingWhatIsWrong() {
    assertThatThrownBy(() -> ClusterRef.ofWorkflowId("gitpod"))
        .hasMessageContaining("expected refarch/<cloud>/<owner>/<region>/<name>");
    assertThatThrownBy(() -> ClusterRef.ofWorkflowId("refarch/gcp/p/us-central1/gitpod/x"))
        .hasMessageContaining("expected refarch/<cloud>/<owner>/<region>/<name>");
    assertThatThrownBy(() -> ClusterRef.ofWorkflowId("refarch/gce/p/us-central1/gitpod"))
        .hasMessageContaining("cloud 'gce' must be one of gcp, aws, azure");
    assertThatThrownBy(() -> ClusterRef.ofWorkflowId("refarch/gcp/p//gitpod"))
        .hasMessageContaining("region is empty");
  }
}
