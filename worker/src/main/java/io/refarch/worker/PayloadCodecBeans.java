package io.refarch.worker;

import io.refarch.codec.Keyring;
import io.refarch.codec.PayloadEncryption;
import io.temporal.common.converter.DataConverter;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Payload encryption, switched on by {@code refarch.codec.key-file}. */
@Configuration
class PayloadCodecBeans {

  /**
   * The configured keys; {@code keyring()} is null while encryption is off.
   *
   * @param requireEncryptedInput whether runs must have arrived encrypted
   */
  record CodecKeys(Keyring keyring, boolean requireEncryptedInput) {}

  @Bean
  CodecKeys codecKeys(WorkerSettings settings) {
    WorkerSettings.Codec codec = settings.codec();
    boolean require = codec != null && codec.requireEncryptedInput();
    if (codec == null || codec.keyFile() == null || codec.keyFile().isBlank()) {
      if (require) {
        throw new WorkerMisconfiguration(
            EncryptedInputGuard.SETTING
                + " is true but payload encryption is off: set "
                + KEY_FILE);
      }
      return new CodecKeys(null, false);
    }
    Path file = Path.of(codec.keyFile().strip());
    try {
      return new CodecKeys(Keyring.fromFile(file, codec.keyId()), require);
    } catch (IOException e) {
      throw new WorkerMisconfiguration(
          KEY_FILE
              + " names "
              + file
              + ", which cannot be read ("
              + e.getClass().getSimpleName()
              + ")");
    } catch (IllegalArgumentException e) {
      // The keyring's messages name a key id and what is wrong with it, never the key.
      throw new WorkerMisconfiguration(KEY_FILE + " " + file + ": " + e.getMessage());
    }
  }

  static final String KEY_FILE = "refarch.codec.key-file (REFARCH_CODEC_KEY_FILE)";

  /** The Temporal starter uses the bean of this name for the client and the workers. */
  @Bean
  DataConverter mainDataConverter(CodecKeys keys) {
    DataConverter converter = PayloadEncryption.dataConverter(keys.keyring());
    return keys.requireEncryptedInput() ? EncryptedInputGuard.noting(converter) : converter;
  }
}
