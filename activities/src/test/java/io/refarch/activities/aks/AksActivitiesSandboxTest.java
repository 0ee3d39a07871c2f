package io.refarch.activities.aks;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import io.refarch.activities.Caller;
import io.refarch.activities.Failed;
import io.refarch.activities.WorkerStopping;
import io.refarch.activities.gke.operation.PollSchedule;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.azure.Azure;
import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.Specs;
import io.refarch.workflow.Deletion;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.aks.AksActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AKS activities through the real Azure SDK against the sandbox's Resource Manager over HTTPS,
 * run as Temporal activities, so heartbeat details carry over from one attempt to the next as on a
 * worker.
 */
class AksActivitiesSandboxTest {
  static final Caller RUN = new Caller("run-1", false);

  @TempDir Path dir;
  private Sandbox sandbox;
  private TestActivityEnvironment env;
  private AksActivities activities;
  private AzureClients clients;
  private Caller caller = RUN;
  private ClusterSpec spec;

  private void start(Duration operation) throws Exception {
    sandbox = Sandbox.start(SandboxOptions.defaults(dir).withOperationDuration(operation));
    AzureConnection connection =
        AzureConnection.at(
            URI.create(sandbox.endpoints().azure()),
            sandbox.azureCertificateAuthority(),
            new AzureConnection.ServicePrincipal(
                Azure.SANDBOX_TENANT_ID, Azure.SANDBOX_CLIENT_ID, Azure.SANDBOX_CLIENT_SECRET));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new AksActivitiesImpl(
            connection,
            PollSchedule.gke(Duration.ofMillis(100), Duration.ofMillis(300)),
            new WorkerStopping(),
            () -> caller));
    activities =
        env.newActivityStub(
            AksActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(20))
                .build());
    spec = Specs.load(Path.of("..", "examples", "aks.yaml"));
    clients = AzureClients.connect(connection, spec.azure().subscription());
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private List<RecordedRequest> puts(String pathEnd) {
    return sandbox.requests().stream()
        .filter(r -> r.method().equals("PUT") && r.path().toLowerCase().endsWith(pathEnd))
        .toList();
  }

  @Test
  void aRetriedAttemptWaitsForTheOperationTheLastOneStartedInsteadOfSendingASecondPut()
      throws Exception {
    start(Duration.ofSeconds(3));
    activities.ensureResourceGroup(spec);
    // Attempt 1 sent the PUT and died before the operation ended; its last heartbeat named the
    // operation's status URL, as the activity beats it.
    ClusterReconciler.Wanted wanted =
        new ClusterReconciler.Wanted(
            spec.azure().resourceGroup(),
            spec.name(),
            spec.region(),
            spec.kubernetesVersion(),
            spec.azure().dnsPrefix(),
            spec.azure().networkPlugin(),
            spec.azure().networkPolicy(),
            AgentPoolShape.of(
                spec.nodePools().get(0),
                true,
                spec.zones(),
                Map.of(Ownership.CLUSTER, spec.name(), Ownership.RUN, RUN.runId())),
            Map.of(Ownership.CLUSTER, spec.name(), Ownership.RUN, RUN.runId()));
    var response =
        clients
            .clusters
            .createOrUpdateWithResponseAsync(
                wanted.group(), wanted.name(), ClusterReconciler.body(wanted), null, null)
            .block();
    String operation =
        response.getHeaders().getValue(HttpHeaderName.fromString("Azure-AsyncOperation"));
    assertThat(operation).contains("/operations/");
    env.setHeartbeatDetails("operation " + operation + " (AKS cluster gitpod)");

    assertThat(activities.ensureCluster(spec)).isEqualTo(Ensured.CREATED);

    assertThat(puts("/managedclusters/gitpod")).as("PUTs of the cluster").hasSize(1);
    assertThat(sandbox.requests())
        .as("attempt 2 read the operation attempt 1 started")
        .anyMatch(r -> r.method().equals("GET") && operation.contains(r.path()));
    assertThat(clients.clusters.getByResourceGroup("gitpod-rg", "gitpod").provisioningState())
        .isEqualTo("Succeeded");
  }

  @Test
  void anAttemptWithoutARecordedOperationWaitsOnThePoolItsRunIsCreating() throws Exception {
    start(Duration.ofSeconds(2));
    activities.ensureResourceGroup(spec);
    activities.ensureCluster(spec);
    // Attempt 1 died right after its PUT, before any heartbeat: the pool is Creating, tagged with
    // this run's id.
    Map<String, String> tags = Map.of(Ownership.CLUSTER, spec.name(), Ownership.RUN, RUN.runId());
    clients
        .pools
        .createOrUpdateWithResponseAsync(
            "gitpod-rg",
            "gitpod",
            "headlessws",
            AgentPoolShape.of(spec.nodePools().get(2), false, spec.zones(), tags).agentPool(),
            null,
            null)
        .block();
    assertThat(clients.pools.get("gitpod-rg", "gitpod", "headlessws").provisioningState())
        .isEqualTo("Creating");

    assertThat(activities.ensureAgentPool(spec, "headlessws")).isEqualTo(Ensured.CREATED);

    assertThat(puts("/agentpools/headlessws")).as("PUTs of the pool").hasSize(1);
    assertThat(clients.pools.get("gitpod-rg", "gitpod", "headlessws").provisioningState())
        .isEqualTo("Succeeded");
  }

  @Test
  void aPoolWhoseClusterIsBusyWithAnotherPoolIsRetriedNotFailed() throws Exception {
    start(Duration.ofSeconds(2));
    activities.ensureResourceGroup(spec);
    activities.ensureCluster(spec);
    activities.ensureAgentPool(spec, "regularws");
    clients.pools.deleteWithResponseAsync("gitpod-rg", "gitpod", "regularws", null, null).block();

    ApplicationFailure busy = Failed.of(() -> activities.ensureAgentPool(spec, "headlessws"));

    assertThat(busy.getType()).isEqualTo(io.refarch.activities.Failures.CLUSTER_BUSY);
    assertThat(busy.isNonRetryable()).isFalse();
    assertThat(busy.getOriginalMessage())
        .contains("Another agentpool operation (regularws - Deleting) is in progress");
  }

  @Test
  void anExistingResourceGroupIsAdoptedAndNeitherACompensationNorATeardownDeletesIt()
      throws Exception {
    start(Duration.ofMillis(200));
    clients.groups.createOrUpdate(
        "gitpod-rg",
        new ResourceGroupInner().withLocation("westeurope").withTags(Map.of("team", "platform")));

    assertThat(activities.ensureResourceGroup(spec)).isEqualTo(Ensured.ADOPTED);
    Deletion compensation = activities.deleteResourceGroup(spec);
    caller = new Caller("teardown-1", true);
    Deletion teardown = activities.deleteResourceGroup(spec);

    assertThat(compensation.kept()).contains("existed before this run (adopted)");
    assertThat(teardown.kept()).contains("no refarch-cluster=gitpod tag");
    assertThat(sandbox.inventory())
        .anyMatch(l -> l.startsWith("azure group ") && l.contains("/gitpod-rg"));
  }

  @Test
  void aClusterThatDiffersFromTheSpecIsRefusedNamingTheDifferenceAndKept() throws Exception {
    start(Duration.ofMillis(200));
    activities.ensureResourceGroup(spec);
    caller = new Caller("someone-else", false);
    ClusterSpec other = Specs.load(Path.of("..", "examples", "aks.yaml"));
    activities.ensureCluster(other);
    caller = RUN;
    ClusterSpec bigger =
        new ClusterSpec(
            spec.apiVersion(),
            spec.kind(),
            spec.cloud(),
            spec.name(),
            spec.region(),
            spec.zones(),
            "1.30",
            spec.clusterAdmin(),
            spec.keepOnFailure(),
            spec.heartbeatTimeoutSeconds(),
            spec.network(),
            spec.nodePools(),
            spec.gcp(),
            spec.aws(),
            spec.azure());

    ApplicationFailure refused = Failed.of(() -> activities.ensureCluster(bigger));

    assertThat(refused.getType()).isEqualTo(FailureTypes.SPEC_MISMATCH);
    assertThat(refused.getOriginalMessage()).contains("kubernetesVersion: 1.29", "wanted 1.30");
    assertThat(activities.deleteCluster(bigger).kept()).contains("existed before this run");
    assertThat(sandbox.inventory()).anyMatch(l -> l.startsWith("aks cluster "));
  }
}
