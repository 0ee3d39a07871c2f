package io.refarch.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload (workflow inputs, results, query answers, failure details) with
 * AES-256-GCM before it leaves the process, so the server stores only ciphertext. The key id goes
 * in the payload metadata; a codec server with the same keyring lets the Web UI and the temporal
 * CLI show the plaintext to those who may see it.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  public static final String ENCODING = "binary/encrypted";
  public static final String METADATA_ENCODING = "encoding";
  public static final String METADATA_KEY_ID = "encryption-key-id";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Keyring keyring;
  private final SecureRandom random = new SecureRandom();

  public AesGcmPayloadCodec(Keyring keyring) {
    this.keyring = keyring;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload payload) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keyring.current(), new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(payload.toByteArray());
      return Payload.newBuilder()
          .putMetadata(METADATA_ENCODING, ByteString.copyFrom(ENCODING, StandardCharsets.UTF_8))
          .putMetadata(
              METADATA_KEY_ID, ByteString.copyFrom(keyring.currentId(), StandardCharsets.UTF_8))
          .setData(
              ByteString.copyFrom(
                  ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array()))
          .build();
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(e);
    }
  }

  private Payload decrypt(Payload payload) {
    ByteString encoding = payload.getMetadataMap().get(METADATA_ENCODING);
    if (encoding == null || !ENCODING.equals(encoding.toStringUtf8())) {
      return payload; // written before encryption was switched on
    }
    String keyId = payload.getMetadataOrThrow(METADATA_KEY_ID).toStringUtf8();
    byte[] data = payload.getData().toByteArray();
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          keyring.key(keyId),
          new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "payload encrypted with key '"
              + keyId
              + "' failed authentication: wrong key or tampered data",
          e);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(e);
    }
  }
}
