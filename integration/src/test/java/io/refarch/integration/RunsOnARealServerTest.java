package io.refarch.integration;

import static io.refarch.integration.Child.await;
import static io.refarch.integration.Child.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.refarch.integration.History.Activity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The issue's integration cases on real processes: the Temporal CLI's dev server (SQLite), the
 * sandbox and the worker jar. Runs are started, watched, cancelled and audited with the {@code
 * temporal} CLI only, as docs/operations.md tells users. Each case provisions its own cluster in
 * its own project (cluster name = project id = the case's name), so inventories and histories never
 * mix.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunsOnARealServerTest {
  private static final List<String> POOLS =
      List.of("workload-services", "workload-regular-workspaces", "workload-headless-workspaces");
  private static final Duration OPERATION = Duration.ofSeconds(2);

  private static Stack stack;
  private static TemporalCli temporal;

  /** Every run the cases started, for the history checks at the end. */
  private static final Map<String, String> RUNS = new LinkedHashMap<>();

  /**
   * Runs by workflow id (trailing blanks keep two runs of one id apart) and run id: refarch up and
   * down.
   */
  private static final Map<String, String> OTHER_RUNS = new LinkedHashMap<>();

  /**
   * The kubeconfigs' secrets (CA data, token) seen while runs were up; none may be in any history.
   */
  private static final List<String> SECRETS = new ArrayList<>();

  @BeforeAll
  static void startStack() throws Exception {
    stack = new Stack("runs");
    temporal = stack.temporal;
    stack.startDevServer();
    stack.startSandbox(OPERATION);
    stack.startWorker();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void aRunStartedFromTheCliProvisionsTheClusterInTheSandbox() throws Exception {
    String id = start("provision");
    JsonNode result = temporal.json("workflow", "result", "--workflow-id", id);

    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    JsonNode outcome = result.path("result");
    assertThat(outcome.path("result").asText()).isEqualTo("SUCCEEDED");
    assertThat(texts(outcome.path("created")))
        .containsExactly(
            "service-account/gitpod-gke",
            "project-roles/gitpod-gke",
            "cluster/provision",
            "node-pool/workload-services",
            "node-pool/workload-regular-workspaces",
            "node-pool/workload-headless-workspaces",
            "cluster-role-binding/cluster-admin-binding");
    assertThat(outcome.path("nodes").path("nodes"))
        .hasSize(3)
        .allMatch(n -> n.path("ready").asBoolean());
    // No kubeconfig on the worker: the outcome names the command that writes one for people.
    assertThat(outcome.path("kubeconfigPath").asText(null)).isNull();
    assertThat(outcome.path("kubeconfigCommand").asText())
        .isEqualTo("refarch kubeconfig refarch/gcp/provision/us-central1/provision");
    try (var files = Files.list(stack.kubeconfigDir)) {
      assertThat(files).isEmpty();
    }
    Path kubeconfig = kubeconfigFor("provision");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
        .isEqualTo("rw-------");
    rememberSecrets(kubeconfig);

    assertThat(inventory("provision"))
        .contains(
            "gcp projects/provision/serviceAccounts/gitpod-gke@provision.iam.gserviceaccount.com",
            "gke projects/provision/locations/us-central1/clusters/provision",
            "gke projects/provision/locations/us-central1/clusters/provision/nodePools/workload-services",
            "gke projects/provision/locations/us-central1/clusters/provision/nodePools/workload-regular-workspaces",
            "gke projects/provision/locations/us-central1/clusters/provision/nodePools/workload-headless-workspaces")
        .anyMatch(l -> l.startsWith("k8s provision ") && l.contains("cluster-admin-binding"))
        .noneMatch(l -> l.endsWith("/nodePools/default-pool"));
    assertCreatedOnce("provision");

    // docs/operations.md makes the input with `refarch plan -f SPEC --json`: the same JSON.
    TemporalCli.Result plan =
        stack.refarch("plan", "-f", stack.runDir.resolve("provision.yaml").toString(), "--json");
    if (plan != null) {
      assertThat(TemporalCli.JSON.readTree(plan.stdout()))
          .isEqualTo(TemporalCli.JSON.readTree(stack.runDir.resolve("provision.json").toFile()));
    }

    // The progress query the UI and CLI show: every step done, in the seed's order.
    JsonNode progress =
        temporal
            .json("workflow", "query", "--workflow-id", id, "--type", "progress")
            .path("queryResult")
            .get(0);
    assertThat(progress.path("phase").asText()).isEqualTo("SUCCEEDED");
    assertThat(progress.path("steps")).allMatch(s -> s.path("state").asText().equals("SUCCEEDED"));
  }

  @Test
  @Order(2)
  void aWorkerKilledInTheMiddleOfANodePoolWaitIsReplacedAndNothingIsCreatedTwice()
      throws Exception {
    // Long operations, so the kill lands while the activity is polling a RUNNING node-pool
    // operation.
    stack.startSandbox(Duration.ofSeconds(8));
    String id = start("crash-mid-step");
    String[] operation = new String[1];
    await(
        seconds(120),
        "a node-pool creation in progress",
        () -> {
          for (JsonNode a :
              temporal
                  .json("workflow", "describe", "--workflow-id", id)
                  .path("pendingActivities")) {
            if (a.path("activityType").path("name").asText().equals("GkeEnsureNodePool")
                && a.path("heartbeatDetails").size() > 0) {
              operation[0] = a.path("heartbeatDetails").get(0).asText();
              return true;
            }
          }
          return false;
        });
    String killed = stack.workerIdentityPrefix();
    stack.killWorker();
    JsonNode op = TemporalCli.JSON.readTree(stack.gke("/v1/" + operation[0]));
    assertThat(op.path("status").asText())
        .as("the operation was still running when the worker died")
        .isEqualTo("RUNNING");
    String pool = op.path("targetLink").asText().replaceAll(".*/nodePools/", "");

    stack.startWorker();
    JsonNode result = temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(result.path("result").path("result").asText()).isEqualTo("SUCCEEDED");
    assertCreatedOnce("crash-mid-step");
    assertThat(nodePoolCreates("crash-mid-step", null))
        .as("one create request per node pool")
        .hasSize(3);

    // The crash gap in history: the pool's activity ran again after the heartbeat timeout, on the
    // new worker.
    Activity resumed = stack.history(id).activity("GkeEnsureNodePool", pool);
    assertThat(resumed.attempt()).isEqualTo(2);
    assertThat(resumed.lastFailure().path("timeoutFailureInfo").path("timeoutType").asText())
        .isEqualTo("TIMEOUT_TYPE_HEARTBEAT");
    assertThat(resumed.identity()).doesNotStartWith(killed);
    assertThat(resumed.outcome()).isEqualTo("completed");
  }

  @Test
  @Order(3)
  void aWorkerKilledWhileNoStepRunsIsReplacedAndTheRetriedStepRunsOnTheNewWorker()
      throws Exception {
    // The second pool's create is refused three times (UNAVAILABLE): between attempts Temporal
    // holds the
    // retry timer and no activity runs anywhere. The worker dies in such a gap, after the first
    // pool's step.
    stack.startSandbox(OPERATION, "createNodePool:workload-regular-workspaces=UNAVAILABLEx3");
    String id = start("crash-between");
    await(
        seconds(120),
        "the node-pool step waiting for its retry",
        () -> {
          for (JsonNode a :
              temporal
                  .json("workflow", "describe", "--workflow-id", id)
                  .path("pendingActivities")) {
            if (a.path("activityType").path("name").asText().equals("GkeEnsureNodePool")
                && a.path("state").asText().equals("PENDING_ACTIVITY_STATE_SCHEDULED")
                && a.path("attempt").asInt() >= 2) {
              return true;
            }
          }
          return false;
        });
    String killed = stack.workerIdentityPrefix();
    stack.killWorker();
    stack.startWorker();

    JsonNode result = temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    assertCreatedOnce("crash-between");
    assertThat(nodePoolCreates("crash-between", "workload-regular-workspaces"))
        .as("three refused create requests and the one that worked")
        .hasSize(4);

    History history = stack.history(id);
    assertThat(history.activity("GkeEnsureNodePool", "workload-services").outcome())
        .isEqualTo("completed");
    Activity retried = history.activity("GkeEnsureNodePool", "workload-regular-workspaces");
    assertThat(retried.attempt()).as("each retry is counted in history").isEqualTo(4);
    assertThat(retried.lastFailure().path("message").asText()).containsIgnoringCase("unavailable");
    assertThat(retried.identity()).doesNotStartWith(killed);
    assertThat(retried.outcome()).isEqualTo("completed");
  }

  @Test
  @Order(4)
  void aRunSurvivesTheDevServerStoppingAndStartingAgainOnItsDatabase() throws Exception {
    stack.startSandbox(OPERATION);
    String id = start("server-restart");
    awaitNodePoolInProgress(id);
    stack.stopDevServer();
    stack.startDevServer();

    JsonNode result = temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(result.path("result").path("result").asText()).isEqualTo("SUCCEEDED");
    assertCreatedOnce("server-restart");
    rememberSecrets(kubeconfigFor("server-restart"));
  }

  @Test
  @Order(5)
  void cancellingARunCompensatesEverythingItCreated() throws Exception {
    String id = start("cancel");
    awaitNodePoolInProgress(id);
    temporal.run("workflow", "cancel", "--workflow-id", id);
    await(
        seconds(180),
        "the cancelled run to close",
        () ->
            !temporal
                .json("workflow", "describe", "--workflow-id", id)
                .path("workflowExecutionInfo")
                .path("status")
                .asText()
                .equals("WORKFLOW_EXECUTION_STATUS_RUNNING"));

    JsonNode info =
        temporal.json("workflow", "describe", "--workflow-id", id).path("workflowExecutionInfo");
    assertThat(info.path("status").asText()).isEqualTo("WORKFLOW_EXECUTION_STATUS_CANCELED");
    assertThat(inventory("cancel")).isEmpty();

    // The compensations are in history, after the cancel request, newest resource first.
    History history = stack.history(id);
    assertThat(history.eventTypes()).contains("EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED");
    List<String> deletes =
        history.activities().stream()
            .filter(a -> a.type().startsWith("GkeDelete") || a.type().startsWith("GkeRemove"))
            .map(Activity::type)
            .toList();
    assertThat(deletes)
        .containsSubsequence(
            "GkeDeleteNodePool",
            "GkeDeleteCluster",
            "GkeRemoveRoleBindings",
            "GkeDeleteServiceAccount");
    assertThat(history.activities())
        .filteredOn(a -> deletes.contains(a.type()))
        .allMatch(a -> a.outcome().equals("completed"), "every delete completed");
  }

  @Test
  @Order(6)
  void refarchUpAndDownRunOnTheServerLikeAnyOtherRun() throws Exception {
    assumeTrue(stack.refarch("--version") != null, "starter/target/refarch.jar was not built");
    Stack.RunInput input = stack.writeInput("refarch-up");
    String spec = stack.runDir.resolve("refarch-up.yaml").toString();

    TemporalCli.Result up = stack.refarch("up", "-f", spec, "--temporal", temporal.address());
    assertThat(up.exit()).as("refarch up:\n" + up.stdout()).isZero();
    JsonNode provision =
        temporal
            .json("workflow", "describe", "--workflow-id", input.workflowId())
            .path("workflowExecutionInfo");
    assertThat(provision.path("type").path("name").asText()).isEqualTo("ProvisionCluster");
    assertThat(provision.path("status").asText()).isEqualTo("WORKFLOW_EXECUTION_STATUS_COMPLETED");
    assertThat(inventory("refarch-up"))
        .anyMatch(l -> l.endsWith("/nodePools/workload-headless-workspaces"));
    assertCreatedOnce("refarch-up");
    OTHER_RUNS.put(input.workflowId(), provision.path("execution").path("runId").asText());

    TemporalCli.Result down = stack.refarch("down", "-f", spec, "--temporal", temporal.address());
    assertThat(down.exit()).as("refarch down:\n" + down.stdout()).isZero();
    JsonNode teardown =
        temporal
            .json("workflow", "describe", "--workflow-id", input.workflowId())
            .path("workflowExecutionInfo");
    assertThat(teardown.path("type").path("name").asText()).isEqualTo("TeardownCluster");
    assertThat(teardown.path("status").asText()).isEqualTo("WORKFLOW_EXECUTION_STATUS_COMPLETED");
    assertThat(inventory("refarch-up")).isEmpty();
    OTHER_RUNS.put(input.workflowId() + " ", teardown.path("execution").path("runId").asText());
  }

  @Test
  @Order(7)
  void theCliShowsEveryStepOfEveryRun() {
    for (String id : RUNS.values()) {
      String shown = temporal.run("workflow", "show", "--workflow-id", id);
      assertThat(shown)
          .contains("WorkflowExecutionStarted", "ActivityTaskScheduled", "ActivityTaskCompleted");
      History history = stack.history(id);
      assertThat(history.activities())
          .extracting(Activity::type)
          .contains(
              "GkeEnsureServiceAccount",
              "GkeEnsureRoleBindings",
              "GkeEnsureCluster",
              "GkeEnsureNodePool");
      // The RefarchStep search attribute follows the run's steps.
      assertThat(history.eventTypes()).contains("EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES");
    }
    assertThat(temporal.run("workflow", "list", "--query", "RefarchStep IS NOT NULL"))
        .contains(RUNS.values());
  }

  @Test
  @Order(8)
  void refarchHistoryAuditsStepsRetriesTheCrashGapAndCompensations() throws Exception {
    assumeTrue(stack.refarch("--version") != null, "starter/target/refarch.jar was not built");
    Map<String, JsonNode> audits = new LinkedHashMap<>();
    for (var run : RUNS.entrySet()) {
      TemporalCli.Result text =
          stack.refarch("history", run.getValue(), "--temporal", temporal.address());
      assertThat(text.exit()).as("refarch history " + run.getValue()).isZero();
      assertThat(text.stdout()).contains("GkeEnsureNodePool");
      TemporalCli.Result json =
          stack.refarch("history", run.getValue(), "--temporal", temporal.address(), "--json");
      assertThat(json.exit()).isZero();
      audits.put(run.getKey(), TemporalCli.JSON.readTree(json.stdout()));
    }
    // Every step of the plain run, each once.
    assertThat(audits.get("provision").path("activities"))
        .extracting(a -> a.path("activityType").asText())
        .containsSubsequence(
            "GkeEnsureServiceAccount",
            "GkeEnsureRoleBindings",
            "GkeEnsureCluster",
            "GkeDeleteDefaultNodePool",
            "GkeEnsureNodePool",
            "GkeEnsureNodePool",
            "GkeEnsureNodePool",
            "KubeEnsureClusterAdminBinding",
            "KubeVerifyNodes");
    // The crash: the pool's step took two attempts, the first lost to the heartbeat timeout.
    assertThat(audits.get("crash-mid-step").path("activities"))
        .anyMatch(
            a ->
                a.path("activityType").asText().equals("GkeEnsureNodePool")
                    && a.path("attempts").asInt() == 2
                    && a.path("lastRetriedFailure").asText().toLowerCase().contains("heartbeat"));
    // Each retry: four attempts, the last refusal named.
    assertThat(audits.get("crash-between").path("activities"))
        .anyMatch(
            a ->
                a.path("activityType").asText().equals("GkeEnsureNodePool")
                    && a.path("attempts").asInt() == 4
                    && a.path("lastRetriedFailure").asText().toUpperCase().contains("UNAVAILABLE"));
    // The compensations, marked as such, after the cancellation gap.
    JsonNode cancel = audits.get("cancel");
    assertThat(cancel.path("activities"))
        .filteredOn(a -> a.path("compensation").asBoolean())
        .extracting(a -> a.path("activityType").asText())
        .contains(
            "GkeDeleteNodePool",
            "GkeDeleteCluster",
            "GkeRemoveRoleBindings",
            "GkeDeleteServiceAccount");
    assertThat(cancel.path("gaps")).anyMatch(g -> g.path("kind").asText().equals("cancel"));
  }

  @Test
  @Order(9)
  void noHistoryHoldsTheKubeconfigsSecrets() {
    assertThat(SECRETS).as("kubeconfig secrets were collected").isNotEmpty();
    List<String[]> all = new ArrayList<>();
    RUNS.values().forEach(id -> all.add(new String[] {"--workflow-id", id}));
    OTHER_RUNS.forEach(
        (id, run) -> all.add(new String[] {"--workflow-id", id.strip(), "--run-id", run}));
    for (String[] run : all) {
      String id = String.join(" ", run);
      List<String> args = new ArrayList<>(List.of("workflow", "show", "-o", "json"));
      args.addAll(List.of(run));
      String raw = temporal.run(args.toArray(String[]::new));
      String decoded = raw + "\n" + decodeBase64Strings(raw);
      for (String secret : SECRETS) {
        assertThat(decoded).as("history of " + id).doesNotContain(secret);
      }
      assertThat(decoded)
          .as("history of " + id)
          .doesNotContain(
              "BEGIN CERTIFICATE",
              "certificate-authority-data",
              "PRIVATE KEY",
              "client-key-data",
              "\"token\"");
    }
  }

  // ---- helpers ----

  private static String start(String name) throws Exception {
    String id = stack.startProvisioning(name);
    RUNS.put(name, id);
    return id;
  }

  private static void awaitNodePoolInProgress(String id) {
    await(
        seconds(120),
        "a node-pool step in progress",
        () -> {
          for (JsonNode a :
              temporal
                  .json("workflow", "describe", "--workflow-id", id)
                  .path("pendingActivities")) {
            if (a.path("activityType").path("name").asText().equals("GkeEnsureNodePool")
                && a.path("state").asText().equals("PENDING_ACTIVITY_STATE_STARTED")) {
              return true;
            }
          }
          return false;
        });
  }

  private static List<String> inventory(String name) {
    return stack.inventory().stream()
        .filter(
            l ->
                l.contains("projects/" + name + "/")
                    || l.contains("@" + name + ".iam")
                    || l.startsWith("k8s " + name + " "))
        .toList();
  }

  /**
   * The sandbox's own record of creates: one create operation per cluster and node pool, one
   * service account.
   */
  private static void assertCreatedOnce(String name) throws Exception {
    JsonNode ops =
        TemporalCli.JSON
            .readTree(stack.gke("/v1/projects/" + name + "/locations/us-central1/operations"))
            .path("operations");
    List<String> creates = new ArrayList<>();
    ops.forEach(
        o -> {
          String type = o.path("operationType").asText();
          if (type.startsWith("CREATE")) {
            creates.add(type + " " + o.path("targetLink").asText().replaceAll(".*/clusters/", ""));
          }
        });
    List<String> expected = new ArrayList<>(List.of("CREATE_CLUSTER " + name));
    POOLS.forEach(p -> expected.add("CREATE_NODE_POOL " + name + "/nodePools/" + p));
    assertThat(creates)
        .as("create operations in project " + name)
        .containsExactlyInAnyOrderElementsOf(expected);
    List<JsonNode> accountCreates =
        stack.requests().stream()
            .filter(
                r ->
                    r.path("path").asText().endsWith("CreateServiceAccount")
                        || (r.path("method").asText().equals("POST")
                            && r.path("path").asText().endsWith("/serviceAccounts")))
            .filter(
                r ->
                    r.path("body").asText().contains(name)
                        || r.path("path").asText().contains("/" + name + "/"))
            .toList();
    assertThat(accountCreates).as("service account creates in project " + name).hasSize(1);
  }

  /**
   * The node-pool create requests the sandbox received for a project (one pool, or all when null).
   */
  private static List<JsonNode> nodePoolCreates(String project, String pool) throws Exception {
    return stack.requests().stream()
        .filter(r -> r.path("method").asText().equals("POST"))
        .filter(r -> r.path("path").asText().startsWith("/v1/projects/" + project + "/"))
        .filter(r -> r.path("path").asText().endsWith("/nodePools"))
        .filter(r -> pool == null || r.path("body").asText().contains("\"" + pool + "\""))
        .toList();
  }

  /**
   * {@code refarch kubeconfig --sandbox} for a run's cluster: its CA and a token of the sandbox,
   * the secrets a history must never hold.
   */
  private static Path kubeconfigFor(String name) throws Exception {
    String file = "kubeconfig-" + name + ".yaml";
    TemporalCli.Result r =
        stack.refarch(
            "kubeconfig",
            "-f",
            name + ".yaml",
            "--sandbox",
            "--sandbox-state",
            "sandbox",
            "-o",
            file);
    assertThat(r).as("the refarch CLI jar (starter/target/refarch.jar)").isNotNull();
    assertThat(r.exit()).as(r.stdout()).isZero();
    return stack.runDir.resolve(file);
  }

  private static void rememberSecrets(Path kubeconfig) throws Exception {
    String text = Files.readString(kubeconfig);
    Matcher ca = Pattern.compile("certificate-authority-data: \"?([A-Za-z0-9+/=]+)").matcher(text);
    assertThat(ca.find()).as("CA data in " + kubeconfig).isTrue();
    SECRETS.add(ca.group(1));
    // The PEM body inside, line by line: a history could hold the certificate in another encoding.
    String pem = new String(Base64.getDecoder().decode(ca.group(1)));
    pem.lines().filter(l -> l.length() >= 40 && !l.startsWith("-----")).forEach(SECRETS::add);
    Matcher token = Pattern.compile("token: \"?([^\"\\s]+)").matcher(text);
    assertThat(token.find()).as("token in " + kubeconfig).isTrue();
    SECRETS.add("\"" + token.group(1) + "\"");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * The base64 strings of the JSON (payload data, search attributes), decoded, so nothing hides in
   * them.
   */
  private static String decodeBase64Strings(String json) {
    StringBuilder out = new StringBuilder();
    Matcher m = Pattern.compile("\"([A-Za-z0-9+/]{16,}={0,2})\"").matcher(json);
    while (m.find()) {
      try {
        out.append(new String(Base64.getDecoder().decode(m.group(1)))).append('\n');
      } catch (IllegalArgumentException notBase64) {
        // an ordinary string
      }
    }
    return out.toString();
  }
}
