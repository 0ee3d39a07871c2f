package io.refarch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A worker started with a bad codec setting stops at once and says which setting, without a stack
 * trace and without the secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerMisconfigurationTest {
  @TempDir Path dir;

  /** Starts the worker with these settings as command-line arguments, as a user would. */
  void start(String... settings) {
    String[] args = new String[settings.length + 3];
    args[0] = "--spring.temporal.test-server.enabled=true";
    args[1] = "--server.port=0";
    args[2] = "--refarch.kubeconfig-dir=" + dir;
    for (int i = 0; i < settings.length; i++) {
      args[i + 3] = "--" + settings[i];
    }
    new SpringApplicationBuilder(RefarchWorker.class).run(args).close();
  }

  @Test
  void aMissingTokenFileStopsStartUpNamingTheSetting(CapturedOutput output) throws Exception {
    Path keys = Files.writeString(dir.resolve("codec.keys"), "k1=" + AesKey.random() + "\n");
    assertThatThrownBy(
            () ->
                start(
                    "refarch.codec.key-file=" + keys,
                    "refarch.codec.token-file=" + dir.resolve("missing.tokens")))
        .hasRootCauseInstanceOf(WorkerMisconfiguration.class);

    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START", "REFARCH_CODEC_TOKEN_FILE", "missing.tokens")
        .doesNotContain("\tat io.refarch");
  }

  @Test
  void aMirrorOrAwsEndpointThatIsNoUrlStopsStartUpNamingTheSetting(CapturedOutput output) {
    assertThatThrownBy(() -> start("refarch.mirror=mirror.internal/files"))
        .hasRootCauseInstanceOf(WorkerMisconfiguration.class);
    assertThatThrownBy(() -> start("refarch.aws.endpoint=localhost:4566"))
        .hasRootCauseInstanceOf(WorkerMisconfiguration.class);

    assertThat(output.getOut() + output.getErr())
        .contains(
            "APPLICATION FAILED TO START",
            "refarch.mirror (REFARCH_MIRROR) is 'mirror.internal/files', not an http:// or https://"
                + " URL",
            "refarch.aws.endpoint (REFARCH_AWS_ENDPOINT) is 'localhost:4566'")
        .doesNotContain("\tat io.refarch");
  }

  @Test
  void anAzureEndpointOrCaFileThatDoesNotServeStopsStartUpNamingTheSetting(CapturedOutput output)
      throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.txt"), "not a certificate\n");
    assertThatThrownBy(() -> start("refarch.azure.endpoint=127.0.0.1:8443"))
        .hasRootCauseInstanceOf(WorkerMisconfiguration.class);
    assertThatThrownBy(
            () ->
                start(
                    "refarch.azure.endpoint=https://127.0.0.1:8443",
                    "refarch.azure.ca-file=" + notPem))
        .hasRootCauseInstanceOf(WorkerMisconfiguration.class);

    assertThat(output.getOut() + output.getErr())
        .contains(
            "refarch.azure.endpoint (REFARCH_AZURE_ENDPOINT) is '127.0.0.1:8443'",
            "refarch.azure.ca-file (REFARCH_AZURE_CA_FILE) is '"
                + notPem
                + "', which holds no PEM certificate")
        .doesNotContain("\tat io.refarch");
  }

  @Test
  void aBadKeyFileStopsStartUpNamingTheSettingAndNotTheKey(CapturedOutput output) throws Exception {
    Path keys = Files.writeString(dir.resolve("codec.keys"), "k1=c2hvcnQta2V5\n");
    assertThatThrownBy(() -> start("refarch.codec.key-file=" + keys, "refarch.codec.token=t"))
        .hasRootCauseInstanceOf(WorkerMisconfiguration.class);

    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START", "REFARCH_CODEC_KEY_FILE", "must be 32 bytes")
        .doesNotContain("c2hvcnQta2V5", "\tat io.refarch");
  }

  /** A random AES-256 key, base64. */
  static final class AesKey {
    static String random() {
      byte[] raw = new byte[32];
      new java.security.SecureRandom().nextBytes(raw);
      return java.util.Base64.getEncoder().encodeToString(raw);
    }
  }
}
