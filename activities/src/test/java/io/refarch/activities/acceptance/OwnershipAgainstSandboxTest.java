package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.refarch.spec.ClusterSpec;
import io.refarch.spec.SpecException;
import io.refarch.spec.Specs;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.ResourceFailure;
import io.refarch.workflow.RunOutcome;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run may delete, through the real workflows and activities against the sandbox: the cases a
 * review reproduced on main, where a failed run deleted a healthy cluster it had adopted, and the
 * project's shared service account that another cluster still relied on. That cluster's added pools
 * run as the Compute Engine default account, as in the seed: its refarch-service-account label is
 * what says it relies on the account. Each case keeps the sandbox's state between runs and restarts
 * it with the fault the later run meets.
 */
class OwnershipAgainstSandboxTest {
  private static final Duration OPERATION = Duration.ofMillis(50);
  private static final String PROJECT = "projects/my-gcp-project";
  private static final String ACCOUNT = "gitpod-gke@my-gcp-project.iam.gserviceaccount.com";

  @TempDir Path dir;
  private static TestWorkflowEnvironment temporal;

  @BeforeAll
  static void start() {
    temporal = SandboxWorker.temporal();
  }

  @AfterAll
  static void stop() {
    temporal.close();
  }

  /** The preset with another cluster name: a second cluster in the same project. */
  private ClusterSpec named(String name) throws IOException, SpecException {
    String preset = Files.readString(Path.of("../examples/gke.yaml"));
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, preset.replaceFirst("(?m)^name: gitpod$", "name: " + name));
    return Specs.load(file);
  }

  private RunOutcome provisioned(ClusterSpec spec, String... faults) throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION, faults)) {
      return cloud.provision(spec).provision(spec);
    }
  }

  private RunOutcome failed(ClusterSpec spec, String... faults) throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION, faults)) {
      WorkflowFailedException e =
          catchThrowableOfType(
              WorkflowFailedException.class, () -> cloud.provision(spec).provision(spec));
      assertThat(e).as("the run fails").isNotNull();
      return ((ApplicationFailure) e.getCause()).getDetails().get(RunOutcome.class);
    }
  }

  private RunOutcome tornDown(ClusterSpec spec) throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION)) {
      return cloud.teardown(spec).teardown(spec);
    }
  }

  private List<String> inventory() throws IOException {
    return io.refarch.sandbox.Sandbox.inventory(dir.resolve("sandbox-state"));
  }

  @Test
  void rerunningUpOnAHealthyClusterThatFailsLaterDeletesNothingItFound() throws Exception {
    ClusterSpec spec = SandboxWorker.gkePreset();
    assertThat(provisioned(spec).result()).isEqualTo(Phase.SUCCEEDED);
    List<String> healthy = inventory();

    RunOutcome outcome =
        failed(spec, "getNodePool:workload-headless-workspaces=RESOURCE_EXHAUSTEDx1");

    assertThat(outcome.errorType()).isEqualTo(FailureTypes.QUOTA_EXCEEDED);
    assertThat(outcome.adopted())
        .containsExactly(
            "service-account/gitpod-gke",
            "project-roles/gitpod-gke",
            "cluster/gitpod",
            "node-pool/workload-services",
            "node-pool/workload-regular-workspaces");
    assertThat(outcome.created()).isEmpty();
    assertThat(outcome.deleted()).isEmpty();
    // The failing step's own delete ran, and found the pool was the first run's.
    assertThat(outcome.kept())
        .extracting(ResourceFailure::resource)
        .containsExactly("node-pool/workload-headless-workspaces");
    assertThat(inventory()).containsExactlyElementsOf(healthy);
  }

  @Test
  void aFailedRunOfASecondClusterKeepsTheProjectsServiceAccountAndRoles() throws Exception {
    ClusterSpec alpha = named("alpha");
    ClusterSpec beta = named("beta");
    assertThat(provisioned(alpha).result()).isEqualTo(Phase.SUCCEEDED);
    List<String> alphaAlone = inventory();

    RunOutcome outcome =
        failed(beta, "createNodePool:workload-headless-workspaces=RESOURCE_EXHAUSTED");

    assertThat(outcome.adopted())
        .containsExactly("service-account/gitpod-gke", "project-roles/gitpod-gke");
    assertThat(outcome.deleted())
        .contains("cluster/beta")
        .doesNotContain("service-account/gitpod-gke", "project-roles/gitpod-gke");
    assertThat(inventory()).containsExactlyElementsOf(alphaAlone);
  }

  @Test
  void downOfOneOfTwoClustersKeepsTheSharedAccountAndNamesTheClusterThatUsesIt() throws Exception {
    ClusterSpec alpha = named("alpha");
    ClusterSpec beta = named("beta");
    provisioned(alpha);
    provisioned(beta);

    RunOutcome down = tornDown(beta);

    assertThat(down.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(down.deleted()).contains("cluster/beta", "node-pool/workload-services");
    assertThat(down.kept())
        .extracting(ResourceFailure::resource)
        .containsExactly("project-roles/gitpod-gke", "service-account/gitpod-gke");
    assertThat(down.kept())
        .extracting(ResourceFailure::reason)
        .allSatisfy(
            reason -> assertThat(reason).contains("still used by cluster us-central1/alpha"));
    assertThat(inventory())
        .noneMatch(line -> line.contains("/clusters/beta") || line.startsWith("k8s beta "))
        .contains("gke " + PROJECT + "/locations/us-central1/clusters/alpha")
        .contains("gcp " + PROJECT + "/serviceAccounts/" + ACCOUNT)
        .contains("gcp " + PROJECT + " iam roles/container.admin serviceAccount:" + ACCOUNT);

    // The last cluster's down takes the account and its roles with it.
    RunOutcome last = tornDown(alpha);
    assertThat(last.kept()).isEmpty();
    assertThat(last.deleted()).contains("service-account/gitpod-gke", "project-roles/gitpod-gke");
    assertThat(inventory()).isEmpty();
  }

  @Test
  void downKeepsAClusterRefarchDidNotMake() throws Exception {
    ClusterSpec spec = SandboxWorker.gkePreset();
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION)) {
      // Made by hand (or by gcloud): no refarch labels.
      cloud.createUnlabelledCluster(spec);
    }
    List<String> before = inventory();

    RunOutcome down = tornDown(spec);

    assertThat(down.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(down.kept()).extracting(ResourceFailure::resource).contains("cluster/gitpod");
    assertThat(down.kept())
        .filteredOn(k -> k.resource().equals("cluster/gitpod"))
        .extracting(ResourceFailure::reason)
        .singleElement()
        .asString()
        .contains("not made by refarch for cluster gitpod");
    assertThat(inventory()).containsExactlyElementsOf(before);
  }
}
