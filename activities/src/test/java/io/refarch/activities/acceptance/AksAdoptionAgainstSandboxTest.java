package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.resources.ResourceManager;
import io.refarch.activities.aks.AzureConnection;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.ResourceFailure;
import io.refarch.workflow.RunOutcome;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resource group that exists before refarch runs (made with the SDK, as {@code az group create}
 * makes it: no refarch tags) is adopted: neither a failed run's compensation nor {@code down}
 * deletes it (the failed run's outcome lists it as adopted, {@code down}'s as kept with the
 * reason); what refarch made inside it is deleted.
 */
class AksAdoptionAgainstSandboxTest {
  @TempDir static Path dir;
  private static TestWorkflowEnvironment temporal;
  private static SandboxWorker cloud;

  @BeforeAll
  static void start() throws Exception {
    temporal = SandboxWorker.temporal();
    // The first headless pool's create is refused, once: the first run fails, the second passes.
    cloud =
        SandboxWorker.start(
            temporal, dir, Duration.ofMillis(50), "PutAgentPool:headlessws=InvalidParameterx1");
  }

  @AfterAll
  static void stop() throws Exception {
    cloud.close();
    temporal.close();
  }

  @Test
  void aGroupThatExistedIsAdoptedAndKeptByCompensationAndByTeardown() throws Exception {
    createUntaggedGroup();
    assertThat(cloud.inventory()).containsExactly(AksSeed.GROUP_LINE);
    ClusterSpec spec = SandboxWorker.aksPreset();

    // A failed run deletes what it made, newest first, and keeps the group it adopted.
    RunOutcome failed = cloud.failingRun(spec);
    assertThat(failed.failedStep()).isEqualTo("Create agent pool headlessws");
    assertThat(failed.adopted()).containsExactly("resource-group/" + AksSeed.GROUP);
    assertThat(failed.deleted())
        .containsExactly("agent-pool/headlessws", "agent-pool/regularws", "aks-cluster/gitpod");
    assertThat(failed.notDeleted()).isEmpty();
    // The workflow drops an adopted resource's compensation when the ensure reports it adopted:
    // the outcome lists the group as adopted, and nothing asks to delete it.
    assertThat(failed.kept()).isEmpty();
    assertThat(cloud.azureMutations()).doesNotContain("DeleteResourceGroup " + AksSeed.GROUP);
    assertThat(cloud.inventory()).containsExactly(AksSeed.GROUP_LINE);

    // A run that succeeds in it: the group is adopted, never written to.
    int before = cloud.azureMutatingRequests().size();
    RunOutcome up = cloud.provision(spec).provision(spec);

    assertThat(up.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(up.adopted()).containsExactly("resource-group/" + AksSeed.GROUP);
    List<String> sent =
        cloud.azureMutations().subList(before, cloud.azureMutatingRequests().size());
    assertThat(sent).containsExactlyElementsOf(AksSeed.MUTATIONS.subList(1, 5));
    assertThat(AksSeed.normalized(cloud.inventory()))
        .containsExactlyInAnyOrderElementsOf(AksSeed.INVENTORY);

    // down deletes the cluster and its pools and keeps the group, saying why.
    RunOutcome down = cloud.teardown(spec).teardown(spec);

    assertThat(down.result()).isEqualTo(Phase.SUCCEEDED);
    assertThat(down.deleted())
        .containsExactly("agent-pool/headlessws", "agent-pool/regularws", "aks-cluster/gitpod");
    assertThat(down.notDeleted()).isEmpty();
    assertThat(down.kept())
        .extracting(ResourceFailure::resource)
        .containsExactly("resource-group/" + AksSeed.GROUP);
    assertThat(down.kept().get(0).reason()).contains("not made by refarch");
    assertThat(cloud.inventory()).containsExactly(AksSeed.GROUP_LINE);
    assertThat(cloud.azureMutations()).doesNotContain("DeleteResourceGroup " + AksSeed.GROUP);
  }

  /** {@code az group create -n gitpod-rg -l westeurope}, through the SDK. */
  private static void createUntaggedGroup() {
    AzureConnection azure = SandboxWorker.azure(cloud.sandbox);
    HttpClient http = azure.httpClient();
    ResourceManager.configure()
        .withHttpClient(http)
        .authenticate(
            azure.credential(http),
            new AzureProfile(azure.tenantId(), AksSeed.SUBSCRIPTION, azure.environment()))
        .withSubscription(AksSeed.SUBSCRIPTION)
        .resourceGroups()
        .define(AksSeed.GROUP)
        .withRegion("westeurope")
        .create();
  }
}
