package io.refarch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad ciphertext, tried at random: tampered bytes, truncated data, a wrong or unknown key id,
 * altered metadata. Each is a {@link PayloadCodecException} with a message, never the plain text
 * and never another exception (which the codec server would answer with a 500, and a worker would
 * retry as a workflow-task failure).
 */
class AesGcmPayloadCodecProperties {
  static final Map<String, AtomicInteger> TRIES = new ConcurrentHashMap<>();
  static final String K1 = AesGcmPayloadCodecTest.key();
  static final String K2 = AesGcmPayloadCodecTest.key();
  // The worker's keyring, and one with the same ids but other keys (another deployment's).
  static final AesGcmPayloadCodec CODEC =
      new AesGcmPayloadCodec(Keyring.parse("k2=" + K2 + ",k1=" + K1, null));
  static final AesGcmPayloadCodec OTHER =
      new AesGcmPayloadCodec(
          Keyring.parse(
              "k1=" + AesGcmPayloadCodecTest.key() + ",k2=" + AesGcmPayloadCodecTest.key(), null));

  static void tried(String property) {
    TRIES.computeIfAbsent(property, k -> new AtomicInteger()).incrementAndGet();
  }

  @AfterContainer
  static void report() {
    TRIES.forEach(
        (p, n) -> System.out.println("[property inputs] AesGcmPayloadCodec." + p + ": " + n));
  }

  @Provide
  Arbitrary<Payload> plainPayloads() {
    Arbitrary<String> encodings =
        Arbitraries.of("json/plain", "binary/null", "binary/plain", "json/protobuf");
    Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    return Combinators.combine(encodings, data)
        .as(
            (encoding, bytes) ->
                Payload.newBuilder()
                    .putMetadata("encoding", ByteString.copyFromUtf8(encoding))
                    .setData(ByteString.copyFrom(bytes))
                    .build());
  }

  /** Plain text marked so that its appearance anywhere in a result is noticed. */
  static Payload secret(Payload p) {
    return p.toBuilder().setData(ByteString.copyFromUtf8("SECRET-").concat(p.getData())).build();
  }

  static Payload seal(Payload plain) {
    return CODEC.encode(List.of(plain)).get(0);
  }

  static void assertCleanFailure(Payload altered, Payload plain) {
    Throwable t = catchThrowable(() -> CODEC.decode(List.of(altered)));
    assertThat(t).isInstanceOf(PayloadCodecException.class);
    assertThat(t.getMessage()).isNotBlank().doesNotContain("SECRET-");
  }

  @Property(tries = 1000)
  void aRoundTripGivesBackThePayload(@ForAll("plainPayloads") Payload plain) {
    tried("roundTrip");
    Payload p = secret(plain);
    assertThat(CODEC.decode(CODEC.encode(List.of(p)))).containsExactly(p);
  }

  @Property(tries = 1000)
  void tamperedCiphertextFailsAuthentication(
      @ForAll("plainPayloads") Payload plain,
      @ForAll("positions") List<Integer> positions,
      @ForAll byte flip) {
    tried("tamperedCiphertext");
    Payload sealed = seal(secret(plain));
    byte[] data = sealed.getData().toByteArray();
    byte mask = flip == 0 ? 1 : flip;
    for (int pos : positions) {
      data[pos % data.length] ^= mask;
    }
    // An even number of flips of one byte undoes itself; that is no tampering.
    Payload altered = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
    if (altered.equals(sealed)) {
      Statistics.label("outcome").collect("flips cancelled out");
      return;
    }
    Statistics.label("outcome").collect("tampered");
    assertCleanFailure(altered, plain);
  }

  @Provide
  Arbitrary<List<Integer>> positions() {
    return Arbitraries.integers().between(0, 10_000).list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 1000)
  void truncatedDataFails(@ForAll("plainPayloads") Payload plain, @ForAll double fraction) {
    tried("truncatedData");
    Payload sealed = seal(secret(plain));
    int length = (int) (Math.abs(fraction % 1.0) * sealed.getData().size());
    Payload truncated = sealed.toBuilder().setData(sealed.getData().substring(0, length)).build();
    assertCleanFailure(truncated, plain);
  }

