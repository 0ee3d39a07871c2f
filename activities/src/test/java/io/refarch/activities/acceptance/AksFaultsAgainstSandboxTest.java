package io.refarch.activities.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.sandbox.core.RecordedRequest;
import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.Progress.Phase;
import io.refarch.workflow.RunOutcome;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults injected into the sandbox's Azure under a whole provisioning run of {@code
 * examples/aks.yaml}, through the real activities: throttling at any ARM call (and Entra's token
 * endpoint) is retried without creating anything twice; a permanent error at a create fails the run
 * at that step, with the error's type, and compensation leaves nothing behind.
 */
class AksFaultsAgainstSandboxTest {
  /**
   * Every Azure call a provisioning run makes, as the sandbox names them for faults; {@link
   * AksProvisionAgainstSandboxTest} checks this list against a clean run's requests.
   */
  static final List<String> CALLS =
      List.of(
          // the preflight
          "Token",
          "ListKubernetesVersions",
          "ListUsages",
          "ListSkus",
          // the group, the cluster, its pools and their operations
          "GetResourceGroup",
          "PutResourceGroup",
          "GetManagedCluster",
          "PutManagedCluster",
          "GetOperation",
          "GetAgentPool",
          "PutAgentPool",
          // cluster access for the in-cluster steps
          "ListManagedClusters",
          "ListClusterAdminCredential");

  private static final Duration OPERATION = Duration.ofMillis(50);

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

  /**
   * The cases: each faulted call is throttled twice and then passes. A throttled call waits for
   * ARM's Retry-After whichever run it is in, so runs share faults to save each run's own time:
   * every PUT (where a retry could create twice) in a run with no other PUT of the same resource
   * kind, the reads spread over the runs. The two agent pools' PUTs are faulted by pool so that
   * each pool's own PUT is retried.
   */
  static Stream<Arguments> throttledCalls() {
    return Stream.of(
        Arguments.of(
            List.of(
                "PutResourceGroup",
                "PutAgentPool:headlessws",
                "Token",
                "ListKubernetesVersions",
                "ListUsages",
                "ListSkus")),
        Arguments.of(
            List.of(
                "PutManagedCluster",
                "GetResourceGroup",
                "GetManagedCluster",
                "GetOperation",
                "ListManagedClusters")),
        Arguments.of(
            List.of("PutAgentPool:regularws", "GetAgentPool", "ListClusterAdminCredential")));
  }

  @Test
  void everyCallIsThrottledInSomeRun() {
    List<String> throttled =
        throttledCalls()
            .flatMap(a -> ((List<?>) a.get()[0]).stream())
            .map(c -> ((String) c).split(":")[0])
            .distinct()
            .toList();
    assertThat(throttled).containsExactlyInAnyOrderElementsOf(CALLS);
  }

  @ParameterizedTest(name = "{0} throttled twice")
  @MethodSource("throttledCalls")
  void aTransientFaultAtEachCallIsRetriedAndNothingIsCreatedTwice(List<String> calls)
      throws Exception {
    String[] faults = calls.stream().map(c -> c + "=TooManyRequestsx2").toArray(String[]::new);
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION, faults)) {
      ClusterSpec spec = SandboxWorker.aksPreset();

      RunOutcome outcome = cloud.provision(spec).provision(spec);

      assertThat(outcome.result()).isEqualTo(Phase.SUCCEEDED);
      assertThat(outcome.deleted()).isEmpty();
      assertThat(outcome.nodes().passed()).isTrue();
      for (String call : calls) {
        assertThat(cloud.azureCalls(call.split(":")[0]))
            .as("two refused calls of %s, then one that passed", call)
            .isGreaterThanOrEqualTo(3);
      }
      // The first two PUTs of each faulted create were refused; every other create went through
      // once.
      Map<String, Integer> refused = new HashMap<>();
      List<String> accepted = new ArrayList<>();
      for (RecordedRequest r : cloud.azureMutatingRequests()) {
        String line = AzureRequests.describe(r);
        String faulted =
            calls.stream()
                .filter(c -> line.equals(c.replace(':', ' ')) || line.startsWith(c + " "))
                .findFirst()
                .orElse(null);
        if (faulted != null && refused.getOrDefault(faulted, 0) < 2) {
          refused.merge(faulted, 1, Integer::sum);
        } else {
          accepted.add(line);
        }
      }
      assertThat(accepted).containsExactlyElementsOf(AksSeed.MUTATIONS);
      assertThat(AksSeed.normalized(cloud.inventory()))
          .containsExactlyInAnyOrderElementsOf(AksSeed.INVENTORY);
    }
  }

  /**
   * A permanent fault at each create, the step where the run fails with it, the failure's type, and
   * the resource of that step; the errors are those ARM and AKS give.
   */
  static Stream<Arguments> permanentFaults() {
    return Stream.of(
        Arguments.of(
            "PutResourceGroup=AuthorizationFailed",
            "Create resource group",
            FailureTypes.PERMISSION_DENIED,
            "resource-group/" + AksSeed.GROUP),
        Arguments.of(
            "PutManagedCluster=QuotaExceeded",
            "Create cluster",
            FailureTypes.QUOTA_EXCEEDED,
            "aks-cluster/gitpod"),
        Arguments.of(
            "PutAgentPool:regularws=SkuNotAvailable",
            "Create agent pool regularws",
            FailureTypes.QUOTA_EXCEEDED,
            "agent-pool/regularws"),
        Arguments.of(
            "PutAgentPool:headlessws=InvalidParameter",
            "Create agent pool headlessws",
            FailureTypes.INVALID_ARGUMENT,
            "agent-pool/headlessws"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permanentFaults")
  void aPermanentFaultFailsTheRunAndCompensationLeavesNothing(
      String fault, String step, String type, String failed) throws Exception {
    try (SandboxWorker cloud = SandboxWorker.start(temporal, dir, OPERATION, fault)) {
      ClusterSpec spec = SandboxWorker.aksPreset();

      RunOutcome outcome = cloud.failingRun(spec);

      assertThat(outcome.failedStep()).isEqualTo(step);
      assertThat(outcome.errorType()).isEqualTo(type);
      // Newest first, from the failing step's own resource (its create may have half-happened)
      // down to the group.
      List<String> newestFirst =
          new ArrayList<>(
              AksSeed.CREATES_IN_ORDER.subList(0, AksSeed.CREATES_IN_ORDER.indexOf(failed) + 1));
      Collections.reverse(newestFirst);
      assertThat(outcome.deleted()).containsExactlyElementsOf(newestFirst);
      assertThat(outcome.notDeleted()).isEmpty();
      assertThat(outcome.kept()).isEmpty();
      assertThat(cloud.inventory()).isEmpty();
    }
  }
}
