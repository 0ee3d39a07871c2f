package io.refarch.sandbox.aws.eks;

import io.refarch.sandbox.core.Query;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * The bearer tokens an EKS cluster's API takes: {@code k8s-aws-v1.} and the base64url of a
 * presigned STS GetCallerIdentity URL whose signature covers the {@code x-k8s-aws-id} header (the
 * cluster's name), as {@code aws eks get-token} and aws-iam-authenticator make them. EKS checks one
 * by calling STS with the header set; the sandbox has no secrets to recompute signatures with, so
 * it checks the form and the age: a presigned GetCallerIdentity for STS, signed with x-k8s-aws-id,
 * not older than its X-Amz-Expires nor than the 15 minutes aws-iam-authenticator allows. Which
 * cluster a token names is not checked (the header's value is covered by the signature only).
 */
public final class EksTokens {

  static final String PREFIX = "k8s-aws-v1.";

  /** What aws-iam-authenticator allows a token's presigned URL, whatever X-Amz-Expires says. */
  static final Duration MAX_AGE = Duration.ofMinutes(15);

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final Clock clock;

  public EksTokens(Clock clock) {
    this.clock = clock;
  }

  public boolean accepts(String token) {
    return accessKeyId(token).isPresent();
  }

  /**
   * The access key that signed {@code token}, if the token is one this accepts: who the caller is,
   * as STS's GetCallerIdentity would answer for it.
   */
  public java.util.Optional<String> accessKeyId(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return java.util.Optional.empty();
    }
    try {
      String url =
          new String(
              Base64.getUrlDecoder().decode(token.substring(PREFIX.length())),
              StandardCharsets.UTF_8);
      Map<String, String> query = Query.decode(URI.create(url).getRawQuery());
      if (!"GetCallerIdentity".equals(query.get("Action"))
          || !query
              .getOrDefault("X-Amz-Credential", "")
              .matches("[^/]+/\\d{8}/[^/]+/sts/aws4_request")
          || query.getOrDefault("X-Amz-Signature", "").isEmpty()
          || Arrays.stream(query.getOrDefault("X-Amz-SignedHeaders", "").split(";"))
              .noneMatch("x-k8s-aws-id"::equals)) {
        return java.util.Optional.empty();
      }
      Instant signed =
          LocalDateTime.parse(query.get("X-Amz-Date"), AMZ_DATE).toInstant(ZoneOffset.UTC);
      Duration expires = Duration.ofSeconds(Long.parseLong(query.get("X-Amz-Expires")));
      Instant expiry = signed.plus(expires.compareTo(MAX_AGE) < 0 ? expires : MAX_AGE);
      Instant now = clock.instant();
      // A minute of clock skew either way, as STS allows some.
      if (!now.isBefore(expiry) || now.isBefore(signed.minus(Duration.ofMinutes(1)))) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(query.get("X-Amz-Credential").split("/")[0]);
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
