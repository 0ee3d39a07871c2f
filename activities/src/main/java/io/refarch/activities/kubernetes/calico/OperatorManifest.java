package io.refarch.activities.kubernetes.calico;

import io.refarch.activities.Failures;
import io.refarch.spec.AwsOptions;
import io.refarch.workflow.FailureTypes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The tigera-operator manifest: a local file (air-gapped installs), an https URL (verified against
 * its sha256 when one is given, so that a changed upstream file is never applied unnoticed), or an
 * http URL, which must be pinned by its sha256. A worker with a download mirror fetches URLs from
 * it ({@code https://host/path} as {@code <mirror>/host/path}); the digest is checked the same.
 */
public final class OperatorManifest {
  private OperatorManifest() {}

  /** Fetched from the internet. */
  public static byte[] load(AwsOptions.Calico calico) {
    return load(calico, null);
  }

  /** URLs fetched from {@code mirror} when one is given (see {@link #mirrored}). */
  public static byte[] load(AwsOptions.Calico calico, URI mirror) {
    if (calico == null
        || calico.operatorManifest() == null
        || calico.operatorManifest().isBlank()) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT, "aws.calico.operatorManifest: required");
    }
    String source = calico.operatorManifest();
    String sha = calico.operatorManifestSha256();
    boolean remote = source.startsWith("https://") || source.startsWith("http://");
    // As the spec's rule (EksRules) and docs/spec.md have it: plain HTTP can be tampered with on
    // the way, so only a pinned digest makes it safe; https:// (the default, a pinned release) is
    // verified when a digest is given.
    if (source.startsWith("http://") && (sha == null || sha.isBlank())) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "aws.calico.operatorManifestSha256: required for an http:// manifest");
    }
    byte[] bytes =
        remote ? fetch(mirror == null ? source : mirrored(source, mirror)) : read(source);
    if (sha != null && !sha.isBlank()) {
      String actual = sha256(bytes);
      if (!actual.equals(sha.toLowerCase(Locale.ROOT))) {
        throw Failures.permanent(
            FailureTypes.INVALID_ARGUMENT,
            "aws.calico.operatorManifestSha256: "
                + source
                + " has sha256 "
                + actual
                + ", spec says "
                + sha);
      }
    }
    return bytes;
  }

  /**
   * Where a mirror keeps {@code url}: its host and path under the mirror's base, as generic
   * repository mirrors (Artifactory, Nexus raw proxies) lay them out.
   */
  static String mirrored(String url, URI mirror) {
    URI u = URI.create(url);
    String base = mirror.toString();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return base + "/" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(String file) {
    Path path = Path.of(file.startsWith("file://") ? URI.create(file).getPath() : file);
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw Failures.permanent(
          FailureTypes.INVALID_ARGUMENT,
          "aws.calico.operatorManifest: cannot read " + path + ": " + e.getMessage());
    }
  }

  private static byte[] fetch(String url) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 404) {
        throw Failures.permanent(
            FailureTypes.INVALID_ARGUMENT,
            "aws.calico.operatorManifest: " + url + " not found (404)");
      }
      if (response.statusCode() != 200) {
        throw Failures.retryable(
            Failures.TRANSIENT, "fetching " + url + ": HTTP " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw Failures.retryable(Failures.TRANSIENT, "fetching " + url + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching " + url, e);
    }
  }
}
