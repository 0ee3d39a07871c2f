package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.container.v1.CreateClusterRequest;
import com.google.container.v1.CreateNodePoolRequest;
import com.google.iam.admin.v1.CreateServiceAccountRequest;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.refarch.activities.SeedSpecs;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.NodePool;
import io.refarch.workflow.gke.GkeActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gcloud is the oracle: for the seed's commands, refarch must send GKE the same value for every
 * field gcloud sends. gcloud's bodies are the sandbox module's recordings of the seed's own
 * commands run by gcloud (sandbox/src/test/resources/gcloud-requests, from gcloud-seed.sh);
 * refarch's are what the sandbox received from the Java clients. Both are read into the API's own
 * request message and printed back, so enum numbers vs names and int64-as-string do not count as
 * differences.
 */
class GcloudRequestParityTest {
  /** The project gcloud-seed.sh used, so resource names match too. */
  private static final String PROJECT = "sandbox-project";

  /** Tests run in the module's directory; the recordings live beside the sandbox's tests. */
  private static final Path GCLOUD_REQUESTS =
      Path.of("../sandbox/src/test/resources/gcloud-requests");

  /**
   * refarch's ownership marks: which cluster a resource was made for, which run made it, which
   * service account the cluster relies on. gcloud users would add their own with --labels; refarch
   * needs them so that down and compensation delete only what is refarch's.
   */
  private static final String MARKS =
      "ownership marks, so that down and a failed run's compensation delete only what refarch"
          + " made (docs/how-a-run-works.md)";

  private static final Map<String, String> CLUSTER_DIFFERENCES =
      Map.of(
          "cluster.resourceLabels.refarch-cluster", MARKS,
          "cluster.resourceLabels.refarch-run", MARKS,
          "cluster.resourceLabels.refarch-service-account", MARKS);

  /**
   * Fields where refarch deliberately differs from gcloud, each with its reason. The pools' account
   * is not one of them: like the seed's node-pools create, refarch names none by default.
   */
  private static final Map<String, String> NODE_POOL_DIFFERENCES =
      Map.of(
          "nodePool.config.resourceLabels.refarch-cluster",
          MARKS,
          "nodePool.config.resourceLabels.refarch-run",
          MARKS,
          "nodePool.config.resourceLabels.refarch-service-account",
          MARKS);

  /**
   * gcloud-seed.sh's extra pool: the seed's services-pool command with --service-account, which is
   * what gcp.nodePoolServiceAccount asks for.
   */
  private static final String POOL_WITH_ACCOUNT = "services-as-gitpod-gke";

  @TempDir Path dir;
  private GkeSandbox sandbox;
  private TestActivityEnvironment env;
  private GkeActivitiesImpl impl;

  /**
   * Runs the seed's steps through the activities; the sandbox records what the Java client sent.
   */
  @BeforeEach
  void provisionThroughTheSandbox() throws Exception {
    sandbox = GkeSandbox.start(dir, Duration.ofMillis(100));
    env = TestActivityEnvironment.newInstance();
    impl = new GkeActivitiesImpl(sandbox.config, () -> GkeActivitiesSandboxTest.RUN);
    env.registerActivitiesImplementations(impl);
    GkeActivities gke =
        env.newActivityStub(
            GkeActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    gke.ensureServiceAccount(spec);
    gke.ensureCluster(spec);
    gke.deleteDefaultNodePool(spec);
    for (var pool : spec.nodePools()) {
      gke.ensureNodePool(spec, pool.name());
    }
  }

  @AfterEach
  void stop() throws Exception {
    env.close();
    impl.close();
    sandbox.close();
  }

  @Test
  void createServiceAccountCarriesEveryFieldGcloudSends() throws IOException {
    CreateServiceAccountRequest.Builder refarch = CreateServiceAccountRequest.newBuilder();
    JsonFormat.parser()
        .ignoringUnknownFields()
        .merge(sentBody("GRPC", "/google.iam.admin.v1.IAM/CreateServiceAccount"), refarch);
    refarch.clearName(); // gcloud puts the project in the URL, the gRPC client in the message

    assertSameAsGcloud(
        "create-service-account.json",
        CreateServiceAccountRequest.newBuilder(),
        refarch.build(),
        Map.of("serviceAccount.description", MARKS));
  }

  @Test
  void createClusterCarriesEveryFieldGcloudSends() throws IOException {
    String parent = "projects/" + PROJECT + "/locations/us-central1";
    CreateClusterRequest.Builder refarch = CreateClusterRequest.newBuilder();
    JsonFormat.parser()
        .ignoringUnknownFields()
        .merge(sentBody("POST", "/v1/" + parent + "/clusters"), refarch);
    refarch.setParent(parent); // in the URL, not the body

    assertSameAsGcloud(
        "create-cluster.json",
        CreateClusterRequest.newBuilder(),
        refarch.build(),
        CLUSTER_DIFFERENCES);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "workload-services",
        "workload-regular-workspaces",
        "workload-headless-workspaces"
      })
  void createNodePoolCarriesEveryFieldGcloudSends(String pool) throws IOException {
    assertNodePoolCreateAsGcloud(pool);
  }

