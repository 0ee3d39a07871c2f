package io.refarch.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payload encryption on a real server: a worker with a key file stores only ciphertext in history;
 * the {@code temporal} CLI reads the run through the worker's codec server, and only with its
 * bearer token.
 */
class EncryptedPayloadsTest {
  private static final String TOKEN = "it-codec-token-" + System.nanoTime();
  private static Stack stack;
  private static String id;
  private static int codecPort;

  @BeforeAll
  static void runEncrypted() throws Exception {
    stack = new Stack("encrypted");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keys = stack.runDir.resolve("codec.keys");
    Files.writeString(keys, "it1=" + Base64.getEncoder().encodeToString(key) + "\n");
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    stack.startDevServer();
    stack.startSandbox(Duration.ofMillis(300));
    codecPort = CodecServerAuthTest.freeLoopbackPort();
    stack.startWorker(
        Map.of(
            "REFARCH_CODEC_KEY_FILE",
            keys.toString(),
            "REFARCH_CODEC_TOKEN",
            TOKEN,
            "REFARCH_CODEC_PORT",
            String.valueOf(codecPort)));
    // Started through the codec too: the CLI encrypts the input before it reaches the server.
    id =
        stack.startProvisioning(
            "encrypted", "--codec-endpoint", codec(), "--codec-auth", "Bearer " + TOKEN);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theStoredHistoryHoldsOnlyCiphertext() {
    // The worker encrypted the result too, so the run's outcome is only readable through the codec.
    JsonNode result =
        stack.temporal.json(
            "workflow",
            "result",
            "--workflow-id",
            id,
            "--codec-endpoint",
            codec(),
            "--codec-auth",
            "Bearer " + TOKEN);
    assertThat(result.path("status").asText()).isEqualTo("COMPLETED");

    JsonNode history = stack.temporal.json("workflow", "show", "--workflow-id", id);
    List<JsonNode> payloads = new ArrayList<>();
    List<String> versionMarkers = new ArrayList<>();
    List<String> stepHeaders = new ArrayList<>();
    for (JsonNode event : history.has("events") ? history.path("events") : history) {
      JsonNode marker = event.path("markerRecordedEventAttributes");
      if ("Version".equals(marker.path("markerName").asText())) {
        // Workflow.getVersion's marker: the SDK writes it with its own converter, not the codec.
        // It may hold only a change id of the procedure and a version number, nothing of the spec.
        versionMarkers.add(
            plain(marker.path("details").path("changeId").path("payloads").get(0))
                + "="
                + plain(marker.path("details").path("version").path("payloads").get(0)));
        continue;
      }
      JsonNode header = event.path("activityTaskScheduledEventAttributes").path("header");
      if (header.path("fields").has("refarch-step")) {
        // The step an activity belongs to, for attempt reports (AttemptReporter): the SDK writes
        // headers with its own converter, not the codec. It may hold only a step number.
        event = event.deepCopy();
        JsonNode step =
            ((ObjectNode)
                    event
                        .path("activityTaskScheduledEventAttributes")
                        .path("header")
                        .path("fields"))
                .remove("refarch-step");
        stepHeaders.add(plain(step));
      }
      collectPayloads(event, payloads);
    }
    assertThat(stepHeaders).isNotEmpty().allMatch(h -> h.matches("\"[0-9]+\""), "a step number");
    assertThat(versionMarkers)
        .containsExactlyInAnyOrder("\"preflight-first\"=1", "\"cluster-access-from-cloud\"=1");
    assertThat(payloads).as("payloads in the history").isNotEmpty();
    for (JsonNode p : payloads) {
      String encoding =
          new String(Base64.getDecoder().decode(p.path("metadata").path("encoding").asText()));
      if (isSearchAttribute(p)) {
        continue;
      }
      assertThat(encoding).as("payload " + p).isEqualTo("binary/encrypted");
      String data = new String(Base64.getDecoder().decode(p.path("data").asText()));
      assertThat(data).doesNotContain("workload-services", "encrypted", "ClusterSpec", "SUCCEEDED");
    }
  }

  @Test
  void theCliDecodesThroughTheWorkersCodecServerWithTheToken() {
    String decoded =
        stack.temporal.run(
            "workflow",
            "show",
            "--workflow-id",
            id,
            "-o",
            "json",
            "--codec-endpoint",
            codec(),
            "--codec-auth",
            "Bearer " + TOKEN);
    String plain = decodeAll(decoded);
    assertThat(plain)
        .contains("\"kind\":\"ClusterSpec\"", "workload-services", "\"result\":\"SUCCEEDED\"");

    TemporalCli.Result refused =
        stack.temporal.tryRun(
            "workflow",
            "show",
            "--workflow-id",
            id,
            "-o",
            "json",
            "--codec-endpoint",
            codec(),
            "--codec-auth",
            "Bearer wrong");
    assertThat(refused.exit() != 0 || !decodeAll(refused.stdout()).contains("workload-services"))
        .as("a wrong token decodes nothing")
        .isTrue();
  }

  private static String codec() {
    return "http://127.0.0.1:" + codecPort + "/codec";
  }

  private static String plain(JsonNode payload) {
    return new String(Base64.getDecoder().decode(payload.path("data").asText()));
  }

  private static boolean isSearchAttribute(JsonNode payload) {
    return payload.path("metadata").has("type");
  }

  private static void collectPayloads(JsonNode node, List<JsonNode> out) {
    if (node.isObject() && node.has("metadata") && node.has("data")) {
      out.add(node);
      return;
    }
    node.forEach(child -> collectPayloads(child, out));
  }

  private static String decodeAll(String json) {
    StringBuilder out = new StringBuilder(json);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"data\":\\s*\"([A-Za-z0-9+/=]+)\"").matcher(json);
    while (m.find()) {
      out.append('\n').append(new String(Base64.getDecoder().decode(m.group(1))));
    }
    return out.toString();
  }
}
