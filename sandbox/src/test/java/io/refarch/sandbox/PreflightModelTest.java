package io.refarch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.ServerConfig;
import io.refarch.sandbox.gcp.GcpProject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What refarch's preflight reads, over the wire as Google serves it: GKE's serverConfig (the Java
 * client), serviceusage's services.get and Compute Engine's regions.get (plain REST with the Google
 * HTTP client; their Java clients are not in this build).
 */
class PreflightModelTest {

  @TempDir Path state;
  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private JsonNode get(String path) throws Exception {
    String body =
        new NetHttpTransport()
            .createRequestFactory()
            .buildGetRequest(new GenericUrl(sandbox.endpoints().gcpRest() + path))
            .execute()
            .parseAsString();
    return new ObjectMapper().readTree(body);
  }

  private static Map<String, double[]> quotas(JsonNode region) {
    Map<String, double[]> byMetric = new HashMap<>();
    region
        .get("quotas")
        .forEach(
            q ->
                byMetric.put(
                    q.get("metric").asText(),
                    new double[] {q.get("limit").asDouble(), q.get("usage").asDouble()}));
    return byMetric;
  }

  @Test
  void serverConfigOffersCurrentVersionsAndChannels() throws Exception {
    sandbox = Sandbox.start(SandboxOptions.defaults(state));
    try (ClusterManagerClient gke = GcpClients.gke(sandbox)) {
      ServerConfig config = gke.getServerConfig("projects/p1/locations/us-central1");
      assertThat(config.getValidMasterVersionsList())
          .contains(config.getDefaultClusterVersion())
          .noneMatch(v -> v.startsWith("1.22."));
      assertThat(config.getValidNodeVersionsList()).isNotEmpty();
      assertThat(config.getChannelsList())
          .extracting(c -> c.getChannel().name())
          .contains("REGULAR", "STABLE", "RAPID");
    }
  }

  @Test
  void servicesAreEnabledUnlessDisabled() throws Exception {
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(state)
                .withGcp(GcpProject.defaults().withDisabledApi("container.googleapis.com")));
    assertThat(get("/v1/projects/p1/services/iam.googleapis.com").get("state").asText())
        .isEqualTo("ENABLED");
    JsonNode container = get("/v1/projects/p1/services/container.googleapis.com");
    assertThat(container.get("state").asText()).isEqualTo("DISABLED");
    assertThat(container.get("name").asText())
        .matches("projects/\\d+/services/container.googleapis.com");
  }

  @Test
  void regionQuotasCountTheNodePoolsHeld() throws Exception {
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(state)
                .withGcp(
                    GcpProject.defaults()
                        .withQuota("us-central1/N2D_CPUS=24")
                        .withQuota("CPUS=100")));
    Map<String, double[]> before = quotas(get("/compute/v1/projects/p1/regions/us-central1"));
    assertThat(before.get("N2D_CPUS")).containsExactly(24.0, 0.0);
    assertThat(before.get("CPUS")).containsExactly(100.0, 0.0);
    assertThat(quotas(get("/compute/v1/projects/p1/regions/europe-west1")).get("N2D_CPUS")[0])
        .isEqualTo(GcpProject.DEFAULT_LIMITS.get("N2D_CPUS"));

    try (ClusterManagerClient gke = GcpClients.gke(sandbox)) {
      String location = GkeApiTest.LOCATION;
      GcpClients.awaitDone(gke, location, gke.createCluster(location, GkeApiTest.cluster("c1")));
      GcpClients.awaitDone(
          gke,
          location,
          gke.createNodePool(location + "/clusters/c1", GkeApiTest.pool("pool", "a")));
    }
    Map<String, double[]> after = quotas(get("/compute/v1/projects/p1/regions/us-central1"));
    // default-pool: 1 node of e2-standard-2; pool: 1 node of n2d-standard-16.
    assertThat(after.get("CPUS")).containsExactly(100.0, 18.0);
    assertThat(after.get("N2D_CPUS")).containsExactly(24.0, 16.0);
  }

  @Test
  void unknownRegionIsNotFoundAndBadSettingsAreNamed() throws Exception {
    sandbox = Sandbox.start(SandboxOptions.defaults(state));
    assertThatThrownBy(() -> get("/compute/v1/projects/p1/regions/nowhere"))
        .isInstanceOf(HttpResponseException.class)
        .hasMessageContaining("404")
        .hasMessageContaining("regions/nowhere' was not found");
    assertThatThrownBy(() -> GcpProject.defaults().withQuota("N2D_CPUS"))
        .hasMessageContaining("[REGION/]METRIC=LIMIT");
    assertThatThrownBy(() -> GcpProject.defaults().withDisabledApi("container"))
        .hasMessageContaining("not a service name");
  }
}
