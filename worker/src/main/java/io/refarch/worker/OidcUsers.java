package io.refarch.worker;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * The Web UI's signed-in users, by the OIDC access token the UI forwards to the codec server
 * ({@code TEMPORAL_CODEC_PASS_ACCESS_TOKEN}): Spring Security's JWT decoder checks the signature
 * against the issuer's JWKS (an unsigned token is refused), the issuer, the expiry and the
 * audience; then one claim (emails, groups) must hold an allowed value.
 */
final class OidcUsers {
  private static final Logger log = LoggerFactory.getLogger(OidcUsers.class);
  static final String ISSUER = "refarch.codec.oidc.issuer (REFARCH_CODEC_OIDC_ISSUER)";
  static final String AUDIENCE = "refarch.codec.oidc.audience (REFARCH_CODEC_OIDC_AUDIENCE)";
  static final String ALLOWED = "refarch.codec.oidc.allowed (REFARCH_CODEC_OIDC_ALLOWED)";
  static final String CLAIM = "refarch.codec.oidc.claim (REFARCH_CODEC_OIDC_CLAIM)";

  private final String issuer;
  private final String audience;
  private final String claim;
  private final Set<String> allowed;
  private final JwtDecoder decoder;

  private OidcUsers(
      String issuer, String audience, String claim, Set<String> allowed, JwtDecoder decoder) {
    this.issuer = issuer;
    this.audience = audience;
    this.claim = claim;
    this.allowed = allowed;
    this.decoder = decoder;
  }

  /**
   * The OIDC option the settings configure, or null when no issuer is set.
   *
   * @throws IllegalArgumentException naming the setting that is missing
   */
  static OidcUsers of(WorkerSettings.Oidc settings) {
    if (settings == null || blank(settings.issuer())) {
      return null;
    }
    String issuer = settings.issuer().strip();
    if (blank(settings.audience())) {
      throw new WorkerMisconfiguration(
          ISSUER + " is set but " + AUDIENCE + " is not: tokens for any client would be accepted");
    }
    String claim = blank(settings.claim()) ? "email" : settings.claim().strip();
    Set<String> allowed =
        blank(settings.allowed())
            ? Set.of()
            : Arrays.stream(settings.allowed().split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    if (allowed.isEmpty()) {
      throw new WorkerMisconfiguration(
          ISSUER
              + " is set but "
              + ALLOWED
              + " is empty: list the values of the claim '"
              + claim
              + "' ("
              + CLAIM
              + ") that may decode");
    }
    String audience = settings.audience().strip();
    OAuth2TokenValidator<Jwt> validator =
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefaultWithIssuer(issuer),
            new JwtClaimValidator<Collection<String>>(
                JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
    String jwksUri = blank(settings.jwksUri()) ? null : settings.jwksUri().strip();
    // Resolved at the first token, so a worker starts while its identity provider is unreachable.
    JwtDecoder decoder =
        new SupplierJwtDecoder(
            () -> {
              NimbusJwtDecoder d =
                  jwksUri != null
                      ? NimbusJwtDecoder.withJwkSetUri(jwksUri).build()
                      : (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(issuer);
              d.setJwtValidator(validator);
              return d;
            });
    return new OidcUsers(issuer, audience, claim, allowed, decoder);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Whether this access token is valid and its claim holds an allowed value. */
  boolean admits(String token) {
    Jwt jwt;
    try {
      jwt = decoder.decode(token);
    } catch (JwtException e) {
      // The reason (expired, wrong audience, bad signature) helps the operator; never the token.
      log.info("Codec server refused an OIDC token: {}", reason(e));
      return false;
    } catch (RuntimeException e) {
      log.warn("Codec server could not check an OIDC token: {}", e.getClass().getSimpleName());
      return false;
    }
    Object value = jwt.getClaims().get(claim);
    List<String> values =
        value instanceof Collection<?> c
            ? c.stream().map(String::valueOf).toList()
            : value == null ? List.of() : List.of(String.valueOf(value));
    if (values.stream().anyMatch(allowed::contains)) {
      return true;
    }
    log.info(
        "Codec server refused an OIDC user ({}): its claim '{}' holds no allowed value",
        jwt.getSubject(),
        claim);
    return false;
  }

  private static String reason(JwtException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.length() > 200 ? m.substring(0, 200) : m;
  }

  Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("issuer", issuer);
    d.put("audience", audience);
    d.put("claim", claim);
    d.put("allowed", allowed.size());
    return d;
  }
}
