package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.UserCredentials;
import com.google.container.v1.Cluster;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.Operation;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.refarch.activities.Activities;
import io.refarch.activities.ActivityConfig;
import io.refarch.activities.Caller;
import io.refarch.activities.Failed;
import io.refarch.activities.GcpConnection;
import io.refarch.activities.kubernetes.KubernetesActivitiesImpl;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.spec.Cloud;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.kubernetes.ClusterRef;
import io.refarch.workflow.kubernetes.KubernetesActivities;
import io.refarch.workflow.kubernetes.NodeReport;
import io.refarch.workflow.kubernetes.PoolExpectation;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-cluster activities against the sandbox with a token lifetime of 2 s: each attempt gets the
 * cluster's endpoint and CA from GKE and a fresh token from the sandbox's token endpoint (through
 * google-auth-library, as from Google's), so a step run after a token has expired still works.
 */
class GkeKubeAccessSandboxTest {
  private static final String LOCATION = "projects/p/locations/us-central1";
  private static final ClusterRef CLUSTER = new ClusterRef(Cloud.GCP, "p", "us-central1", "gitpod");
  private static final Duration LIFETIME = Duration.ofSeconds(2);

  @TempDir Path dir;
  private Sandbox sandbox;
  private TestActivityEnvironment env;
  private KubernetesActivities kube;

  @BeforeEach
  void start() throws Exception {
    sandbox =
        Sandbox.start(
            SandboxOptions.defaults(dir.resolve("state"))
                .withOperationDuration(Duration.ZERO)
                .withTokenLifetime(LIFETIME));
    ActivityConfig config =
        new ActivityConfig(
            dir.resolve("kubeconfig"),
            GcpConnection.sandbox(sandbox.endpoints().gcpRest(), sandbox.endpoints().iamGrpc()),
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            Duration.ofSeconds(10));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new KubernetesActivitiesImpl(
            config, () -> new Caller("run-1", false), Activities.kubeAccess(config)));
    kube =
        env.newActivityStub(
            KubernetesActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setHeartbeatTimeout(Duration.ofSeconds(10))
                .build());
  }

  @AfterEach
  void stop() {
    env.close();
    sandbox.close();
  }

  @Test
  void aStepAfterTheTokenLifetimeGetsAFreshTokenAndSucceeds() throws Exception {
    createCluster();
    String early = token();

    assertThat(kube.ensureClusterAdminBinding(CLUSTER, "admin@example.com"))
        .isEqualTo(Ensured.CREATED);
    Thread.sleep(LIFETIME.toMillis() + 500);

    // A token from before is refused now, as a real cluster refuses an expired one ...
    try (KubernetesClient stale = client(early)) {
      assertThatThrownBy(() -> stale.nodes().list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
    // ... but the steps get their own, fresh ones.
    NodeReport report =
        kube.verifyNodes(CLUSTER, List.of(new PoolExpectation("default-pool", Map.of(), 1, 110)));
    assertThat(report.nodes()).isNotEmpty();
    assertThat(kube.deleteClusterAdminBinding(CLUSTER).kept()).isNull();
    assertThat(sandbox.inventory()).noneMatch(l -> l.contains("cluster-admin-binding"));
    assertThat(sandbox.requests().stream().filter(r -> r.path().equals("/token")).count())
        .as("token requests: one per attempt, and mine")
        .isGreaterThanOrEqualTo(4);
    assertThat(dir.resolve("kubeconfig")).as("no file on the worker").doesNotExist();
  }

  @Test
  void aLongNodeWaitOutlivesItsTokens() throws Exception {
    createCluster();
    // The pool appears only after several token lifetimes; the node check waits for it within
    // one attempt, its client renewing the token as it goes.
    Thread late =
        new Thread(
            () -> {
              try {
                Thread.sleep(LIFETIME.toMillis() * 2 + 500);
                try (GkeSandboxClients clients = new GkeSandboxClients(sandbox)) {
                  clients.gke.createNodePool(
                      LOCATION + "/clusters/gitpod",
                      com.google.container.v1.NodePool.newBuilder()
                          .setName("late")
                          .setInitialNodeCount(1)
                          .setConfig(NodeConfig.newBuilder().setMachineType("e2-standard-2"))
                          .build());
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    late.start();
    NodeReport report =
        kube.verifyNodes(CLUSTER, List.of(new PoolExpectation("late", Map.of(), 1, 110)));
    late.join();
    assertThat(report.nodes()).anyMatch(n -> "late".equals(n.pool()));
  }

  @Test
  void aClusterThatDoesNotExistIsAPermanentErrorWithoutSecrets() {
    ApplicationFailure failure =
        Failed.of(() -> kube.ensureClusterAdminBinding(CLUSTER, "admin@example.com"));
    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
    assertThat(failure.getOriginalMessage())
        .contains("clusters/gitpod does not exist")
        .doesNotContain("sandbox.");
  }

  private void createCluster() throws Exception {
    try (GkeSandboxClients clients = new GkeSandboxClients(sandbox)) {
      Operation op =
          clients.gke.createCluster(
              LOCATION,
              Cluster.newBuilder()
                  .setName("gitpod")
                  .setNodeConfig(NodeConfig.newBuilder().setMachineType("e2-standard-2"))
                  .setInitialNodeCount(1)
                  .build());
      while (op.getStatus() != Operation.Status.DONE) {
        Thread.sleep(20);
        op = clients.gke.getOperation(LOCATION + "/operations/" + op.getName());
      }
    }
  }

  private String token() throws Exception {
    return UserCredentials.newBuilder()
        .setClientId("test")
        .setClientSecret("test")
        .setRefreshToken("test")
        .setTokenServerUri(URI.create(sandbox.endpoints().gcpRest() + "/token"))
        .build()
        .refreshAccessToken()
        .getTokenValue();
  }

  private KubernetesClient client(String token) throws Exception {
    try (GkeSandboxClients clients = new GkeSandboxClients(sandbox)) {
      Cluster c = clients.gke.getCluster(LOCATION + "/clusters/gitpod");
      Config config =
          new ConfigBuilder(Config.empty())
              .withMasterUrl("https://" + c.getEndpoint())
              .withCaCertData(c.getMasterAuth().getClusterCaCertificate())
              .withOauthToken(token)
              .withRequestRetryBackoffLimit(0)
              .build();
      return new KubernetesClientBuilder().withConfig(config).build();
    }
  }

  /** The GKE client a test uses to look at the sandbox from outside. */
  private static final class GkeSandboxClients implements AutoCloseable {
    final com.google.cloud.container.v1.ClusterManagerClient gke;

    GkeSandboxClients(Sandbox sandbox) throws java.io.IOException {
      gke =
          com.google.cloud.container.v1.ClusterManagerClient.create(
              com.google.cloud.container.v1.ClusterManagerSettings.newHttpJsonBuilder()
                  .setEndpoint(sandbox.endpoints().gcpRest())
                  .setCredentialsProvider(com.google.api.gax.core.NoCredentialsProvider.create())
                  .build());
    }

    @Override
    public void close() {
      gke.close();
    }
  }
}
