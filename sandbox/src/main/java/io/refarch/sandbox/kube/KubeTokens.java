package io.refarch.sandbox.kube;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bearer tokens the sandbox's cluster APIs accept: only those its token endpoint issued, each
 * until its lifetime ends, as a real cluster accepts only live tokens of its cloud. Kept in memory:
 * a restarted sandbox has forgotten them, and clients fetch new ones (the activities on every
 * attempt, and whenever a request gets 401).
 */
public final class KubeTokens {
  /** What a Google access token lives. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  private final Clock clock;
  private final Duration lifetime;
  private final Map<String, Instant> issued = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  public KubeTokens(Clock clock, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("token lifetime must be positive, got " + lifetime);
    }
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public record Token(String value, Instant expiresAt) {}

  public Token issue() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String value = "sandbox." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant expiresAt = clock.instant().plus(lifetime);
    issued.put(value, expiresAt);
    return new Token(value, expiresAt);
  }

  /** Whether {@code token} was issued here and has not expired. */
  public boolean accepts(String token) {
    Instant expiresAt = issued.get(token);
    if (expiresAt == null) {
      return false;
    }
    if (!clock.instant().isBefore(expiresAt)) {
      issued.remove(token);
      return false;
    }
    return true;
  }

  public Duration lifetime() {
    return lifetime;
  }
}
