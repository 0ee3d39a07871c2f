package io.refarch.activities.eks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** The token is what aws-iam-authenticator expects: decoded, a presigned GetCallerIdentity URL. */
class EksTokenTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-01T03:00:00Z"), ZoneOffset.UTC);

  @Test
  void isAPresignedGetCallerIdentityUrlNamingTheCluster() {
    String token =
        EksToken.create(
            AwsBasicCredentials.create("AKIDEXAMPLE", "secret"), "eu-west-1", "gitpod", CLOCK);
    assertThat(token).startsWith("k8s-aws-v1.");
    String encoded = token.substring("k8s-aws-v1.".length());
    assertThat(encoded).doesNotContain("=", "+", "/");
    URI url =
        URI.create(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
    assertThat(url.getScheme()).isEqualTo("https");
    assertThat(url.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");
    Map<String, String> query = query(url);
    assertThat(query)
        .containsEntry("Action", "GetCallerIdentity")
        .containsEntry("Version", "2011-06-15")
        .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
        .containsEntry("X-Amz-Expires", "60")
        .containsEntry("X-Amz-Date", "20261201T030000Z")
        .containsKey("X-Amz-Signature");
    assertThat(query.get("X-Amz-Credential"))
        .isEqualTo("AKIDEXAMPLE/20261201/eu-west-1/sts/aws4_request");
    assertThat(query.get("X-Amz-SignedHeaders").split(";")).contains("host", "x-k8s-aws-id");
    // The secret key never appears.
    assertThat(url.toString()).doesNotContain("secret");
  }

  private static Map<String, String> query(URI url) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      m.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return m;
  }
}
