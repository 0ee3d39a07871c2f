package io.refarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refarch.activities.Activities;
import io.refarch.cli.CommandRunner.Result;
import io.refarch.sandbox.Sandbox;
import io.refarch.sandbox.SandboxOptions;
import io.refarch.sandbox.azure.Azure;
import io.refarch.sandbox.core.RecordedRequest;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle for AKS (issue 9 §3): the real Azure CLI and kubectl, over HTTPS, against the
 * sandbox's emulated Azure. {@code az cloud register} names the sandbox as a custom cloud (its
 * Resource Manager and Entra endpoint, one HTTPS listener; {@code REQUESTS_CA_BUNDLE} its CA),
 * {@code az login --service-principal} gets a token from the emulated Entra, then the Gitpod AKS
 * guide's steps (gitpod-io/gitpod-microsoft-aks-guide, {@code setup.sh}: probe with {@code show},
 * {@code az group create}, {@code az aks create} with the services pool, {@code az aks nodepool
 * add} for each workspace pool) run with the reference architecture's Azure sizes and {@code
 * examples/aks.yaml}'s pools. {@code az aks show}, {@code az aks nodepool list}, {@code az group
 * show} read them back and {@code az aks get-credentials --admin} gives kubectl a kubeconfig for
 * the cluster's API. The same reads run on what {@code refarch up -f examples/aks.yaml --sandbox}
 * made, and the guide's steps leave the same Azure inventory as the run. Skipped when az or kubectl
 * is not on PATH ({@code .ci/run} installs azure-cli in a venv).
 *
 * <p>What cannot point at the sandbox: MSAL's instance discovery, which asks {@code
 * login.microsoftonline.com} about any authority host it does not know, whatever cloud is
 * registered. It is switched off with az's own setting for clouds without that service (Azure
 * Stack), {@code core.instance_discovery=false}; the sandbox's tenant discovery, token endpoint and
 * ARM take every other request. Any other host az tries (its version check, telemetry) meets a
 * closed proxy port, so nothing leaves the machine.
 */
class AzCliOracleTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static final String CLOUD = "refarchSandbox";
  static final String GROUP = "gitpod-rg";
  static final String CLUSTER = "gitpod";

  /** The nodes as users check them: name, pool, runtime, max pods, image. */
  static final String NODE_COLUMNS =
      "custom-columns=NAME:.metadata.name,"
          + "POOL:.metadata.labels.agentpool,"
          + "RUNTIME:.status.nodeInfo.containerRuntimeVersion,"
          + "PODS:.status.capacity.pods,"
          + "OS:.status.nodeInfo.osImage";

  @TempDir Path dir;
  String azure;
  Path caBundle;

  /** az's and kubectl's home for the sandbox the test talks to: its cloud, login, token cache. */
  Path home;

  @BeforeEach
  void toolsAreHere() {
    for (String tool : List.of("az", "kubectl")) {
      boolean found = onPath(tool);
      if (!found) {
        System.out.println("AzCliOracleTest skipped: " + tool + " is not on PATH");
      }
      Assumptions.assumeTrue(found, tool + " is not on PATH");
    }
  }

  @Test
  void theGitpodGuidesStepsMakeTheClusterAndTheCliAndKubectlReadItBack() throws Exception {
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(dir.resolve("state")))) {
      connect(sandbox);
      JsonNode accounts = login();
      assertThat(accounts).hasSize(1);
      assertThat(accounts.path(0).path("cloudName").asText()).isEqualTo(CLOUD);
      assertThat(accounts.path(0).path("tenantId").asText()).isEqualTo(Azure.SANDBOX_TENANT_ID);
      assertThat(accounts.path(0).path("user").path("type").asText()).isEqualTo("servicePrincipal");
      String subscription = accounts.path(0).path("id").asText();
      assertThat(subscription).isEqualTo(Azure.SANDBOX_SUBSCRIPTION_ID);
      az("account", "set", "--subscription", subscription);

      guideSteps();
      readBack(subscription);

      // What the sandbox holds: the group, the cluster and its three pools, nothing else of Azure.
      String id = subscription + "/" + GROUP + "/" + CLUSTER;
      List<String> inventory = azureInventory(sandbox);
      assertThat(inventory)
          .as(String.join("\n", inventory))
          .hasSize(5)
          .contains(
              "azure group " + subscription + "/" + GROUP + " westeurope Succeeded",
              "aks agentpool " + id + "/services Succeeded System Standard_D4_v4 x1",
              "aks agentpool " + id + "/regularws Succeeded User Standard_D16_v4 x1",
              "aks agentpool " + id + "/headlessws Succeeded User Standard_D16_v4 x1")
          .anySatisfy(l -> assertThat(l).startsWith("aks cluster " + id + " Succeeded 1.29."));

      // The guide's uninstall (az aks delete), then the group; both wait on ARM's async operation.
      az("aks", "delete", "--name", CLUSTER, "--resource-group", GROUP, "--yes");
      az("group", "delete", "--name", GROUP, "--yes");
      assertThat(az("group", "exists", "--name", GROUP).asBoolean()).isFalse();
      assertThat(sandbox.inventory())
          .noneMatch(l -> l.startsWith("azure ") || l.startsWith("aks "));
    }
  }

  /**
   * {@code refarch up -f examples/aks.yaml --sandbox}, then the CLI reads back what the run made
   * with the same checks as the guide's cluster gets, and the guide's steps on a fresh sandbox
   * leave the same Azure inventory (refarch's cluster-admin binding inside the cluster aside: the
   * guide has no such step).
   */
  @Test
  void theCliReadsBackWhatUpMadeAndTheGuidesStepsLeaveTheSameInventory() throws Exception {
    // The example's placeholder subscription, changed as a user changes it to theirs: to the one
    // the sandbox's service principal lists, since az addresses only subscriptions it logged in to.
    Files.writeString(
        dir.resolve("aks.yaml"),
        Files.readString(Path.of("..", "examples", "aks.yaml"))
            .replace(
                "subscription: 00000000-0000-0000-0000-000000000000",
                "subscription: " + Azure.SANDBOX_SUBSCRIPTION_ID));
    Result up = new CommandRunner(dir, Activities::create).run("up", "-f", "aks.yaml", "--sandbox");
    assertThat(up.exitCode()).as(up.toString()).isZero();

    List<String> byRefarch;
    // The run's sandbox stopped with the command; this one serves the state it left.
    try (Sandbox sandbox =
        Sandbox.start(SandboxOptions.defaults(dir.resolve(".refarch").resolve("sandbox")))) {
      connect(sandbox);
      login();
      az("account", "set", "--subscription", Azure.SANDBOX_SUBSCRIPTION_ID);
      readBack(Azure.SANDBOX_SUBSCRIPTION_ID);
      // What refarch adds to what the guide does: its ownership tags.
      assertThat(az("group", "show", "--name", GROUP).path("tags").path("refarch-cluster").asText())
          .isEqualTo(CLUSTER);
      byRefarch = azureInventory(sandbox);
    }

    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(dir.resolve("guide")))) {
      connect(sandbox);
      login();
      az("account", "set", "--subscription", Azure.SANDBOX_SUBSCRIPTION_ID);
      guideSteps();
      assertThat(azureInventory(sandbox)).isEqualTo(byRefarch);
    }
  }

  @Test
  void aWrongClientSecretIsRefusedByTheEmulatedEntra() throws Exception {
    try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(dir.resolve("state")))) {
      connect(sandbox);
      Proc login =
          azUnchecked(
              "login",
              "--service-principal",
              "-u",
              Azure.SANDBOX_CLIENT_ID,
              "-p",
              "not-" + Azure.SANDBOX_CLIENT_SECRET,
              "--tenant",
              Azure.SANDBOX_TENANT_ID);
      assertThat(login.exitCode()).as(login.output()).isNotZero();
      assertThat(login.output()).contains("AADSTS7000215").contains("Invalid client secret");
      // Nothing is logged in: an ARM command finds no account.
      Proc list = azUnchecked("group", "list");
      assertThat(list.exitCode()).as(list.output()).isNotZero();
      assertThat(list.output()).contains("az login");
    }
  }

  @Test
  void throttlingIsRetriedByAzAndAQuotaErrorReachesTheUserAsAksWordsIt() throws Exception {
    SandboxOptions options =
        SandboxOptions.defaults(dir.resolve("state"))
            .withFaults(
                List.of(
                    Sandbox.parseFault("GetManagedCluster:" + CLUSTER + "=TooManyRequestsx2"),
                    Sandbox.parseFault("PutAgentPool:headlessws=QuotaExceeded")));
    try (Sandbox sandbox = Sandbox.start(options)) {
      connect(sandbox);
      login();
      az("group", "create", "--location", "westeurope", "--name", GROUP);
      // az's first call is a GET of the cluster: two 429s with Retry-After, retried by azure-core.
      az(
          "aks",
          "create",
          "--location",
          "westeurope",
          "--name",
          CLUSTER,
          "--resource-group",
          GROUP,
          "--nodepool-name",
          "services",
          "--node-count",
          "1",
          "--node-vm-size",
          "Standard_D4_v4",
          "--no-ssh-key");
      List<String> untilPut = new ArrayList<>();
      for (RecordedRequest r : sandbox.requests()) {
        if (r.path().toLowerCase().endsWith("/managedclusters/" + CLUSTER)) {
          untilPut.add(r.method());
          if (r.method().equals("PUT")) {
            break;
          }
        }
      }
      assertThat(untilPut).containsExactly("GET", "GET", "GET", "PUT");

      Proc quota =
          azUnchecked(
              "aks",
              "nodepool",
              "add",
              "--cluster-name",
              CLUSTER,
              "--name",
              "headlessws",
              "--mode",
              "User",
              "--node-count",
              "1",
              "--node-vm-size",
              "Standard_D16_v4",
              "--resource-group",
              GROUP);
      assertThat(quota.exitCode()).as(quota.output()).isNotZero();
      assertThat(quota.output())
          .contains("(QuotaExceeded)")
          .contains("exceeding approved Total Regional Cores quota");
      assertThat(
              names(
                  az(
                      "aks",
                      "nodepool",
                      "list",
                      "--cluster-name",
                      CLUSTER,
                      "--resource-group",
                      GROUP)))
          .containsExactly("services");
    }
  }

  /**
   * AKS runs one agent-pool operation per cluster at a time (why refarch adds the workspace pools
   * one after another): a second {@code az aks nodepool add} while the first runs is refused with
   * AKS's 409, and goes through once {@code az aks nodepool wait} sees the first one done.
   */
  @Test
  void aSecondAgentPoolWhileOneIsBeingAddedIsRefusedAsAksRefusesIt() throws Exception {
    // Operations long enough that the second command comes while the first pool is Creating.
    SandboxOptions options =
        SandboxOptions.defaults(dir.resolve("state")).withOperationDuration(Duration.ofSeconds(8));
    try (Sandbox sandbox = Sandbox.start(options)) {
      connect(sandbox);
      login();
      az("group", "create", "--location", "westeurope", "--name", GROUP);
      az(
          "aks",
          "create",
          "--name",
          CLUSTER,
          "--resource-group",
          GROUP,
          "--nodepool-name",
          "services",
          "--node-count",
          "1",
          "--node-vm-size",
          "Standard_D4_v4",
          "--no-ssh-key");
      az(addPool("regularws", "--no-wait"));
      Proc second = azUnchecked(addPool("headlessws"));
      assertThat(second.exitCode()).as(second.output()).isNotZero();
      assertThat(second.output())
          .contains("(OperationNotAllowed)")
          .contains("Another agentpool operation (regularws - Creating) is in progress");
      az(
          "aks",
          "nodepool",
          "wait",
          "--created",
          "--interval",
          "1",
          "--cluster-name",
          CLUSTER,
          "--name",
          "regularws",
          "--resource-group",
          GROUP);
      az(addPool("headlessws"));
      assertThat(
              names(
                  az(
                      "aks",
                      "nodepool",
                      "list",
                      "--cluster-name",
                      CLUSTER,
                      "--resource-group",
                      GROUP)))
          .containsExactlyInAnyOrder("services", "regularws", "headlessws");
    }
  }

  private static String[] addPool(String name, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "aks",
                "nodepool",
                "add",
                "--cluster-name",
                CLUSTER,
                "--name",
                name,
                "--mode",
                "User",
                "--node-count",
                "1",
                "--node-vm-size",
                "Standard_D16_v4",
                "--resource-group",
                GROUP));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  /**
   * The Gitpod AKS guide's steps (setup.sh's install: probe with show, create when absent) with
   * examples/aks.yaml's names, pools and network and the seed's Azure sizes.
   */
  private void guideSteps() throws Exception {
    // The guide probes before it creates: show fails on a fresh sandbox as on a fresh account.
    Proc noGroup = azUnchecked("group", "show", "--name", GROUP, "--query", "name");
    assertThat(noGroup.exitCode()).as(noGroup.output()).isEqualTo(3);
    assertThat(noGroup.output()).contains("(ResourceGroupNotFound)");
    az("group", "create", "--location", "westeurope", "--name", GROUP);

    Proc noCluster =
        azUnchecked("aks", "show", "--name", CLUSTER, "--resource-group", GROUP, "--query", "name");
    assertThat(noCluster.exitCode()).as(noCluster.output()).isEqualTo(3);
    assertThat(noCluster.output()).contains("(ResourceNotFound)");
    // The guide's flags, with examples/aks.yaml's services pool (the seed's size) and network.
    az(
        "aks",
        "create",
        "--enable-cluster-autoscaler",
        "--enable-managed-identity",
        "--location",
        "westeurope",
        "--kubernetes-version",
        "1.29",
        "--node-count",
        "1",
        "--min-count",
        "1",
        "--max-count",
        "4",
        "--max-pods",
        "110",
        "--name",
        CLUSTER,
        "--node-osdisk-size",
        "100",
        "--node-vm-size",
        "Standard_D4_v4",
        "--nodepool-labels",
        "gitpod.io/workload_meta=true",
        "gitpod.io/workload_ide=true",
        "gitpod.io/workload_workspace_services=true",
        "--nodepool-name",
        "services",
        "--network-plugin",
        "azure",
        "--network-policy",
        "calico",
        "--resource-group",
        GROUP,
        "--no-ssh-key",
        "--vm-set-type",
        "VirtualMachineScaleSets");

    for (String pool : List.of("regularws", "headlessws")) {
      Proc noPool =
          azUnchecked(
              "aks",
              "nodepool",
              "show",
              "--cluster-name",
              CLUSTER,
              "--name",
              pool,
              "--resource-group",
              GROUP);
      assertThat(noPool.exitCode()).as(noPool.output()).isEqualTo(3);
      String label =
          "gitpod.io/workload_workspace_"
              + (pool.equals("regularws") ? "regular" : "headless")
              + "=true";
      az(
          "aks",
          "nodepool",
          "add",
          "--cluster-name",
          CLUSTER,
          "--enable-cluster-autoscaler",
          "--kubernetes-version",
          "1.29",
          "--labels",
          label,
          "--mode",
          "User",
          "--node-count",
          "1",
          "--min-count",
          "1",
          "--max-count",
          "50",
          "--max-pods",
          "110",
          "--name",
          pool,
          "--node-osdisk-size",
          "512",
          "--node-vm-size",
          "Standard_D16_v4",
          "--resource-group",
          GROUP);
    }
  }

  /** What users check with az and kubectl, the same for the guide's cluster and refarch's. */
  private void readBack(String subscription) throws Exception {
    JsonNode cluster = az("aks", "show", "--name", CLUSTER, "--resource-group", GROUP);
    assertThat(cluster.path("provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(cluster.path("powerState").path("code").asText()).isEqualTo("Running");
    assertThat(cluster.path("location").asText()).isEqualTo("westeurope");
    assertThat(cluster.path("kubernetesVersion").asText()).isEqualTo("1.29");
    assertThat(cluster.path("currentKubernetesVersion").asText()).startsWith("1.29.");
    assertThat(cluster.path("identity").path("type").asText()).isEqualTo("SystemAssigned");
    assertThat(cluster.path("networkProfile").path("networkPlugin").asText()).isEqualTo("azure");
    assertThat(cluster.path("networkProfile").path("networkPolicy").asText()).isEqualTo("calico");
    assertThat(cluster.path("fqdn").asText()).isNotEmpty();
    assertThat(cluster.path("nodeResourceGroup").asText())
        .isEqualTo("MC_" + GROUP + "_" + CLUSTER + "_westeurope");
    assertThat(names(cluster.path("agentPoolProfiles")))
        .containsExactlyInAnyOrder("services", "regularws", "headlessws");

    JsonNode pools =
        az("aks", "nodepool", "list", "--cluster-name", CLUSTER, "--resource-group", GROUP);
    assertThat(names(pools)).containsExactlyInAnyOrder("services", "regularws", "headlessws");
    for (JsonNode pool : pools) {
      String name = pool.path("name").asText();
      boolean services = name.equals("services");
      assertThat(pool.path("provisioningState").asText()).as(name).isEqualTo("Succeeded");
      assertThat(pool.path("vmSize").asText())
          .as(name)
          .isEqualTo(services ? "Standard_D4_v4" : "Standard_D16_v4");
      assertThat(pool.path("mode").asText()).as(name).isEqualTo(services ? "System" : "User");
      assertThat(pool.path("maxPods").asInt()).as(name).isEqualTo(110);
      assertThat(pool.path("enableAutoScaling").asBoolean()).as(name).isTrue();
      assertThat(pool.path("minCount").asInt()).as(name).isEqualTo(1);
      assertThat(pool.path("maxCount").asInt()).as(name).isEqualTo(services ? 4 : 50);
      assertThat(pool.path("count").asInt()).as(name).isEqualTo(1);
      assertThat(pool.path("osDiskSizeGb").asInt()).as(name).isEqualTo(services ? 100 : 512);
      // az flattens the pool's properties: "type" is ARM's resource type, the pool's own next.
      assertThat(pool.path("typePropertiesType").asText())
          .as(name)
          .isEqualTo("VirtualMachineScaleSets");
      // The guide names "1.29"; refarch names the patch. Either runs the latest 1.29 patch.
      assertThat(pool.path("orchestratorVersion").asText()).as(name).startsWith("1.29");
      assertThat(pool.path("currentOrchestratorVersion").asText()).as(name).startsWith("1.29.");
    }
    assertThat(labelsOf(pools, "services"))
        .containsEntry("gitpod.io/workload_meta", "true")
        .containsEntry("gitpod.io/workload_ide", "true")
        .containsEntry("gitpod.io/workload_workspace_services", "true");
    assertThat(labelsOf(pools, "regularws"))
        .containsExactly(Map.entry("gitpod.io/workload_workspace_regular", "true"));
    assertThat(labelsOf(pools, "headlessws"))
        .containsExactly(Map.entry("gitpod.io/workload_workspace_headless", "true"));

    JsonNode group = az("group", "show", "--name", GROUP);
    assertThat(group.path("location").asText()).isEqualTo("westeurope");
    assertThat(group.path("properties").path("provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(group.path("id").asText())
        .isEqualTo("/subscriptions/" + subscription + "/resourceGroups/" + GROUP);

    Path kubeconfig = home.resolve("kubeconfig");
    Proc credentials =
        run(
            azArgs(
                "aks",
                "get-credentials",
                "--admin",
                "--name",
                CLUSTER,
                "--resource-group",
                GROUP,
                "--file",
                kubeconfig.toString()),
            null);
    // As on AKS: the admin credential's context is the cluster's name, which az suffixes.
    assertThat(credentials.output())
        .contains("Merged \"" + CLUSTER + "-admin\" as current context in " + kubeconfig);
    String table = kubectl(kubeconfig, "get", "nodes", "-o", NODE_COLUMNS);
    List<String> rows = table.lines().toList();
    assertThat(rows.get(0).split("\\s+")).containsExactly("NAME", "POOL", "RUNTIME", "PODS", "OS");
    List<String[]> nodes =
        rows.subList(1, rows.size()).stream().map(r -> r.split("\\s{2,}")).toList();
    assertThat(nodes).as(table).hasSize(3);
    assertThat(nodes)
        .as(table)
        .allSatisfy(
            cells -> {
              assertThat(cells[0]).matches("aks-" + cells[1] + "-\\d+-vmss\\d{6}");
              assertThat(cells[2]).startsWith("containerd://");
              assertThat(cells[3]).isEqualTo("110");
              assertThat(cells[4]).startsWith("Ubuntu 22.04");
            });
    assertThat(nodes)
        .extracting(cells -> cells[1])
        .containsExactlyInAnyOrder("services", "regularws", "headlessws");
    JsonNode regular =
        JSON.readTree(
            kubectl(kubeconfig, "get", "nodes", "-l", "agentpool=regularws", "-o", "json"));
    assertThat(regular.path("items")).hasSize(1);
    assertThat(fields(regular.path("items").path(0).path("metadata").path("labels")))
        .containsEntry("gitpod.io/workload_workspace_regular", "true")
        .containsEntry("kubernetes.azure.com/agentpool", "regularws")
        .containsEntry("node.kubernetes.io/instance-type", "Standard_D16_v4");
  }

  /** The sandbox's Azure resources, one a line (its Kubernetes objects left out). */
  private static List<String> azureInventory(Sandbox sandbox) {
    return sandbox.inventory().stream()
        .filter(l -> l.startsWith("azure ") || l.startsWith("aks "))
        .toList();
  }

  /** {@code az login} with the sandbox's service principal; the accounts az lists. */
  private JsonNode login() throws Exception {
    return az(
        "login",
        "--service-principal",
        "-u",
        Azure.SANDBOX_CLIENT_ID,
        "-p",
        Azure.SANDBOX_CLIENT_SECRET,
        "--tenant",
        Azure.SANDBOX_TENANT_ID);
  }

  /** Registers the sandbox as the active cloud, its CA trusted by az's requests. */
  private void connect(Sandbox sandbox) throws Exception {
    azure = sandbox.endpoints().azure();
    home = Files.createDirectories(dir.resolve("home-" + URI.create(azure).getPort()));
    // The sandbox writes its Azure CA where users find it, beside its state.
    caBundle = sandbox.options().stateDir().resolve(Azure.CA_FILE);
    // The one listener is Resource Manager and login endpoint; az reads the rest from its
    // metadata document (GET /metadata/endpoints).
    az(
        "cloud",
        "register",
        "--name",
        CLOUD,
        "--endpoint-resource-manager",
        azure + "/",
        "--endpoint-active-directory",
        azure + "/");
    az("cloud", "set", "--name", CLOUD);
  }

  private static List<String> names(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.path("name").asText())
        .toList();
  }

  private static Map<String, String> labelsOf(JsonNode pools, String name) {
    for (JsonNode pool : pools) {
      if (pool.path("name").asText().equals(name)) {
        return fields(pool.path("nodeLabels"));
      }
    }
    throw new AssertionError("no pool " + name + " in " + pools);
  }

  private static Map<String, String> fields(JsonNode object) {
    Map<String, String> map = new HashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  /** One az command, its JSON output; fails the test on a nonzero exit. */
  private JsonNode az(String... args) throws Exception {
    Proc p = run(azArgs(args), null);
    return p.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(p.stdout());
  }

  private Proc azUnchecked(String... args) throws Exception {
    return runUnchecked(azArgs(args), null);
  }

  private static List<String> azArgs(String... args) {
    List<String> command = new ArrayList<>(List.of("az"));
    command.addAll(Arrays.asList(args));
    command.addAll(List.of("--output", "json"));
    return command;
  }

  private String kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(Arrays.asList(args));
    return run(command, null).stdout();
  }

  record Proc(int exitCode, String stdout, String output) {}

  private Proc run(List<String> command, String input) throws Exception {
    Proc p = runUnchecked(command, input);
    assertThat(p.exitCode()).as("%s\n%s", String.join(" ", command), p.output()).isZero();
    return p;
  }

  /**
   * Runs a command with a home and an az configuration of the test's, so nothing of the user's
   * Azure or kube configuration (clouds, logins, token caches) changes what it does.
   */
  private Proc runUnchecked(List<String> command, String input)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("AZURE_")
                    || k.equals("KUBECONFIG")
                    || k.toLowerCase().endsWith("_proxy")
                    || k.startsWith("REQUESTS_")
                    || k.startsWith("CURL_"));
    env.put("HOME", home.toString());
    env.put("AZURE_CONFIG_DIR", home.resolve(".azure").toString());
    env.put("REQUESTS_CA_BUNDLE", caBundle.toString());
    // az's switch for clouds without login.microsoftonline.com's instance discovery.
    env.put("AZURE_CORE_INSTANCE_DISCOVERY", "false");
    env.put("AZURE_CORE_COLLECT_TELEMETRY", "false");
    env.put("AZURE_CORE_NO_COLOR", "true");
    // Only the sandbox: any other host az tries gets a refused connection at once.
    env.put("HTTPS_PROXY", "http://127.0.0.1:9");
    env.put("HTTP_PROXY", "http://127.0.0.1:9");
    env.put("NO_PROXY", "127.0.0.1,localhost");
    long started = System.nanoTime();
    Path stdout = Files.createTempFile(dir, "stdout", ".txt");
    Path stderr = Files.createTempFile(dir, "stderr", ".txt");
    builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Process process = builder.start();
    try (var in = process.getOutputStream()) {
      if (input != null) {
        in.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    boolean finished = process.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as(String.join(" ", command) + " finished within 120 s").isTrue();
    String out = Files.readString(stdout);
    String err = Files.readString(stderr);
    System.out.printf(
        "%.1f s  %s%n", (System.nanoTime() - started) / 1e9, String.join(" ", command));
    return new Proc(process.exitValue(), out, out + err);
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    return path != null
        && Arrays.stream(path.split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}
