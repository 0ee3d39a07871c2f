package io.refarch.worker;

import static io.refarch.worker.CodecServerTest.PLAIN;
import static io.refarch.worker.CodecServerTest.b64;
import static io.refarch.worker.CodecServerTest.get;
import static io.refarch.worker.CodecServerTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The codec server with OIDC and no shared token: a Web UI user's access token from the configured
 * issuer, for the configured audience, unexpired and with an allowed email gets plain text;
 * anything else 401. The issuer is discovered from its URL, as a user would configure it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.temporal.test-server.enabled=true",
      "refarch.codec.port=0",
      "refarch.codec.oidc.audience=refarch-codec",
      "refarch.codec.oidc.allowed=ops@example.com, lead@example.com"
    })
class CodecServerOidcTest {
  static final TestIssuer ISSUER;

  static {
    try {
      ISSUER = new TestIssuer();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @LocalServerPort int mainPort;
  @Autowired CodecListener.CodecConnector codec;

  @DynamicPropertySource
  static void keysAndIssuer(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("refarch-codec-oidc");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keys = Files.writeString(dir.resolve("codec.keys"), "k1=" + b64(key) + "\n");
    registry.add("refarch.codec.key-file", keys::toString);
    registry.add("refarch.kubeconfig-dir", dir::toString);
    registry.add("refarch.codec.oidc.issuer", () -> ISSUER.url);
  }

  @AfterAll
  static void stopIssuer() {
    ISSUER.close();
  }

  String sealed() throws Exception {
    HttpResponse<String> r =
        post(
            codec.localPort(),
            "/codec/encode",
            PLAIN,
            "Bearer " + ISSUER.sign(ISSUER.claims("refarch-codec", "ops@example.com")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  int decodeStatus(String token) throws Exception {
    HttpResponse<String> r = post(codec.localPort(), "/codec/decode", sealed(), "Bearer " + token);
    if (r.statusCode() != 200) {
      assertThat(r.body()).doesNotContain(b64("\"gitpod-secret\""));
    } else {
      assertThat(r.body()).contains(b64("\"gitpod-secret\""));
    }
    return r.statusCode();
  }

  @Test
  void anAllowedUsersValidTokenGetsThePlainText() throws Exception {
    assertThat(decodeStatus(ISSUER.sign(ISSUER.claims("refarch-codec", "lead@example.com"))))
        .isEqualTo(200);
    Map<String, Object> several = ISSUER.claims("refarch-codec", "ops@example.com");
    several.put("aud", List.of("temporal-ui", "refarch-codec"));
    assertThat(decodeStatus(ISSUER.sign(several))).as("one of several audiences").isEqualTo(200);
  }

  @Test
  void everyOtherTokenGets401() throws Exception {
    Map<String, Object> expired = ISSUER.claims("refarch-codec", "ops@example.com");
    expired.put("exp", Instant.now().minusSeconds(600).getEpochSecond());
    expired.put("iat", Instant.now().minusSeconds(1200).getEpochSecond());
    assertThat(decodeStatus(ISSUER.sign(expired))).as("expired").isEqualTo(401);

    assertThat(decodeStatus(ISSUER.sign(ISSUER.claims("another-client", "ops@example.com"))))
        .as("another audience")
        .isEqualTo(401);

    assertThat(
            decodeStatus(
                TestIssuer.sign(
                    ISSUER.claims("refarch-codec", "ops@example.com"), TestIssuer.rsa())))
        .as("signed by another key")
        .isEqualTo(401);

    assertThat(decodeStatus(TestIssuer.unsigned(ISSUER.claims("refarch-codec", "ops@example.com"))))
        .as("unsigned")
        .isEqualTo(401);

    Map<String, Object> otherIssuer = ISSUER.claims("refarch-codec", "ops@example.com");
    otherIssuer.put("iss", "https://elsewhere.example.com");
    assertThat(decodeStatus(ISSUER.sign(otherIssuer))).as("another issuer").isEqualTo(401);

    assertThat(decodeStatus(ISSUER.sign(ISSUER.claims("refarch-codec", "intern@example.com"))))
        .as("a user whose email is not allowed")
        .isEqualTo(401);

    assertThat(decodeStatus("not.a-jwt.at-all")).as("garbage").isEqualTo(401);
  }

  @Test
  void healthShowsTheIssuerAndAudience() throws Exception {
    assertThat(get(mainPort, "/actuator/health").body())
        .contains("\"served\":true", "OIDC access tokens", ISSUER.url, "refarch-codec")
        .doesNotContain("ops@example.com");
  }
}
