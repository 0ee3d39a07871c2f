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
import javax.crypto.SecretKey;
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
    ByteString keyIdBytes = payload.getMetadataMap().get(METADATA_KEY_ID);
    if (encoding == null || !ENCODING.equals(encoding.toStringUtf8())) {
      if (keyIdBytes != null) {
        // Only this codec writes a key id, always with its encoding: the metadata was altered.
        throw new PayloadCodecException(
            "payload names encryption key '"
                + shown(keyIdBytes)
                + "' but is not marked "
                + ENCODING
                + ": its metadata was altered");
      }
      return payload; // written before encryption was switched on
    }
    if (keyIdBytes == null) {
      throw new PayloadCodecException(
          "encrypted payload names no key ("
              + METADATA_KEY_ID
              + " is missing): its metadata was altered");
    }
    String keyId = keyIdBytes.toStringUtf8();
    byte[] data = payload.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException(
          "encrypted payload is "
              + data.length
              + " bytes, shorter than a nonce and a tag: it was truncated");
    }
    SecretKey key;
    try {
      key = keyring.key(keyId);
    } catch (IllegalStateException e) {
      throw new PayloadCodecException(
          "payload was encrypted with codec key '"
              + shown(keyIdBytes)
              + "', which this keyring does not hold");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "payload encrypted with key '"
              + shown(keyIdBytes)
              + "' failed authentication: wrong key or tampered data",
          e);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(e);
    }
  }

  /**
   * A key id as it may be shown in an error: it comes from the payload, so whoever altered the
   * payload chose it; printable ASCII only, and short.
   */
  private static String shown(ByteString keyId) {
    String text = keyId.toStringUtf8();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 64; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
    }
    return text.length() > 64 ? out + "..." : out.toString();
  }
}
