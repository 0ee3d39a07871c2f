package io.refarch.integration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OIDC issuer for tests: serves its discovery document and JWKS over HTTP on loopback and signs
 * RS256 access tokens with the JDK's own crypto.
 */
final class TestIssuer implements AutoCloseable {
  static final String KID = "test-key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  final KeyPair key = rsa();
  private final HttpServer server;
  final String url;

  TestIssuer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    url = "http://127.0.0.1:" + server.getAddress().getPort();
    RSAPublicKey pub = (RSAPublicKey) key.getPublic();
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "RSA");
    jwk.put("kid", KID);
    jwk.put("use", "sig");
    jwk.put("alg", "RS256");
    jwk.put("n", B64.encodeToString(unsigned(pub.getModulus())));
    jwk.put("e", B64.encodeToString(unsigned(pub.getPublicExponent())));
    serve("/jwks", JSON.writeValueAsString(Map.of("keys", List.of(jwk))));
    serve(
        "/.well-known/openid-configuration",
        JSON.writeValueAsString(
            Map.of(
                "issuer", url,
                "jwks_uri", url + "/jwks",
                "subject_types_supported", List.of("public"),
                "response_types_supported", List.of("code"),
                "id_token_signing_alg_values_supported", List.of("RS256"))));
    server.start();
  }

  private void serve(String path, String body) {
    server.createContext(
        path,
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] b = n.toByteArray();
    return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  /** The claims of a token this issuer gives a user for an audience, valid for 5 minutes. */
  Map<String, Object> claims(String audience, String email) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", url);
    c.put("aud", audience);
    c.put("sub", "user-" + email.hashCode());
    c.put("email", email);
    c.put("iat", now);
    c.put("exp", now + 300);
    return c;
  }

  /** A token signed with this issuer's key. */
  String sign(Map<String, Object> claims) {
    return sign(claims, key);
  }

  /** A token signed with any key, under this issuer's key id. */
  static String sign(Map<String, Object> claims, KeyPair with) {
    try {
      String header =
          B64.encodeToString(
              JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid", KID)));
      String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(with.getPrivate());
      s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + B64.encodeToString(s.sign());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}) with these claims. */
  static String unsigned(Map<String, Object> claims) {
    try {
      return B64.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "none", "typ", "JWT")))
          + "."
          + B64.encodeToString(JSON.writeValueAsBytes(claims))
          + ".";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
