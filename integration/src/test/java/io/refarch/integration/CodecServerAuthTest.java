package io.refarch.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.refarch.codec.AesGcmPayloadCodec;
import io.refarch.codec.Keyring;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who the worker jar's codec server decrypts for, tried as a caller on the network would: not for
 * anyone while no authentication is configured, and with authentication only for a caller who
 * presents an accepted credential.
 */
class CodecServerAuthTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String SECRET = "gitpod-codec-auth-secret";
  private static Stack stack;
  private static Path keys;
  private static String sealed;

  @BeforeAll
  static void startServer() throws Exception {
    stack = new Stack("codec-auth");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String keyring = "it1=" + Base64.getEncoder().encodeToString(key) + "\n";
    keys = stack.runDir.resolve("codec.keys");
    Files.writeString(keys, keyring);
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    // What a history holds: a payload the worker's key encrypted.
    Payload plain =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8("\"" + SECRET + "\""))
            .build();
    sealed =
        JsonFormat.printer()
            .print(
                Payloads.newBuilder()
                    .addAllPayloads(
                        new AesGcmPayloadCodec(Keyring.parse(keyring, null))
                            .encode(List.of(plain))))
            .replace("\n", "");
    stack.startDevServer();
    stack.startSandbox(Duration.ofMillis(300));
  }

  @AfterEach
  void stopWorker() {
    stack.killWorker();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aWorkerWithAKeyAndNoAuthenticationDecryptsForNobody() throws Exception {
    int codecPort = freeLoopbackPort();
    stack.startWorker(
        Map.of("REFARCH_CODEC_KEY_FILE", keys.toString(), "REFARCH_CODEC_PORT", "" + codecPort));

    assertThatThrownBy(() -> post(codecPort, null))
        .as("no codec port is opened")
        .isInstanceOf(IOException.class);
    HttpResponse<String> onMainPort = post(stack.workerPort(), "/codec/decode", null);
    assertThat(onMainPort.statusCode()).isEqualTo(404);
    assertThat(onMainPort.body()).doesNotContain(b64(SECRET)).contains("REFARCH_CODEC_TOKEN");
    String health = get(stack.workerPort(), "/actuator/health");
    assertThat(health).contains("\"served\":false", "no authentication configured");
  }

  @Test
  void withTokensOnlyAnAcceptedTokenGetsThePlainText() throws Exception {
    int codecPort = freeLoopbackPort();
    Path tokenFile = stack.runDir.resolve("codec.tokens");
    Files.writeString(tokenFile, "file-token-" + System.nanoTime() + "\n");
    String fileToken = Files.readString(tokenFile).strip();
    String envToken = "env-token-" + System.nanoTime();
    stack.startWorker(
        Map.of(
            "REFARCH_CODEC_KEY_FILE",
            keys.toString(),
            "REFARCH_CODEC_PORT",
            "" + codecPort,
            "REFARCH_CODEC_TOKEN",
            envToken,
            "REFARCH_CODEC_TOKEN_FILE",
            tokenFile.toString()));

    for (String auth : new String[] {null, "Bearer wrong", "Bearer " + envToken + "x"}) {
      HttpResponse<String> refused = post(codecPort, auth);
      assertThat(refused.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
      assertThat(refused.body()).doesNotContain(b64(SECRET));
    }
    for (String token : new String[] {envToken, fileToken}) {
      HttpResponse<String> decoded = post(codecPort, "Bearer " + token);
      assertThat(decoded.statusCode()).isEqualTo(200);
      assertThat(plainTexts(decoded.body())).containsExactly("\"" + SECRET + "\"");
    }
    String log = Files.readString(stack.runDir.resolve(latestWorkerLog()));
    assertThat(log).doesNotContain(envToken, fileToken);
  }

  @Test
  void withOidcAnAllowedUsersTokenFromTheIssuerGetsThePlainTextAndNoOtherToken() throws Exception {
    try (TestIssuer issuer = new TestIssuer()) {
      int codecPort = freeLoopbackPort();
      stack.startWorker(
          Map.of(
              "REFARCH_CODEC_KEY_FILE",
              keys.toString(),
              "REFARCH_CODEC_PORT",
              "" + codecPort,
              "REFARCH_CODEC_OIDC_ISSUER",
              issuer.url,
              "REFARCH_CODEC_OIDC_AUDIENCE",
              "refarch-codec",
              "REFARCH_CODEC_OIDC_ALLOWED",
              "ops@example.com"));

      String valid = issuer.sign(issuer.claims("refarch-codec", "ops@example.com"));
      HttpResponse<String> decoded = post(codecPort, "Bearer " + valid);
      assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
      assertThat(plainTexts(decoded.body())).containsExactly("\"" + SECRET + "\"");

      Map<String, Object> expired = issuer.claims("refarch-codec", "ops@example.com");
      expired.put("iat", Instant.now().minusSeconds(1200).getEpochSecond());
      expired.put("exp", Instant.now().minusSeconds(600).getEpochSecond());
      Map<String, String> refused =
          Map.of(
              "expired", issuer.sign(expired),
              "another audience", issuer.sign(issuer.claims("other-app", "ops@example.com")),
              "another key",
                  TestIssuer.sign(
                      issuer.claims("refarch-codec", "ops@example.com"), TestIssuer.rsa()),
              "unsigned", TestIssuer.unsigned(issuer.claims("refarch-codec", "ops@example.com")));
      for (Map.Entry<String, String> token : refused.entrySet()) {
        HttpResponse<String> r = post(codecPort, "Bearer " + token.getValue());
        assertThat(r.statusCode()).as(token.getKey()).isEqualTo(401);
        assertThat(r.body()).doesNotContain(b64(SECRET));
      }
      assertThat(Files.readString(stack.runDir.resolve(latestWorkerLog()))).doesNotContain(valid);
    }
  }

  // ---- helpers ----

  private static String latestWorkerLog() throws IOException {
    try (var files = Files.list(stack.runDir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("worker-") && n.endsWith(".log"))
          .max(String::compareTo)
          .orElseThrow();
    }
  }

  static HttpResponse<String> post(int port, String auth) throws Exception {
    return post(port, "/codec/decode", auth);
  }

  static HttpResponse<String> post(int port, String path, String auth) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(sealed));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String get(int port, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The data of each payload in a Payloads JSON answer. */
  static List<String> plainTexts(String json) throws Exception {
    Payloads.Builder out = Payloads.newBuilder();
    JsonFormat.parser().merge(json, out);
    return out.getPayloadsList().stream()
        .map(p -> p.getData().toString(StandardCharsets.UTF_8))
        .toList();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A loopback port free right now, for the codec server's own listener. */
  static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
