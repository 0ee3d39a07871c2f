package io.refarch.worker;

import static io.refarch.worker.CodecServerTest.PLAIN;
import static io.refarch.worker.CodecServerTest.get;
import static io.refarch.worker.CodecServerTest.post;
import static org.assertj.core.api.Assertions.assertThat;

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
 * The README's first step, a key file and nothing else: the worker runs, but does not serve the
 * codec to anyone, and says why in /actuator/health.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.temporal.test-server.enabled=true", "refarch.codec.port=0"})
class CodecServerRefusedTest {
  @LocalServerPort int mainPort;
  @Autowired CodecListener.CodecConnector codec;

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("refarch-codec-refused");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keys =
        Files.writeString(
            dir.resolve("codec.keys"), "k1=" + Base64.getEncoder().encodeToString(key) + "\n");
    registry.add("refarch.codec.key-file", keys::toString);
    registry.add("refarch.kubeconfig-dir", dir::toString);
  }

  @Test
  void withAKeyAndNoAuthenticationNothingIsDecodedAndHealthSaysWhy() throws Exception {
    assertThat(codec.connector()).as("no codec port is opened").isNull();
    HttpResponse<String> refused = post(mainPort, "/codec/encode", PLAIN, null);
    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(refused.body()).contains("not served", "REFARCH_CODEC_TOKEN");

    HttpResponse<String> health = get(mainPort, "/actuator/health");
    assertThat(health.body())
        .contains("\"status\":\"UP\"", "\"served\":false", "no authentication configured");
  }
}
