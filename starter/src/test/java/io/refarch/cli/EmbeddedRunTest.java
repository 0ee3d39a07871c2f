package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.cli.CommandRunner.Result;
import io.refarch.spec.SpecException;
import io.refarch.spec.Specs;
import io.refarch.workflow.FailureTypes;
import io.refarch.workflow.fakes.FakeCloud;
import io.refarch.workflow.gke.GkeActivities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refarch up/down/status/history/list/plan} end to end on the in-process Temporal (real
 * time, no time skipping), with recording fake activities behind the real workflows.
 */
class EmbeddedRunTest {
  static final String ID = "refarch/gcp/my-gcp-project/us-central1/gitpod";

  /** The 000 seed's GKE procedure, as the fake activities see it. */
  static final List<String> SEED_CALLS =
      List.of(
          "preflight",
          "ensureServiceAccount",
          "ensureRoleBindings",
          "ensureCluster",
          "deleteDefaultNodePool",
          "ensureNodePool workload-services",
          "ensureNodePool workload-regular-workspaces",
          "ensureNodePool workload-headless-workspaces",
          "ensureClusterAdminBinding you@example.com",
          "verifyNodes");

  static final List<String> SEED_STEPS =
      List.of(
          "Preflight",
          "Create service account",
          "Grant project roles",
          "Create cluster",
          "Delete default node pool",
          "Create node pool workload-services",
          "Create node pool workload-regular-workspaces",
          "Create node pool workload-headless-workspaces",
          "Bind cluster-admin",
          "Verify nodes");

  @TempDir Path dir;

  final FakeCloud fake = new FakeCloud();

  CommandRunner refarch() {
    return new CommandRunner(dir, config -> fake.activities());
  }

  @Test
  void upRunsTheSeedStepsInOrderAndSumsUp() throws Exception {
    CommandRunner.example(dir, "gke.yaml");

    Result r = refarch().run("up", "-f", "gke.yaml");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(fake.calls()).containsExactlyElementsOf(SEED_CALLS);
    // The live lines (not a TTY): each step reported succeeded, in the seed's order.
    assertInOrder(r.out(), numbered(SEED_STEPS, ": succeeded in"));
    // The summary's step table, in order, every step ok.
    String summary = r.out().substring(r.out().indexOf("Steps:"));
    assertInOrder(summary, SEED_STEPS);
    assertThat(summary)
        .contains("Result: SUCCEEDED")
        .contains("Kubeconfig: refarch kubeconfig -f gke.yaml (writes one on this machine)")
        .contains("Not deleted: none")
        .contains("workload-services-node-0", "containerd://1.6.9", "5.15.0");
    assertThat(summary.lines().filter(l -> l.matches("\\s+ok\\s+\\d+\\s+.*succeeded.*")))
        .hasSize(SEED_STEPS.size());
    assertThat(
            Files.list(dir.resolve(".refarch/runs/refarch_gcp_my-gcp-project_us-central1_gitpod"))
                .filter(
                    f ->
                        f.toString().endsWith(".json") && !f.toString().endsWith(".progress.json")))
        .hasSize(1);
    // Without the temporal CLI the run lived in memory, and a run against a real cloud says so
    // before it starts.
    assertThat(r.err().strip())
        .startsWith("refarch: warning: no `temporal` CLI")
        .contains("if it dies, the run cannot be resumed")
        .doesNotContain("\n");
  }