  @Property(tries = 1000)
  void aWrongOrUnknownKeyIdFails(
      @ForAll("plainPayloads") Payload plain, @ForAll("keyIds") String keyId) {
    tried("wrongOrUnknownKeyId");
    Payload sealed = seal(secret(plain)); // k1, the current key
    Assume.that(!keyId.equals("k1"));
    Payload altered =
        sealed.toBuilder()
            .putMetadata(AesGcmPayloadCodec.METADATA_KEY_ID, ByteString.copyFromUtf8(keyId))
            .build();
    Statistics.label("key id").collect(keyId.equals("k2") ? "another key held" : "unknown");
    assertCleanFailure(altered, plain);
  }

  @Provide
  Arbitrary<String> keyIds() {
    return Arbitraries.oneOf(
        Arbitraries.just("k2"),
        Arbitraries.strings().ofMaxLength(80),
        Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(10));
  }

  @Property(tries = 1000)
  void anotherDeploymentsKeyWithTheSameIdFails(@ForAll("plainPayloads") Payload plain) {
    tried("sameIdOtherKey");
    Payload sealed = OTHER.encode(List.of(secret(plain))).get(0);
    assertCleanFailure(sealed, plain);
  }

  enum MetadataChange {
    DROP_ENCODING,
    DROP_KEY_ID,
    SWAP_ENCODING_AND_KEY_ID,
    RANDOM_ENCODING,
    SWAP_WITH_ANOTHER_PAYLOAD,
    DROP_BOTH
  }

  @Property(tries = 1000)
  void alteredMetadataNeverGivesThePlainText(
      @ForAll("plainPayloads") Payload plain,
      @ForAll("plainPayloads") Payload other,
      @ForAll MetadataChange change,
      @ForAll String text) {
    tried("alteredMetadata");
    Payload sealed = seal(secret(plain));
    Payload sealedOther = OTHER.encode(List.of(secret(other))).get(0);
    ByteString encoding = sealed.getMetadataOrThrow(AesGcmPayloadCodec.METADATA_ENCODING);
    ByteString keyId = sealed.getMetadataOrThrow(AesGcmPayloadCodec.METADATA_KEY_ID);
    Payload.Builder b = sealed.toBuilder();
    switch (change) {
      case DROP_ENCODING -> b.removeMetadata(AesGcmPayloadCodec.METADATA_ENCODING);
      case DROP_KEY_ID -> b.removeMetadata(AesGcmPayloadCodec.METADATA_KEY_ID);
      case SWAP_ENCODING_AND_KEY_ID ->
          b.putMetadata(AesGcmPayloadCodec.METADATA_ENCODING, keyId)
              .putMetadata(AesGcmPayloadCodec.METADATA_KEY_ID, encoding);
      case RANDOM_ENCODING ->
          b.putMetadata(AesGcmPayloadCodec.METADATA_ENCODING, ByteString.copyFromUtf8(text));
      case SWAP_WITH_ANOTHER_PAYLOAD ->
          b.clearMetadata().putAllMetadata(sealedOther.getMetadataMap());
      case DROP_BOTH -> b.clearMetadata();
    }
    Payload altered = b.build();
    Statistics.label("change").collect(change);
    if (change == MetadataChange.DROP_BOTH
        || (change == MetadataChange.RANDOM_ENCODING && text.equals(AesGcmPayloadCodec.ENCODING))) {
      // Without any metadata it is indistinguishable from a payload written before encryption:
      // it passes unchanged, still ciphertext (and fails to convert where it is read).
      if (altered.getMetadataCount() == 0) {
        List<Payload> out = CODEC.decode(List.of(altered));
        assertThat(out).containsExactly(altered);
        assertThat(out.get(0).getData().toStringUtf8()).doesNotContain("SECRET-");
        return;
      }
    }
    if (change == MetadataChange.RANDOM_ENCODING && text.equals(AesGcmPayloadCodec.ENCODING)) {
      assertThat(CODEC.decode(List.of(altered))).containsExactly(secret(plain));
      return;
    }
    assertCleanFailure(altered, plain);
  }

  @Property(tries = 200)
  void aKeyringThatDoesNotHoldTheKeyFailsForEveryPayloadOfAList(
      @ForAll @Size(max = 5) List<@From("plainPayloads") Payload> plains) {
    tried("listWithUnknownKey");
    List<Payload> sealed = new ArrayList<>();
    for (Payload p : plains) {
      sealed.add(seal(secret(p)));
    }
    AesGcmPayloadCodec without = new AesGcmPayloadCodec(Keyring.parse("k3=" + K1, null));
    if (sealed.isEmpty()) {
      assertThat(without.decode(sealed)).isEmpty();
      return;
    }
    assertThatThrownBy(() -> without.decode(sealed))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("which this keyring does not hold");
  }
}
