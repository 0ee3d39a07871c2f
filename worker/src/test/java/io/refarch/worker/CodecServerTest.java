package io.refarch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The codec server of a worker with a key and two bearer tokens, on its own port: only a caller
 * with one of the tokens gets plain text, and each port serves only its own endpoints.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.temporal.test-server.enabled=true",
      "refarch.codec.port=0",
      "refarch.codec.token=old-token-1,new-token-2"
    })
class CodecServerTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  // A Payloads JSON of one json/plain payload: "gitpod-secret".
  static final String PLAIN =
      "{\"payloads\":[{\"metadata\":{\"encoding\":\""
          + b64("json/plain")
          + "\"},\"data\":\""
          + b64("\"gitpod-secret\"")
          + "\"}]}";

  @LocalServerPort int mainPort;
  @Autowired CodecListener.CodecConnector codec;

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("refarch-codec-server");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keys = Files.writeString(dir.resolve("codec.keys"), "k1=" + b64(key) + "\n");
    registry.add("refarch.codec.key-file", keys::toString);
    registry.add("refarch.kubeconfig-dir", dir::toString);
  }

  static String b64(String s) {
    return b64(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static HttpResponse<String> post(int port, String path, String body, String auth)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyACallerWithAnAcceptedTokenGetsThePlainText() throws Exception {
    int port = codec.localPort();
    HttpResponse<String> sealed = post(port, "/codec/encode", PLAIN, "Bearer new-token-2");
    assertThat(sealed.statusCode()).isEqualTo(200);
    assertThat(sealed.body())
        .contains(b64("binary/encrypted"))
        .doesNotContain(b64("\"gitpod-secret\""));

    for (String auth : new String[] {null, "Bearer wrong", "Bearer ", "new-token-2", "Basic x"}) {
      HttpResponse<String> refused = post(port, "/codec/decode", sealed.body(), auth);
      assertThat(refused.statusCode()).as(auth).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(refused.body()).doesNotContain(b64("\"gitpod-secret\""));
    }
    for (String token : new String[] {"old-token-1", "new-token-2"}) {
      HttpResponse<String> decoded = post(port, "/codec/decode", sealed.body(), "Bearer " + token);
      assertThat(decoded.statusCode()).as(token).isEqualTo(200);
      assertThat(decoded.body()).contains(b64("\"gitpod-secret\""));
    }
  }

  @Test
  void theCodecIsOnItsOwnPortAndHealthAndMetricsStayOnTheMainOne() throws Exception {
    assertThat(codec.localPort()).isPositive().isNotEqualTo(mainPort);
    assertThat(post(mainPort, "/codec/decode", PLAIN, "Bearer old-token-1").statusCode())
        .isEqualTo(404);
    assertThat(get(codec.localPort(), "/actuator/health").statusCode()).isEqualTo(404);
    assertThat(get(codec.localPort(), "/actuator/prometheus").statusCode()).isEqualTo(404);

    HttpResponse<String> health = get(mainPort, "/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body())
        .contains("\"codec\"", "\"served\":true", "bearer tokens (2)")
        .doesNotContain("old-token-1", "new-token-2");
  }

  @Test
  void aBodyThatIsNoPayloadsObjectIsABadRequestNamingTheExpectedShape() throws Exception {
    HttpResponse<String> bad =
        post(codec.localPort(), "/codec/decode", "{\"payloads\": 3", "Bearer old-token-1");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("Payloads JSON object");
  }
}