  private void assertNodePoolCreateAsGcloud(String pool) throws IOException {
    String parent = "projects/" + PROJECT + "/locations/us-central1/clusters/gitpod";
    List<RecordedRequest> creates =
        sandbox.sandbox.requests().stream()
            .filter(
                r -> r.method().equals("POST") && r.path().equals("/v1/" + parent + "/nodePools"))
            .filter(r -> r.body().contains("\"" + pool + "\""))
            .toList();
    assertThat(creates).as("POST of node pool " + pool).hasSize(1);
    CreateNodePoolRequest.Builder refarch = CreateNodePoolRequest.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(creates.get(0).body(), refarch);
    refarch.setParent(parent);

    assertSameAsGcloud(
        "create-node-pool-" + pool + ".json",
        CreateNodePoolRequest.newBuilder(),
        refarch.build(),
        NODE_POOL_DIFFERENCES);
  }

  @Test
  void aPoolRunAsANamedAccountCarriesWhatGcloudSendsWithServiceAccount() throws IOException {
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    ClusterSpec named = withPoolAs(spec, "gitpod-gke", POOL_WITH_ACCOUNT);
    GkeActivities gke =
        env.newActivityStub(
            GkeActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    gke.ensureNodePool(named, POOL_WITH_ACCOUNT);

    assertNodePoolCreateAsGcloud(POOL_WITH_ACCOUNT);
  }

  /** {@code spec} with its pools run as {@code account} and a copy of its first pool. */
  private static ClusterSpec withPoolAs(ClusterSpec spec, String account, String copyName) {
    NodePool first = spec.nodePools().get(0);
    List<NodePool> pools = new java.util.ArrayList<>(spec.nodePools());
    pools.add(
        new NodePool(
            copyName,
            first.machineType(),
            first.minNodes(),
            first.maxNodes(),
            first.initialNodes(),
            first.diskType(),
            first.diskSizeGb(),
            first.diskIops(),
            first.diskThroughput(),
            first.labels(),
            first.maxPods()));
    return SeedSpecs.withNodePoolAccount(
        new ClusterSpec(
            spec.apiVersion(),
            spec.kind(),
            spec.cloud(),
            spec.name(),
            spec.region(),
            spec.zones(),
            spec.kubernetesVersion(),
            spec.clusterAdmin(),
            spec.keepOnFailure(),
            spec.heartbeatTimeoutSeconds(),
            spec.network(),
            pools,
            spec.gcp(),
            spec.aws(),
            spec.azure()),
        account);
  }

  private String sentBody(String method, String path) {
    List<RecordedRequest> posts =
        sandbox.sandbox.requests().stream()
            .filter(r -> r.method().equals(method) && r.path().equals(path))
            .toList();
    assertThat(posts).as(method + " " + path).hasSize(1);
    return posts.get(0).body();
  }

  static void assertSameAsGcloud(
      String gcloudFile,
      Message.Builder gcloudBuilder,
      Message refarch,
      Map<String, String> intended)
      throws IOException {
    JsonFormat.parser().ignoringUnknownFields().merge(read(gcloudFile), gcloudBuilder);
    Map<String, String> gcloud = flatten(gcloudBuilder.build());
    Map<String, String> ours = flatten(refarch);
    assertThat(gcloud).as("gcloud's request was read").isNotEmpty();

    Map<String, String> differing = new TreeMap<>();
    gcloud.forEach(
        (path, value) -> {
          if (!value.equals(ours.get(path)) && !intended.containsKey(path)) {
            differing.put(path, "gcloud " + value + ", refarch " + ours.get(path));
          }
        });
    ours.forEach(
        (path, value) -> {
          if (!gcloud.containsKey(path) && !intended.containsKey(path)) {
            differing.put(path, "gcloud unset, refarch " + value);
          }
        });
    assertThat(differing).as("fields that differ from gcloud's request").isEmpty();
    intended
        .keySet()
        .forEach(
            path ->
                assertThat(ours)
                    .as("intended difference " + path + " is still there")
                    .containsKey(path));
  }

  private static String read(String file) throws IOException {
    Path recorded = GCLOUD_REQUESTS.resolve(file);
    assertThat(recorded).as("gcloud's recorded request").isRegularFile();
    return Files.readString(recorded, StandardCharsets.UTF_8);
  }

  /** Leaf paths ("cluster.nodePools[0].config.diskSizeGb") to values, lists of scalars sorted. */
  static Map<String, String> flatten(Message message) throws IOException {
    JsonNode root = new ObjectMapper().readTree(JsonFormat.printer().print(message));
    Map<String, String> out = new TreeMap<>();
    flatten("", root, out);
    return out;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray() && node.size() > 0 && node.get(0).isValueNode()) {
      java.util.List<String> values = new java.util.ArrayList<>();
      node.forEach(v -> values.add(v.asText()));
      java.util.Collections.sort(values);
      out.put(path, values.toString());
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(path + "[" + i + "]", node.get(i), out);
      }
    } else {
      out.put(path, node.asText());
    }
  }
}
