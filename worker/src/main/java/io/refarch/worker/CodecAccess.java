package io.refarch.worker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may use the codec server, decided once at start-up. It fails closed: with encryption on, the
 * endpoints are served only to callers with an accepted bearer token, or to anyone when explicitly
 * allowed and bound to a loopback address; otherwise not at all, and {@link #reason()} says why.
 */
final class CodecAccess {
  static final String TOKEN = "refarch.codec.token (REFARCH_CODEC_TOKEN)";
  static final String TOKEN_FILE = "refarch.codec.token-file (REFARCH_CODEC_TOKEN_FILE)";
  static final String ALLOW_UNAUTHENTICATED =
      "refarch.codec.allow-unauthenticated (REFARCH_CODEC_ALLOW_UNAUTHENTICATED)";
  static final String ADDRESS = "refarch.codec.address (REFARCH_CODEC_ADDRESS)";

  enum Mode {
    /** Encryption is off: there is nothing to decode. */
    ENCRYPTION_OFF,
    /** Served to callers with one of the accepted bearer tokens or an allowed OIDC user's token. */
    AUTHENTICATED,
    /** Served to anyone, on a loopback address only, because it was explicitly allowed. */
    UNAUTHENTICATED_LOOPBACK,
    /** Encryption is on but no authentication is configured: not served. */
    REFUSED
  }

  private final Mode mode;
  private final String reason;
  // SHA-256 digests of the accepted tokens: equal length whatever the token, so comparing them
  // with MessageDigest.isEqual takes the same time for every wrong token.
  private final List<byte[]> tokenDigests;
  private final OidcUsers oidc;

  private CodecAccess(Mode mode, String reason, List<byte[]> tokenDigests, OidcUsers oidc) {
    this.mode = mode;
    this.reason = reason;
    this.tokenDigests = tokenDigests;
    this.oidc = oidc;
  }

  /**
   * The access the settings configure.
   *
   * @throws IllegalArgumentException naming the setting, when the settings contradict each other or
   *     a token file cannot be read
   */
  static CodecAccess of(boolean encryptionOn, WorkerSettings.Codec settings) {
    if (!encryptionOn) {
      return new CodecAccess(
          Mode.ENCRYPTION_OFF,
          "payload encryption is off (no refarch.codec.key-file)",
          List.of(),
          null);
    }
    List<String> tokens = new ArrayList<>();
    if (settings != null && settings.token() != null) {
      for (String t : settings.token().split(",")) {
        if (!t.isBlank()) {
          tokens.add(t.strip());
        }
      }
    }
    if (settings != null && settings.tokenFile() != null && !settings.tokenFile().isBlank()) {
      tokens.addAll(readTokenFile(Path.of(settings.tokenFile().strip())));
    }
    OidcUsers oidc = settings == null ? null : OidcUsers.of(settings.oidc());
    boolean open = settings != null && settings.allowUnauthenticated();
    if (open) {
      if (!tokens.isEmpty() || oidc != null) {
        throw new WorkerMisconfiguration(
            ALLOW_UNAUTHENTICATED + " is true but bearer tokens are configured too: choose one");
      }
      String address = settings.address();
      if (!isLoopback(address)) {
        throw new WorkerMisconfiguration(
            ALLOW_UNAUTHENTICATED
                + " is true, which is allowed only with the codec server on a loopback address; "
                + ADDRESS
                + " is "
                + (address == null || address.isBlank() ? "empty (all interfaces)" : address)
                + ": set it to 127.0.0.1");
      }
      return new CodecAccess(
          Mode.UNAUTHENTICATED_LOOPBACK,
          "served without authentication on loopback address " + address.strip(),
          List.of(),
          null);
    }
    if (tokens.isEmpty() && oidc == null) {
      return new CodecAccess(
          Mode.REFUSED,
          "payload encryption is on but the codec server has no authentication configured, so it"
              + " is not served: set "
              + TOKEN
              + " or "
              + TOKEN_FILE
              + ", or OIDC ("
              + OidcUsers.ISSUER
              + "), or "
              + ALLOW_UNAUTHENTICATED
              + "=true with "
              + ADDRESS
              + "=127.0.0.1",
          List.of(),
          null);
    }
    List<String> ways = new ArrayList<>();
    if (!tokens.isEmpty()) {
      ways.add("one of " + tokens.size() + " accepted bearer token(s)");
    }
    if (oidc != null) {
      ways.add("an allowed OIDC user's access token");
    }
    return new CodecAccess(
        Mode.AUTHENTICATED,
        "served to callers with " + String.join(" or ", ways),
        tokens.stream().map(CodecAccess::sha256).toList(),
        oidc);
  }

  private static List<String> readTokenFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      // The path is configuration, not a secret; the exception's text is not repeated as it adds
      // nothing the operator can act on beyond "cannot read".
      throw new WorkerMisconfiguration(
          TOKEN_FILE
              + " names "
              + file
              + ", which cannot be read ("
              + e.getClass().getSimpleName()
              + ")");
    }
    List<String> tokens = new ArrayList<>();
    for (String line : lines) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        tokens.add(t);
      }
    }
    if (tokens.isEmpty()) {
      throw new WorkerMisconfiguration(TOKEN_FILE + " names " + file + ", which holds no token");
    }
    return tokens;
  }

  private static boolean isLoopback(String address) {
    if (address == null || address.isBlank()) {
      return false;
    }
    try {
      return InetAddress.getByName(address.strip()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new WorkerMisconfiguration(ADDRESS + " is " + address + ", an unknown host");
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  Mode mode() {
    return mode;
  }

  String reason() {
    return reason;
  }

  /** Whether the codec endpoints are served at all. */
  boolean served() {
    return mode == Mode.AUTHENTICATED || mode == Mode.UNAUTHENTICATED_LOOPBACK;
  }

  /** Whether a request with this {@code Authorization} header value may use the codec. */
  boolean admits(String authorization) {
    if (mode == Mode.UNAUTHENTICATED_LOOPBACK) {
      return true;
    }
    if (mode != Mode.AUTHENTICATED || authorization == null) {
      return false;
    }
    String presented = bearer(authorization);
    if (presented == null) {
      return false;
    }
    byte[] digest = sha256(presented);
    boolean match = false;
    for (byte[] accepted : tokenDigests) {
      // No early exit: every accepted token is compared, so timing does not tell which matched.
      match |= MessageDigest.isEqual(digest, accepted);
    }
    // A JWT has three dot-separated parts; anything else is no OIDC token and need not be tried.
    return match
        || (oidc != null
            && presented.chars().filter(c -> c == '.').count() == 2
            && oidc.admits(presented));
  }

  /** The token of a {@code Bearer TOKEN} header (scheme case-insensitive), or null. */
  static String bearer(String authorization) {
    String h = authorization.strip();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = h.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  /** What /actuator/health shows: the state and why, never a token. */
  Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("encryption", mode == Mode.ENCRYPTION_OFF ? "off" : "on");
    d.put("served", served());
    d.put(
        "authentication",
        switch (mode) {
          case AUTHENTICATED ->
              (tokenDigests.isEmpty() ? "" : "bearer tokens (" + tokenDigests.size() + ")")
                  + (!tokenDigests.isEmpty() && oidc != null ? ", " : "")
                  + (oidc == null ? "" : "OIDC access tokens");
          case UNAUTHENTICATED_LOOPBACK -> "none (loopback only)";
          case ENCRYPTION_OFF, REFUSED -> "none";
        });
    if (oidc != null) {
      d.put("oidc", oidc.details());
    }
    d.put("reason", reason);
    return d;
  }
}
