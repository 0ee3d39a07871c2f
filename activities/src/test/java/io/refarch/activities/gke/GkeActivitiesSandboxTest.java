package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.container.v1.Cluster;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import com.google.iam.v1.Binding;
import com.google.iam.v1.Policy;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.refarch.activities.Caller;
import io.refarch.activities.Failed;
import io.refarch.activities.Failures;
import io.refarch.activities.SeedSpecs;
import io.refarch.spec.ClusterSpec;
import io.refarch.spec.GcpOptions;
import io.refarch.spec.Network;
import io.refarch.workflow.Ensured;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.gke.GkeActivities;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GKE activities through the real Google Cloud clients against the sandbox, run as Temporal
 * activities (heartbeats and heartbeat details work as on a worker).
 */
class GkeActivitiesSandboxTest {
  private static final String PROJECT = "refarch-test";

  /** One run makes and deletes everything here, as a run and its compensation do. */
  static final Caller RUN = new Caller("run-1", false);

  private static final String SA_EMAIL = "gitpod-gke@" + PROJECT + ".iam.gserviceaccount.com";

  @TempDir Path dir;
  private GkeSandbox sandbox;
  private TestActivityEnvironment env;
  private GkeActivitiesImpl impl;
  private GkeActivities activities;
  private final List<String> heartbeats = Collections.synchronizedList(new ArrayList<>());

