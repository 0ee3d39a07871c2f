package io.refarch.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys payloads are encrypted with, by key id. New payloads use the current key; older
 * ones name their key id in the payload metadata, so keys can be rotated by adding a new one and
 * making it current while the old ones still decrypt history.
 *
 * <p>Format (file or {@code REFARCH_CODEC_KEYS}): one {@code id=base64-of-32-bytes} per line or
 * comma-separated; the LAST key listed is the current one unless a current id is given.
 */
public final class Keyring {
  private final Map<String, SecretKey> keys;
  private final String currentId;

  private Keyring(Map<String, SecretKey> keys, String currentId) {
    this.keys = keys;
    this.currentId = currentId;
  }

  public static Keyring parse(String text, String currentId) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    String last = null;
    for (String entry : text.split("[,\\n]")) {
      String line = entry.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "codec key entry must be id=base64key, got an entry without '='");
      }
      String id = line.substring(0, eq).strip();
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(line.substring(eq + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("codec key " + id + " is not valid base64");
      }
      if (raw.length != 32) {
        throw new IllegalArgumentException(
            "codec key " + id + " must be 32 bytes (AES-256), is " + raw.length);
      }
      keys.put(id, new SecretKeySpec(raw, "AES"));
      last = id;
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no codec key given");
    }
    String current = currentId == null || currentId.isBlank() ? last : currentId;
    if (!keys.containsKey(current)) {
      throw new IllegalArgumentException(
          "current codec key id " + current + " is not among the keys");
    }
    return new Keyring(keys, current);
  }

  public static Keyring fromFile(Path file, String currentId) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), currentId);
  }

  String currentId() {
    return currentId;
  }

  SecretKey current() {
    return keys.get(currentId);
  }

  SecretKey key(String id) {
    SecretKey key = keys.get(id);
    if (key == null) {
      throw new IllegalStateException(
          "payload was encrypted with codec key '" + id + "', which this keyring does not hold");
    }
    return key;
  }
}
