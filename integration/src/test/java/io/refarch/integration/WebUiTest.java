package io.refarch.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev server's Web UI shows a provisioning run: headless Chromium (Debian's package) renders
 * the workflow list and the run's history page, the test reads the rendered DOM and saves
 * screenshots ({@code refarch.screenshots}, default integration/target/screenshots; the copies that
 * docs/operations.md shows are in docs/screenshots).
 */
class WebUiTest {
  private static Stack stack;
  private static String chromium;
  private static Path screenshots;

  @BeforeAll
  static void start() throws Exception {
    chromium =
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream()
            .filter(p -> Files.isExecutable(Path.of(p)))
            .findFirst()
            .orElse(null);
    assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium)");
    stack = new Stack("ui", true);
    screenshots =
        Files.createDirectories(
            Path.of(
                System.getProperty(
                    "refarch.screenshots",
                    stack.repo.resolve("integration/target/screenshots").toString())));
    stack.startDevServer();
    stack.startSandbox(Duration.ofMillis(300));
    stack.startWorker();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theUiShowsTheRunAndItsSteps() throws Exception {
    String id = stack.startProvisioning("ui-demo");
    JsonNode result = stack.temporal.json("workflow", "result", "--workflow-id", id);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    String runId = result.path("runId").asText();
    String ui = "http://127.0.0.1:" + stack.uiPort() + "/namespaces/default/workflows";

    String list = render(ui, "workflows.png");
    assertThat(list).contains(id, "ProvisionCluster");

    String run =
        ui + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/" + runId + "/history";
    String history = render(run, "run-history.png");
    assertThat(history).contains(id, "ProvisionCluster", "Completed");
    // The steps: the UI names each activity type in the run's event history.
    assertThat(history)
        .contains(
            "GkeEnsureServiceAccount", "GkeEnsureCluster", "GkeEnsureNodePool", "KubeVerifyNodes");

    String timeline = render(run.replace("/history", "/timeline"), "run-timeline.png");
    assertThat(timeline).contains(id, "GkeEnsureNodePool", "KubeEnsureClusterAdminBinding");
    // Each step by its title too (the activity's user-metadata summary), as the timeline labels it.
    assertThat(timeline)
        .contains(
            "Preflight",
            "Create cluster",
            "Create node pool workload-services",
            "Bind cluster-admin",
            "Verify nodes");
  }

  @Test
  void aRunStartedFromTheUisStartWorkflowFormCompletes() throws Exception {
    Stack.RunInput input = stack.writeInput("ui-form");
    String ui = "http://127.0.0.1:" + stack.uiPort() + "/namespaces/default/workflows";
    Path profile = Files.createDirectories(stack.runDir.resolve("chromium-form"));
    try (DevTools chrome =
        DevTools.launch(chromium, profile, stack.runDir.resolve("chromium-form.log"))) {
      chrome.send("Page.enable", null);
      chrome.navigate(ui + "/start-workflow");
      chrome.awaitTrue("the start-workflow form", "!!document.getElementById('workflowId')");
      // Typed values reach Svelte's bindings through input events, as keystrokes do.
      chrome.eval(
          """
          (() => {
            const set = (id, value) => {
              const e = document.getElementById(id);
              Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(e, value);
              e.dispatchEvent(new Event('input', {bubbles: true}));
              e.dispatchEvent(new Event('change', {bubbles: true}));
            };
            set('workflowId', %s); set('taskQueue', 'refarch'); set('workflowType', 'ProvisionCluster');
            return true;
          })()"""
              .formatted(TemporalCli.JSON.writeValueAsString(input.workflowId())));
      // The input: the spec JSON file, chosen with the form's upload button.
      chrome.setFile("input[type=file][accept='.json']", input.json());
      chrome.awaitTrue(
          "the spec in the input editor",
          "[...document.querySelectorAll('.cm-content')].some(e => e.textContent.includes('ui-form'))");
      chrome.screenshot(screenshots.resolve("start-workflow-form.png"));
      JsonNode clicked =
          chrome.eval(
              """
          (() => {
            const form = document.getElementById('workflowId').closest('form') || document;
            const b = [...form.querySelectorAll('button')]
                .filter(b => b.textContent.trim() === 'Start Workflow' && !b.disabled);
            if (b.length) b[b.length - 1].click();
            return b.length ? b.length : [...document.querySelectorAll('button')]
                .map(b => b.type + ':' + b.disabled + ':' + b.textContent.trim()).filter(t => !t.endsWith(':')).join(' | ');
          })()""");
      assertThat(clicked.isInt() && clicked.asInt() > 0)
          .as("an enabled Start Workflow button among: " + clicked)
          .isTrue();
      Child.await(
          Duration.ofSeconds(60),
          "the run started from the UI",
          () ->
              stack
                      .temporal
                      .tryRun("workflow", "describe", "--workflow-id", input.workflowId())
                      .exit()
                  == 0);
    }
    JsonNode result =
        stack.temporal.json("workflow", "result", "--workflow-id", input.workflowId());
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(result.path("result").path("created").toString())
        .contains("cluster/ui-form", "node-pool/workload-services");
    // The UI sent exactly the spec file as the input.
    JsonNode started =
        stack
            .temporal
            .json("workflow", "show", "--workflow-id", input.workflowId())
            .path("events")
            .get(0);
    JsonNode payload =
        started
            .path("workflowExecutionStartedEventAttributes")
            .path("input")
            .path("payloads")
            .get(0);
    assertThat(TemporalCli.JSON.readTree(Base64.getDecoder().decode(payload.path("data").asText())))
        .isEqualTo(TemporalCli.JSON.readTree(input.json().toFile()));
  }

  /**
   * Renders the page in headless Chromium; saves a screenshot and returns the DOM after its scripts
   * ran.
   */
  private static String render(String url, String screenshot) throws Exception {
    Path profile = Files.createDirectories(stack.runDir.resolve("chromium"));
    List<String> common =
        List.of(
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile,
            "--window-size=1440,1000",
            "--virtual-time-budget=20000");
    List<String> shot = new ArrayList<>(common);
    shot.add("--screenshot=" + screenshots.resolve(screenshot));
    shot.add(url);
    run(shot);
    assertThat(screenshots.resolve(screenshot)).isNotEmptyFile();
    List<String> dom = new ArrayList<>(common);
    dom.add("--dump-dom");
    dom.add(url);
    return run(dom);
  }

  private static String run(List<String> command) throws Exception {
    Path out = Files.createTempFile(stack.runDir, "chromium", ".out");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(stack.runDir.resolve("chromium.log").toFile())
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 90 s: " + command);
    }
    return Files.readString(out);
  }
}
