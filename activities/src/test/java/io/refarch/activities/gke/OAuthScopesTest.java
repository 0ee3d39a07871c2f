package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.gke.nodepool.OAuthScopes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scope aliases mean what they mean to gcloud. */
class OAuthScopesTest {
  private static final String AUTH = "https://www.googleapis.com/auth/";

  @Test
  void gkeDefaultWithoutAServiceAccountIsTheSixGkeScopes() {
    assertThat(OAuthScopes.expand(List.of("gke-default", AUTH + "ndev.clouddns.readwrite"), false))
        .containsExactly(
            AUTH + "devstorage.read_only",
            AUTH + "logging.write",
            AUTH + "monitoring",
            AUTH + "ndev.clouddns.readwrite",
            AUTH + "service.management.readonly",
            AUTH + "servicecontrol",
            AUTH + "trace.append");
  }

  @Test
  void gkeDefaultWithAServiceAccountIsCloudPlatformAndEmail() {
    assertThat(OAuthScopes.expand(List.of("gke-default"), true))
        .containsExactly(AUTH + "cloud-platform", AUTH + "userinfo.email");
  }

  @Test
  void aliasesExpandAndDuplicatesCollapse() {
    assertThat(OAuthScopes.expand(List.of("storage-rw", "trace", AUTH + "trace.append"), false))
        .containsExactly(AUTH + "devstorage.read_write", AUTH + "trace.append");
  }
}