  @Test
  void ctrlCCancelsAnInProcessRunAndFollowsItsCompensationToTheEnd() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    HeldCluster held =
        new HeldCluster((io.refarch.workflow.gke.GkeActivities) fake.activities().get(0));
    CommandRunner refarch =
        new CommandRunner(
            dir,
            config -> {
              List<Object> activities = new java.util.ArrayList<>(fake.activities());
              activities.set(0, held);
              return activities;
            });
    var background = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      var up = background.submit(() -> refarch.run("up", "-f", "gke.yaml"));
      assertThat(held.awaitStarted()).as("the run reached Create cluster").isTrue();
      refarch.interrupts().press();
      // The cluster create heartbeats once released, and so learns of the cancellation.
      held.release();
      Result r = up.get(60, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
      assertThat(r.err()).contains("refarch: interrupted: cancelling the run");
      assertThat(r.out()).contains("Result: CANCELLED").contains("History: .refarch/runs/");
      assertThat(fake.calls())
          .endsWith("deleteCluster", "removeRoleBindings", "deleteServiceAccount");
    } finally {
      held.release();
      background.shutdownNow();
    }
  }

  @Test
  void aTemporalCliThatIsNotThereIsBadInputNamingTheVariable() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    Result r =
        new CommandRunner(
                dir,
                config -> fake.activities(),
                Map.of("REFARCH_TEMPORAL_CLI", dir.resolve("no-such-temporal").toString()))
            .run("up", "-f", "gke.yaml");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("REFARCH_TEMPORAL_CLI=").contains("is not an executable file");
    assertThat(fake.calls()).isEmpty();
    assertThat(dir.resolve(".refarch")).doesNotExist();
  }

  @Test
  void aFailedNodePoolExitsOneAndListsTheCompensationsLastCreatedFirst() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    fake.failPermanently(
        "ensureNodePool workload-regular-workspaces", FailureTypes.INVALID_ARGUMENT);

    Result r = refarch().run("up", "-f", "gke.yaml");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    List<String> deletes =
        List.of(
            "deleteNodePool workload-regular-workspaces",
            "deleteNodePool workload-services",
            "deleteCluster",
            "removeRoleBindings",
            "deleteServiceAccount");
    assertThat(fake.calls().subList(fake.calls().size() - deletes.size(), fake.calls().size()))
        .isEqualTo(deletes);
    assertThat(r.out())
        .contains("Result: FAILED")
        .contains("Failed step: Create node pool workload-regular-workspaces")
        .contains(
            "Error: InvalidArgument: injected InvalidArgument at ensureNodePool workload-regular-workspaces")
        .contains("Not deleted: none");
    String compensations =
        r.out().substring(r.out().indexOf("Compensations, in the order they ran:"));
    assertInOrder(
        compensations,
        List.of(
            "compensated  node-pool/workload-regular-workspaces",
            "compensated  node-pool/workload-services",
            "compensated  cluster/gitpod",
            "compensated  project-roles/gitpod-gke",
            "compensated  service-account/gitpod-gke"));
    // The live lines say when compensation began.
    assertThat(r.out())
        .contains("compensating: deleting what this run created, last created first");

    Result history = refarch().run("history", ID);
    assertThat(history.exitCode()).as(history.toString()).isZero();
    String undo =
        history.out().substring(history.out().indexOf("Compensations, in the order they ran:"));
    assertInOrder(
        undo,
        List.of(
            "GkeDeleteNodePool",
            "GkeDeleteNodePool",
            "GkeDeleteCluster",
            "GkeRemoveRoleBindings",
            "GkeDeleteServiceAccount"));
    assertThat(history.out())
        .contains("ProvisionFailed")
        .contains(
            "GkeEnsureNodePool: InvalidArgument: injected InvalidArgument at ensureNodePool workload-regular-workspaces");
  }

  @Test
  void aSecondEmbeddedRunForTheSameClusterInTheSameDirectoryIsRefused() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    List<Object> activities = new ArrayList<>(fake.activities());
    HeldCluster held = new HeldCluster((GkeActivities) activities.get(0));
    activities.set(0, held);
    CommandRunner holding = new CommandRunner(dir, config -> activities);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<Result> first = background.submit(() -> holding.run("up", "-f", "gke.yaml"));
      assertThat(held.awaitStarted()).isTrue();

      Result second = refarch().run("down", "-f", "gke.yaml");

      assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.ALREADY_RUNNING);
      assertThat(second.err())
          .contains("a run for " + ID + " is already going")
          .contains("nothing was started");
      held.release();
      assertThat(first.get(60, TimeUnit.SECONDS).exitCode()).isZero();
      assertThat(fake.calls()).containsExactlyElementsOf(SEED_CALLS);
    } finally {
      held.release();
      background.shutdownNow();
    }
  }

  /**
   * Two working directories, one real cluster: the lock is the machine's ($REFARCH_HOME), not the
   * directory's, so the second is refused too.
   */
  @Test
  void aSecondEmbeddedRunForTheSameClusterFromAnotherDirectoryIsRefused() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    Path second = Files.createDirectories(dir.resolve("second"));
    CommandRunner.example(first, "gke.yaml");
    CommandRunner.example(second, "gke.yaml");
    java.util.Map<String, String> machine =
        java.util.Map.of("REFARCH_HOME", dir.resolve("home").toString());
    List<Object> activities = new ArrayList<>(fake.activities());
    HeldCluster held = new HeldCluster((GkeActivities) activities.get(0));
    activities.set(0, held);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<Result> running =
          background.submit(
              () ->
                  new CommandRunner(first, config -> activities, machine)
                      .run("up", "-f", "gke.yaml"));
      assertThat(held.awaitStarted()).isTrue();

      Result refused =
          new CommandRunner(second, config -> fake.activities(), machine)
              .run("up", "-f", "gke.yaml");

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.ALREADY_RUNNING);
      assertThat(refused.err())
          .contains("a run for " + ID + " is already going")
          .contains(dir.resolve("home").resolve("locks").toString());
      held.release();
      assertThat(running.get(60, TimeUnit.SECONDS).exitCode()).isZero();
    } finally {
      held.release();
      background.shutdownNow();
    }
  }

  @Test
  void aSpecWithProblemsPrintsEveryOneAndStartsNothing() throws Exception {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: refarch.io/v1alpha1
        kind: ClusterSpec
        cloud: gcp
        name: Not_A_Name
        region: us-central1
        clusterAdmin: you@example.com
        gcp:
          project: my-gcp-project
        nodePools:
          - name: workload-services
            machineType: n2d-standard-4
            minNodes: many
            labelz: {}
        """);
    List<String> problems = new ArrayList<>();
    try {
      Specs.load(spec);
    } catch (SpecException e) {
      problems.addAll(e.problems());
    }
    assertThat(problems).hasSizeGreaterThan(1);

    Result r = refarch().run("up", "-f", "bad.yaml");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("has " + problems.size() + " problems; nothing was started");
    for (String problem : problems) {
      assertThat(r.err().lines()).contains("  " + problem);
    }
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(fake.calls()).isEmpty();
    assertThat(dir.resolve(".refarch")).doesNotExist();
  }

  @Test
  void aCloudWhoseActivitiesAreMissingIsRefusedBeforeAnythingStarts() throws Exception {
    CommandRunner.example(dir, "eks.yaml");
    CommandRunner gkeOnly =
        new CommandRunner(
            dir,
            config ->
                fake.activities().stream()
                    .filter(a -> !(a instanceof io.refarch.workflow.eks.EksActivities))
                    .toList());

    Result r = gkeOnly.run("up", "-f", "eks.yaml");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains("cloud: aws has no activities in this build yet")
        .doesNotContain("\tat ");
    assertThat(fake.calls()).isEmpty();
    assertThat(dir.resolve(".refarch/runs/refarch_aws_123456789012_eu-west-1_gitpod"))
        .doesNotExist();
  }

  @Test
  void withACodecKeyTheSavedHistoryHoldsNoReadableSpecAndTheAuditStillReadsIt() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    CommandRunner encrypted =
        new CommandRunner(
            dir,
            config -> fake.activities(),
            java.util.Map.of(
                "REFARCH_CODEC_KEYS", "k1=" + java.util.Base64.getEncoder().encodeToString(raw)));

    assertThat(encrypted.run("up", "-f", "gke.yaml").exitCode()).isZero();

    Path runs = dir.resolve(".refarch/runs/refarch_gcp_my-gcp-project_us-central1_gitpod");
    Path history =
        Files.list(runs)
            .filter(f -> f.toString().endsWith(".json") && !f.toString().endsWith(".progress.json"))
            .findFirst()
            .orElseThrow();
    // n2d-standard-16 appears only inside the spec, which every activity input carries.
    String json = Files.readString(history);
    assertThat(json)
        .doesNotContain("n2d-standard-16")
        // the payload encoding, base64 without its padding (which JSON escapes)
        .contains(
            java.util.Base64.getEncoder()
                .withoutPadding()
                .encodeToString("binary/encrypted".getBytes()));
    Result audit = encrypted.run("history", ID);
    assertThat(audit.exitCode()).as(audit.toString()).isZero();
    assertThat(audit.out())
        .contains("Create node pool workload-headless-workspaces", "workload-headless-workspaces");
  }

  @Test
  void aBadCodecKeyIsBadInputNamingTheSetting() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    Result r =
        new CommandRunner(
                dir,
                config -> fake.activities(),
                java.util.Map.of("REFARCH_CODEC_KEYS", "k1=c2hvcnQ="))
            .run("up", "-f", "gke.yaml");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("REFARCH_CODEC_KEYS").contains("must be 32 bytes");
    assertThat(fake.calls()).isEmpty();
  }

  @Test
  void anUnknownOptionIsBadInputWithUsageAndNoStackTrace() {
    Result r = refarch().run("up", "--frobnicate", "-f", "gke.yaml");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains("Unknown option: '--frobnicate'")
        .contains("Usage: refarch up")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(fake.calls()).isEmpty();
  }

  @Test
  void aBadSandboxFaultIsBadInputNamingTheArgument() throws Exception {
    CommandRunner.example(dir, "gke.yaml");

    Result r =
        refarch()
            .run("up", "-f", "gke.yaml", "--sandbox", "--sandbox-fault", "createNodePool=NOPE");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("--sandbox-fault").contains("NOPE").doesNotContain("\tat ");
    assertThat(fake.calls()).isEmpty();
  }

  @Test
  void historyShowsTheAttemptsOfAStepThatFailedTransiently() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    fake.failTransiently("ensureCluster", 2);

    Result up = refarch().run("up", "-f", "gke.yaml");
    assertThat(up.exitCode()).as(up.toString()).isZero();
    // While it retried, the live lines showed the server's attempt and the failure before it.
    assertThat(up.out())
        .contains(
            "step 4/10 Create cluster: running, attempt 3 (last error: "
                + "Unavailable: injected transient failure at ensureCluster)");

    Result text = refarch().run("history", ID);
    assertThat(text.exitCode()).as(text.toString()).isZero();
    String clusterRow =
        text.out().lines().filter(l -> l.contains("GkeEnsureCluster")).findFirst().orElseThrow();
    assertThat(clusterRow)
        .contains("Create cluster")
        .contains("spec gitpod")
        .matches(".*\\s3\\s.*")
        .contains("completed");

    Result json = refarch().run("history", ID, "--json");
    assertThat(json.exitCode()).isZero();
    JsonNode audit = new ObjectMapper().readTree(json.out());
    assertThat(audit.get("workflowType").asText()).isEqualTo("ProvisionCluster");
    assertThat(audit.get("status").asText()).isEqualTo("COMPLETED");
    List<String> types = new ArrayList<>();
    for (JsonNode a : audit.get("activities")) {
      types.add(a.get("activityType").asText());
      int expectedAttempts = a.get("activityType").asText().equals("GkeEnsureCluster") ? 3 : 1;
      assertThat(a.get("attempts").asInt()).as(a.toString()).isEqualTo(expectedAttempts);
      assertThat(a.get("compensation").asBoolean()).isFalse();
    }
    assertThat(types)
        .containsExactly(
            "GkePreflight",
            "GkeEnsureServiceAccount",
            "GkeEnsureRoleBindings",
            "GkeEnsureCluster",
            "GkeDeleteDefaultNodePool",
            "GkeEnsureNodePool",
            "GkeEnsureNodePool",
            "GkeEnsureNodePool",
            "KubeEnsureClusterAdminBinding",
            "KubeVerifyNodes");
    assertThat(audit.get("activities").get(5).get("input").asText())
        .isEqualTo("spec gitpod, workload-services");
    assertThat(audit.get("activities").get(3).get("step").asText()).isEqualTo("Create cluster");
  }

  @Test
  void listAndStatusReadTheSavedRuns() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    assertThat(refarch().run("up", "-f", "gke.yaml").exitCode()).isZero();
    assertThat(refarch().run("down", "-f", "gke.yaml").exitCode()).isZero();

    Result list = refarch().run("list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out().lines().filter(l -> l.startsWith(ID)))
        .satisfiesExactly(
            l -> assertThat(l).contains("ProvisionCluster").contains("COMPLETED"),
            l -> assertThat(l).contains("TeardownCluster").contains("COMPLETED"));

    Result status = refarch().run("status", ID);
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out())
        .contains("TeardownCluster " + ID)
        .contains("phase SUCCEEDED")
        .contains("Delete service-account/gitpod-gke")
        .contains("Result: SUCCEEDED");

    Result none = refarch().run("status", "refarch/gcp/other/us-central1/gitpod");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(none.err()).contains("no saved run").doesNotContain("\tat ");
  }

  @Test
  void downDeletesWhatUpCreatesLastFirst() throws Exception {
    CommandRunner.example(dir, "gke.yaml");

    Result r = refarch().run("down", "-f", "gke.yaml");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(fake.calls())
        .containsExactly(
            "deleteNodePool workload-headless-workspaces",
            "deleteNodePool workload-regular-workspaces",
            "deleteNodePool workload-services",
            "deleteCluster",
            "removeRoleBindings",
            "deleteServiceAccount");
    assertThat(r.out())
        .contains("TeardownCluster " + ID + " started")
        .contains("Result: SUCCEEDED");
  }

  @Test
  void aTeardownThatLeavesAResourceExitsOneAndSaysWhy() throws Exception {
    CommandRunner.example(dir, "gke.yaml");
    fake.failPermanently("deleteCluster", FailureTypes.PERMISSION_DENIED);

    Result r = refarch().run("down", "-f", "gke.yaml");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.out())
        .contains("Result: TEARDOWN INCOMPLETE")
        .contains("cluster/gitpod: PermissionDenied: injected PermissionDenied at deleteCluster");
    // The others were still tried.
    assertThat(fake.calls()).contains("removeRoleBindings", "deleteServiceAccount");
  }

  @Test
  void planPrintsTheDefaultedSpecAndTheStepsWithoutCallingAnything() throws Exception {
    CommandRunner.example(dir, "gke.yaml");

    Result r = refarch().run("plan", "-f", "gke.yaml");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    // Defaults the file leaves out, filled in.
    assertThat(r.out())
        .contains("serviceAccount: gitpod-gke")
        .contains("nodePoolServiceAccount: default")
        .contains("imageType: UBUNTU_CONTAINERD")
        .contains("roles/container.admin");
    assertInOrder(r.out().substring(r.out().indexOf("Steps (10)")), numberedPlan(SEED_STEPS));
    assertThat(r.out())
        .contains("nodePools.create workload-services: n2d-standard-4")
        .contains("nodes run as the project's Compute Engine default account");
    assertThat(fake.calls()).isEmpty();
    assertThat(dir.resolve(".refarch")).doesNotExist();

    Result json = refarch().run("plan", "-f", "gke.yaml", "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(new ObjectMapper().readTree(json.out()).get("gcp").get("serviceAccount").asText())
        .isEqualTo("gitpod-gke");
  }

  @Test
  void helpAndVersionAnswerWithoutRunningAnything() {
    Result help = refarch().run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("plan", "up", "down", "status", "history", "list", "sandbox");
    Result upHelp = refarch().run("up", "--help");
    assertThat(upHelp.out()).contains("--temporal", "--sandbox-fault", ".refarch/runs/");
    Result version = refarch().run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("refarch 0.");
  }

  private static List<String> numbered(List<String> steps, String suffix) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      lines.add("step " + (i + 1) + "/" + steps.size() + " " + steps.get(i) + suffix);
    }
    return lines;
  }

  private static List<String> numberedPlan(List<String> steps) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      lines.add(String.format("%3d. %s  [", i + 1, steps.get(i)));
    }
    return lines;
  }

  /** Each of {@code parts} occurs in {@code text}, each after the one before. */
  static void assertInOrder(String text, List<String> parts) {
    int from = 0;
    for (String part : parts) {
      int at = text.indexOf(part, from);
      assertThat(at)
          .as("'%s' after position %d in:%n%s", part, from, text)
          .isGreaterThanOrEqualTo(0);
      from = at + part.length();
    }
  }
}
