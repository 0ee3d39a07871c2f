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

  /** The configured keys; {@code keyring()} is null while encryption is off. */
  record CodecKeys(Keyring keyring) {}

  @Bean
  CodecKeys codecKeys(WorkerSettings settings) throws IOException {
    WorkerSettings.Codec codec = settings.codec();
    if (codec == null || codec.keyFile() == null || codec.keyFile().isBlank()) {
      return new CodecKeys(null);
    }
    return new CodecKeys(Keyring.fromFile(Path.of(codec.keyFile()), codec.keyId()));
  }

  /** The Temporal starter uses the bean of this name for the client and the workers. */
  @Bean
  DataConverter mainDataConverter(CodecKeys keys) {
    return PayloadEncryption.dataConverter(keys.keyring());
  }
}