  private void start(Duration operationDuration, String... faults) throws Exception {
    sandbox = GkeSandbox.start(dir, operationDuration, faults);
    env = TestActivityEnvironment.newInstance();
    impl = new GkeActivitiesImpl(sandbox.config, () -> RUN);
    env.registerActivitiesImplementations(impl);
    env.setActivityHeartbeatListener(String.class, heartbeats::add);
    activities =
        env.newActivityStub(
            GkeActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(20))
                .build());
  }

  @AfterEach
  void stop() throws Exception {
    if (env != null) {
      env.close();
    }
    if (impl != null) {
      impl.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void serviceAccountIsCreatedAdoptedAndDeleted() throws Exception {
    start(Duration.ofMillis(200));
    ClusterSpec spec = SeedSpecs.gke(PROJECT);

    assertThat(activities.ensureServiceAccount(spec)).isEqualTo(Ensured.CREATED);
    assertThat(sandbox.inventory()).anyMatch(line -> line.contains(SA_EMAIL));

    // A second attempt of the same run finds the account its first attempt made.
    assertThat(activities.ensureServiceAccount(spec)).isEqualTo(Ensured.CREATED);
    assertThat(sandbox.inventory().stream().filter(line -> line.contains(SA_EMAIL))).hasSize(1);

    activities.deleteServiceAccount(spec);
    assertThat(sandbox.inventory()).noneMatch(line -> line.contains(SA_EMAIL));
    activities.deleteServiceAccount(spec);
  }

  @Test
  void roleBindingsAreAddedOnceAndRemovedWithoutTouchingOthers() throws Exception {
    start(Duration.ofMillis(200));
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    String member = "serviceAccount:" + SA_EMAIL;
    String colleague = "user:colleague@example.com";
    activities.ensureServiceAccount(
        spec); // GCP refuses bindings for an account that does not exist
    Policy before = sandbox.projects.getIamPolicy("projects/" + PROJECT);
    sandbox.projects.setIamPolicy(
        "projects/" + PROJECT,
        before.toBuilder()
            .addBindings(Binding.newBuilder().setRole("roles/storage.admin").addMembers(colleague))
            .build());

    activities.ensureRoleBindings(spec);
    activities.ensureRoleBindings(spec);

    Policy granted = sandbox.projects.getIamPolicy("projects/" + PROJECT);
    for (String role : spec.gcp().serviceAccountRoles()) {
      assertThat(membersOf(granted, role)).as(role).containsOnlyOnce(member);
    }
    assertThat(membersOf(granted, "roles/storage.admin")).contains(colleague);

    activities.removeRoleBindings(spec);

    Policy removed = sandbox.projects.getIamPolicy("projects/" + PROJECT);
    for (String role : spec.gcp().serviceAccountRoles()) {
      assertThat(membersOf(removed, role)).as(role).doesNotContain(member);
    }
    assertThat(membersOf(removed, "roles/storage.admin")).containsExactly(colleague);
    activities.removeRoleBindings(spec);
  }

  @Test
  void clusterLifecycleWithAdoptionMismatchesAndKubeconfig() throws Exception {
    start(Duration.ofMillis(200));
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    ClusterPath path = ClusterPath.of(spec);
    activities.ensureServiceAccount(spec);

    activities.ensureCluster(spec);
    Cluster cluster = sandbox.gke.getCluster(path.name());
    assertThat(cluster.getStatus()).isEqualTo(Cluster.Status.RUNNING);
    assertThat(cluster.getNetworkPolicy().getEnabled()).isTrue();
    assertThat(cluster.getNodePoolsList())
        .extracting(NodePool::getName)
        .containsExactly("default-pool");
    assertThat(heartbeats).anyMatch(h -> h.contains("/operations/"));

    activities.ensureCluster(spec); // adopts the matching cluster
    activities.ensureCluster(withVersion(spec, "1.22")); // GKE's full version of what the spec asks

    ClusterSpec withoutPolicy = withVersion(withoutNetworkPolicy(spec), "1.23.5-gke.100");
    ApplicationFailure mismatch = Failed.of(() -> activities.ensureCluster(withoutPolicy));
    assertThat(mismatch.getType()).isEqualTo(FailureTypes.SPEC_MISMATCH);
    assertThat(mismatch.isNonRetryable()).isTrue();
    assertThat(mismatch.getOriginalMessage())
        .startsWith("cluster gitpod exists with ")
        .contains("initialClusterVersion 1.22.12-gke.1200, spec says 1.23.5-gke.100; ")
        .contains("networkPolicy.enabled true, spec says false");

    activities.deleteDefaultNodePool(spec);
    assertThat(sandbox.inventory()).noneMatch(line -> line.endsWith("/nodePools/default-pool"));
    activities.deleteDefaultNodePool(spec);

    activities.ensureNodePool(spec, "workload-services");
    assertThat(sandbox.inventory()).contains("gke " + path.nodePool("workload-services"));
    activities.ensureNodePool(spec, "workload-services"); // adopts

    ClusterSpec bigger = SeedSpecs.gke(PROJECT, "gitpod", SeedSpecs.services("n2d-standard-8"));
    ApplicationFailure poolMismatch =
        Failed.of(() -> activities.ensureNodePool(bigger, "workload-services"));
    assertThat(poolMismatch.getType()).isEqualTo(FailureTypes.SPEC_MISMATCH);
    assertThat(poolMismatch.getOriginalMessage())
        .isEqualTo(
            "node pool workload-services exists with machineType n2d-standard-4, spec says n2d-standard-8");

    // As the seed's node-pools create, the request names no account: GKE runs the nodes as the
    // Compute Engine default account and says "default". A spec naming another one is a mismatch.
    assertThat(
            sandbox
                .gke
                .getNodePool(path.nodePool("workload-services"))
                .getConfig()
                .getServiceAccount())
        .isEqualTo("default");
    ApplicationFailure accountMismatch =
        Failed.of(
            () ->
                activities.ensureNodePool(
                    SeedSpecs.withNodePoolAccount(spec, "gitpod-gke"), "workload-services"));
    assertThat(accountMismatch.getType()).isEqualTo(FailureTypes.SPEC_MISMATCH);
    assertThat(accountMismatch.getOriginalMessage())
        .contains("serviceAccount default, spec says " + SA_EMAIL);

    KubeconfigRef ref = activities.writeKubeconfig(spec);
    Path file = Path.of(ref.path());
    assertThat(file).isRegularFile();
    assertThat(file.getParent()).isEqualTo(sandbox.config.kubeconfigDir());
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rw-------");
    try (KubernetesClient kube =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(file)))
            .build()) {
      List<Node> nodes =
          kube.nodes()
              .withLabel("cloud.google.com/gke-nodepool", "workload-services")
              .list()
              .getItems();
      assertThat(nodes).isNotEmpty();
    }
    assertThat(activities.writeKubeconfig(spec).path()).isEqualTo(ref.path()); // rewritten in place

    activities.deleteKubeconfig(spec);
    assertThat(file).doesNotExist();
    activities.deleteKubeconfig(spec);

    activities.deleteNodePool(spec, "workload-services");
    assertThat(sandbox.inventory())
        .noneMatch(line -> line.contains("/nodePools/workload-services"));
    activities.deleteNodePool(spec, "workload-services");

    activities.deleteCluster(spec);
    assertThat(sandbox.inventory()).noneMatch(line -> line.contains("/clusters/gitpod"));
    activities.deleteCluster(spec);
  }

  @Test
  void aRetriedAttemptWaitsForTheOperationInItsHeartbeatInsteadOfCreatingAgain() throws Exception {
    start(Duration.ofSeconds(1));
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    ClusterPath path = ClusterPath.of(spec);
    activities.ensureServiceAccount(spec);
    activities.ensureCluster(spec);
    // What the first attempt did before its worker died: start creating the pool.
    NodePool wanted =
        io.refarch.activities.gke.nodepool.NodePoolRequest.of(spec, "workload-services");
    Operation started = sandbox.gke.createNodePool(path.name(), wanted);
    String operationName = path.operation(started.getName());
    heartbeats.clear();
    env.setHeartbeatDetails(operationName);

    activities.ensureNodePool(spec, "workload-services");

    assertThat(heartbeats).first().isEqualTo(operationName);
    assertThat(sandbox.requests("POST", path.name() + "/nodePools"))
        .as("pool creations")
        .isEqualTo(1);
    assertThat(sandbox.gke.getOperation(operationName).getStatus())
        .isEqualTo(Operation.Status.DONE);
    assertThat(sandbox.gke.getNodePool(path.nodePool("workload-services")).getStatus())
        .isEqualTo(NodePool.Status.RUNNING);
  }

  @Test
  void aPoolFoundProvisioningIsAdoptedOnceItRuns() throws Exception {
    start(Duration.ofSeconds(1));
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    ClusterPath path = ClusterPath.of(spec);
    activities.ensureServiceAccount(spec);
    activities.ensureCluster(spec);
    // Created by someone else (another run, a person with gcloud), still coming up.
    sandbox.gke.createNodePool(
        path.name(),
        io.refarch.activities.gke.nodepool.NodePoolRequest.of(spec, "workload-services"));
    assertThat(sandbox.gke.getNodePool(path.nodePool("workload-services")).getStatus())
        .isEqualTo(NodePool.Status.PROVISIONING);

    activities.ensureNodePool(spec, "workload-services");

    assertThat(sandbox.gke.getNodePool(path.nodePool("workload-services")).getStatus())
        .isEqualTo(NodePool.Status.RUNNING);
    assertThat(sandbox.requests("POST", path.name() + "/nodePools"))
        .as("pool creations")
        .isEqualTo(1);
  }

  @Test
  void aPoolStillBeingCreatedIsDeletedOnceItsCreateEnds() throws Exception {
    start(Duration.ofSeconds(1));
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    ClusterPath path = ClusterPath.of(spec);
    activities.ensureServiceAccount(spec);
    activities.ensureCluster(spec);
    // What a cancelled run leaves: the pool's create (with the run's marks) still running when
    // its compensation comes.
    NodePool pool =
        io.refarch.activities.gke.nodepool.NodePoolRequest.of(spec, "workload-services");
    sandbox.gke.createNodePool(
        path.name(),
        pool.toBuilder()
            .setConfig(
                pool.getConfig().toBuilder().putAllResourceLabels(Ownership.labels(spec, RUN)))
            .build());

    activities.deleteNodePool(spec, "workload-services");

    assertThat(sandbox.inventory())
        .noneMatch(line -> line.endsWith("/nodePools/workload-services"));
    // GKE refuses the delete while the create runs; the activity waited instead of being refused.
    assertThat(sandbox.requests("DELETE", path.nodePool("workload-services"))).isEqualTo(1);
  }

  @Test
  void bindingsForAnAccountGoogleDoesNotKnowYetAreRetriedAfterAPause() throws Exception {
    start(Duration.ofMillis(200));
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    // No ensureServiceAccount: setIamPolicy answers as Google does right after a create, over
    // HTTP/JSON "400 Service account ... does not exist.".

    ApplicationFailure failure = Failed.of(() -> activities.ensureRoleBindings(spec));

    assertThat(failure.getType()).isEqualTo(Failures.NOT_READY);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(15));
    assertThat(failure.getOriginalMessage())
        .contains("Service account " + SA_EMAIL + " does not exist")
        .contains("for up to 3 min after the first attempt");
  }

  /**
   * GKE refuses a pool create while another operation runs on the cluster (an upgrade, a repair,
   * another pool). The activity waits for it, heartbeating, instead of failing the attempt: a long
   * master upgrade would otherwise use up the retries and fail the run.
   */
  @Test
  void aPoolCreateWaitsWhileTheClusterRunsAnotherOperation() throws Exception {
    start(Duration.ofSeconds(1));
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    ClusterPath path = ClusterPath.of(spec);
    activities.ensureServiceAccount(spec);
    activities.ensureCluster(spec);
    sandbox.gke.createNodePool(
        path.name(), NodePool.newBuilder().setName("other").setInitialNodeCount(1).build());

    assertThat(activities.ensureNodePool(spec, "workload-services")).isEqualTo(Ensured.CREATED);

    assertThat(heartbeats).anyMatch(h -> h.contains("busy, waiting to create node pool"));
    assertThat(sandbox.inventory()).anyMatch(l -> l.endsWith("/nodePools/workload-services"));
  }

  @Test
  void aQuotaFaultIsPermanentAndNamesTheQuota() throws Exception {
    start(Duration.ofMillis(200), "createNodePool:workload-headless-workspaces=RESOURCE_EXHAUSTED");
    ClusterSpec spec = SeedSpecs.gke(PROJECT);
    activities.ensureServiceAccount(spec);
    activities.ensureCluster(spec);

    ApplicationFailure quota =
        Failed.of(() -> activities.ensureNodePool(spec, "workload-headless-workspaces"));

    assertThat(quota.getType()).isEqualTo(FailureTypes.QUOTA_EXCEEDED);
    assertThat(quota.isNonRetryable()).isTrue();
    assertThat(quota.getOriginalMessage())
        .contains("quota")
        .contains("CPUS")
        .contains("workload-headless-workspaces");
  }

  @Test
  void anUnavailableCloudIsRetryable() throws Exception {
    start(Duration.ofMillis(200), "createServiceAccount=UNAVAILABLE");
    ApplicationFailure failure =
        Failed.of(() -> activities.ensureServiceAccount(SeedSpecs.gke(PROJECT)));
    assertThat(failure.getType()).isEqualTo("Transient");
    assertThat(failure.isNonRetryable()).isFalse();
  }

  private static List<String> membersOf(Policy policy, String role) {
    return policy.getBindingsList().stream()
        .filter(b -> b.getRole().equals(role))
        .flatMap(b -> b.getMembersList().stream())
        .toList();
  }

  private static ClusterSpec withVersion(ClusterSpec s, String version) {
    return new ClusterSpec(
        s.apiVersion(),
        s.kind(),
        s.cloud(),
        s.name(),
        s.region(),
        s.zones(),
        version,
        s.clusterAdmin(),
        s.keepOnFailure(),
        s.heartbeatTimeoutSeconds(),
        s.network(),
        s.nodePools(),
        s.gcp(),
        s.aws(),
        s.azure());
  }

  private static ClusterSpec withoutNetworkPolicy(ClusterSpec s) {
    GcpOptions g = s.gcp();
    GcpOptions noPolicy =
        new GcpOptions(
            g.project(),
            g.serviceAccount(),
            g.serviceAccountRoles(),
            g.nodePoolServiceAccount(),
            g.imageType(),
            g.scopes(),
            List.of("HorizontalPodAutoscaling", "NodeLocalDNS"),
            g.autoUpgrade(),
            g.autoRepair(),
            g.metadata(),
            g.defaultPool(),
            g.poolsWithCluster());
    return new ClusterSpec(
        s.apiVersion(),
        s.kind(),
        s.cloud(),
        s.name(),
        s.region(),
        s.zones(),
        s.kubernetesVersion(),
        s.clusterAdmin(),
        s.keepOnFailure(),
        s.heartbeatTimeoutSeconds(),
        new Network(s.network().subnetwork(), null, null, false, null, null, null),
        s.nodePools(),
        noPolicy,
        s.aws(),
        s.azure());
  }
}
