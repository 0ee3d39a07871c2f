package io.refarch.codec;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Switches payload encryption on from configuration. Off unless a key is configured: by {@code
 * REFARCH_CODEC_KEY_FILE} (a file, ideally 0600) or {@code REFARCH_CODEC_KEYS} (the keys
 * themselves), with {@code REFARCH_CODEC_KEY_ID} choosing the current key.
 */
public final class PayloadEncryption {
  public static final String ENV_KEY_FILE = "REFARCH_CODEC_KEY_FILE";
  public static final String ENV_KEYS = "REFARCH_CODEC_KEYS";
  public static final String ENV_KEY_ID = "REFARCH_CODEC_KEY_ID";

  private PayloadEncryption() {}

  /** The keyring configured in {@code env}, or null when encryption is off. */
  public static Keyring keyring(Map<String, String> env) throws IOException {
    String file = env.get(ENV_KEY_FILE);
    String keys = env.get(ENV_KEYS);
    if (file != null && !file.isBlank()) {
      return Keyring.fromFile(Path.of(file), env.get(ENV_KEY_ID));
    }
    if (keys != null && !keys.isBlank()) {
      return Keyring.parse(keys, env.get(ENV_KEY_ID));
    }
    return null;
  }

  /** The data converter for clients and workers: encrypting when a keyring is given. */
  public static DataConverter dataConverter(Keyring keyring) {
    DataConverter standard = DefaultDataConverter.newDefaultInstance();
    return keyring == null
        ? standard
        : new CodecDataConverter(standard, List.of(new AesGcmPayloadCodec(keyring)), true);
  }
}
