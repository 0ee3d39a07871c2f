package io.refarch.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A worker jar with {@code REFARCH_CODEC_REQUIRE_ENCRYPTED_INPUT=true}: a run started with {@code
 * temporal workflow start} but without {@code --codec-endpoint} fails at its first workflow task,
 * and the failure, readable without the key, names the fix.
 */
class RequireEncryptedInputTest {
  private static Stack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack("require-encrypted-input");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keys = stack.runDir.resolve("codec.keys");
    Files.writeString(keys, "it1=" + Base64.getEncoder().encodeToString(key) + "\n");
    stack.startDevServer();
    stack.startSandbox(Duration.ofMillis(300));
    stack.startWorker(
        Map.of(
            "REFARCH_CODEC_KEY_FILE",
            keys.toString(),
            "REFARCH_CODEC_TOKEN",
            "t-" + System.nanoTime(),
            "REFARCH_CODEC_PORT",
            String.valueOf(CodecServerAuthTest.freeLoopbackPort()),
            "REFARCH_CODEC_REQUIRE_ENCRYPTED_INPUT",
            "true"));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aRunStartedWithoutTheCodecFailsAtOnceNamingTheFix() throws Exception {
    String id = stack.startProvisioning("plain-input");

    TemporalCli.Result result =
        stack.temporal.tryRun("workflow", "result", "--workflow-id", id, "-o", "json");
    assertThat(result.stdout() + result.stderr())
        .contains("UnencryptedInput", "--codec-endpoint", "REFARCH_CODEC_REQUIRE_ENCRYPTED_INPUT");

    JsonNode history = stack.temporal.json("workflow", "show", "--workflow-id", id);
    List<String> types = new ArrayList<>();
    for (JsonNode event : history.has("events") ? history.path("events") : history) {
      types.add(event.path("eventType").asText());
    }
    assertThat(String.join(",", types))
        .as("one workflow task, then failed; no step scheduled, no task retried")
        .doesNotContain("ACTIVITY_TASK_SCHEDULED", "ActivityTaskScheduled", "WORKFLOW_TASK_FAILED")
        .containsPattern("(?i)workflow_?execution_?failed");
    assertThat(stack.gke("/v1/projects/plain-input/locations/-/clusters"))
        .as("nothing was created")
        .doesNotContain("plain-input\"");
  }
}
