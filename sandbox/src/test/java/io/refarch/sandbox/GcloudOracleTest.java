package io.refarch.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.refarch.sandbox.core.RecordedRequest;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle: the seed's own gcloud and kubectl commands (gcloud-seed.sh) run against the sandbox.
 * What they leave behind is what refarch must leave behind; the request bodies gcloud sent are kept
 * in src/test/resources/gcloud-requests for field-by-field comparison with refarch's (re-record
 * them with {@code -Dsandbox.recordGcloudRequests=true}).
 */
class GcloudOracleTest {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  static final String P = "sandbox-project";
  static final String EMAIL = "gitpod-gke@" + P + ".iam.gserviceaccount.com";
  static final String CLUSTER = "projects/" + P + "/locations/us-central1/clusters/gitpod";

  @TempDir Path work;

  @Test
  void theSeedsCommandsBuildTheReferenceClusterInTheSandbox() throws Exception {
    for (String tool : List.of("gcloud", "kubectl")) {
      boolean found = onPath(tool);
      if (!found) {
        System.out.println("GcloudOracleTest skipped: " + tool + " is not on PATH");
      }
      Assumptions.assumeTrue(found, tool + " is not on PATH");
    }
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(work.resolve("state")))) {
      Path log = work.resolve("gcloud-seed.log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  "bash",
                  script().toString(),
                  sandbox.endpoints().gcpRest(),
                  work.resolve("kube").toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .directory(work.toFile());
      builder
          .environment()
          .put(
              "CLOUDSDK_CONFIG", Files.createDirectories(work.resolve("gcloud-config")).toString());
      Process process = builder.start();
      boolean finished = process.waitFor(8, TimeUnit.MINUTES);
      if (!finished) {
        process.destroyForcibly();
      }
      String output = Files.readString(log);
      assertThat(finished)
          .as("gcloud-seed.sh finished within 8 minutes; output:\n%s", output)
          .isTrue();
      assertThat(process.exitValue()).as("gcloud-seed.sh exit code; output:\n%s", output).isZero();

      assertThat(sandbox.inventory())
          .containsExactly(
              "gcp projects/" + P + " iam roles/container.admin serviceAccount:" + EMAIL,
              "gcp projects/" + P + " iam roles/logging.logWriter serviceAccount:" + EMAIL,
              "gcp projects/" + P + " iam roles/monitoring.metricWriter serviceAccount:" + EMAIL,
              "gcp projects/" + P + " iam roles/storage.admin serviceAccount:" + EMAIL,
              "gcp projects/" + P + "/serviceAccounts/" + EMAIL,
              "gke " + CLUSTER,
              "gke " + CLUSTER + "/nodePools/workload-headless-workspaces",
              "gke " + CLUSTER + "/nodePools/workload-regular-workspaces",
              "gke " + CLUSTER + "/nodePools/workload-services",
              "k8s gitpod clusterrolebindings/cluster-admin-binding");
      assertThat(output)
          .contains("cluster-admin-binding   cluster-admin   sandbox-admin@example.com");
      // kubectl's own table output (server-side Table) for the plain get commands.
      assertThat(output)
          .containsPattern(
              "gke-gitpod-workload-services-\\S+\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.22\\.12-gke\\.1200");
      assertThat(output).containsPattern("cluster-admin-binding\\s+ClusterRole/cluster-admin");

      try (var gke = GcpClients.gke(sandbox);
          KubernetesClient k8s = GcpClients.kubernetes(sandbox, gke.getCluster(CLUSTER))) {
        Map<String, Map<String, String>> labelsByPool =
            k8s.nodes().list().getItems().stream()
                .collect(
                    Collectors.toMap(
                        n -> n.getMetadata().getLabels().get("cloud.google.com/gke-nodepool"),
                        n -> n.getMetadata().getLabels()));
        assertThat(labelsByPool.keySet())
            .containsExactlyInAnyOrder(
                "workload-services", "workload-regular-workspaces", "workload-headless-workspaces");
        assertThat(labelsByPool.get("workload-services"))
            .containsEntry("gitpod.io/workload_meta", "true")
            .containsEntry("gitpod.io/workload_ide", "true")
            .containsEntry("gitpod.io/workload_workspace_services", "true");
        assertThat(labelsByPool.get("workload-regular-workspaces"))
            .containsEntry("gitpod.io/workload_workspace_regular", "true");
        assertThat(labelsByPool.get("workload-headless-workspaces"))
            .containsEntry("gitpod.io/workload_workspace_headless", "true");
        for (Node node : k8s.nodes().list().getItems()) {
          assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion())
              .startsWith("containerd://");
          assertThat(node.getStatus().getCapacity().get("pods").getAmount()).isEqualTo("110");
        }
      }

      compareOrRecord(sandbox.requests());
    }
  }

  /**
   * gcloud's create bodies, saved for the activities' comparison, and checked against the saved
   * ones.
   */
  private void compareOrRecord(List<RecordedRequest> requests) throws Exception {
    Map<String, JsonNode> bodies = new java.util.TreeMap<>();
    for (RecordedRequest r : requests) {
      if (!r.method().equals("POST")) {
        continue;
      }
      if (r.path().endsWith("/clusters")) {
        bodies.put("create-cluster.json", JSON.readTree(r.body()));
      } else if (r.path().endsWith("/nodePools")) {
        JsonNode body = JSON.readTree(r.body());
        bodies.put(
            "create-node-pool-" + body.path("nodePool").path("name").asText() + ".json", body);
      } else if (r.path().endsWith("/serviceAccounts")) {
        bodies.put("create-service-account.json", JSON.readTree(r.body()));
      }
    }
    assertThat(bodies)
        .containsOnlyKeys(
            "create-cluster.json",
            "create-service-account.json",
            "create-node-pool-workload-services.json",
            "create-node-pool-workload-regular-workspaces.json",
            "create-node-pool-workload-headless-workspaces.json",
            "create-node-pool-services-as-gitpod-gke.json");
    Path recorded = Path.of("src/test/resources/gcloud-requests");
    boolean record = Boolean.getBoolean("sandbox.recordGcloudRequests");
    for (Map.Entry<String, JsonNode> e : bodies.entrySet()) {
      String pretty = JSON.writeValueAsString(JSON.treeToValue(e.getValue(), Object.class)) + "\n";
      Files.createDirectories(Path.of("target/gcloud-requests"));
      Files.writeString(
          Path.of("target/gcloud-requests").resolve(e.getKey()), pretty, StandardCharsets.UTF_8);
      if (record) {
        Files.createDirectories(recorded);
        Files.writeString(recorded.resolve(e.getKey()), pretty, StandardCharsets.UTF_8);
      } else {
        assertThat(JSON.readTree(recorded.resolve(e.getKey()).toFile()))
            .as(
                "gcloud's %s differs from the recorded one; re-record with -Dsandbox.recordGcloudRequests=true",
                e.getKey())
            .isEqualTo(e.getValue());
      }
    }
  }

  private static Path script() throws URISyntaxException {
    return Path.of(GcloudOracleTest.class.getResource("/gcloud-seed.sh").toURI());
  }

  private static boolean onPath(String tool) {
    return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }
}
