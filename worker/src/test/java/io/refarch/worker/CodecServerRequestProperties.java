package io.refarch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.refarch.codec.AesGcmPayloadCodec;
import io.refarch.codec.Keyring;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.springframework.http.ResponseEntity;

/**
 * The codec server's request handling on random bodies and Authorization headers: every answer is
 * 200, 400 or 401 with a JSON body (never an exception, which Spring would turn into a 500), and
 * the plain text comes back only for the genuine request with an accepted token.
 */
class CodecServerRequestProperties {
  static final Map<String, AtomicInteger> TRIES = new ConcurrentHashMap<>();
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = "the-accepted-token";
  static final String SECRET = "SECRET-spec-text";
  static final Keyring KEYRING;
  static final CodecServer SERVER;
  static final String SEALED;

  static {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    KEYRING = Keyring.parse("k1=" + Base64.getEncoder().encodeToString(key), null);
    WorkerSettings.Codec codec =
        new WorkerSettings.Codec("keys", null, null, TOKEN, null, false, 0, null, false, null);
    WorkerSettings settings =
        new WorkerSettings(null, null, null, null, null, codec, null, null, null, false);
    SERVER =
        new CodecServer(
            new PayloadCodecBeans.CodecKeys(KEYRING, false), CodecAccess.of(true, codec), settings);
    try {
      SEALED =
          JsonFormat.printer()
              .print(
                  Payloads.newBuilder()
                      .addAllPayloads(
                          new AesGcmPayloadCodec(KEYRING)
                              .encode(
                                  List.of(
                                      Payload.newBuilder()
                                          .putMetadata(
                                              "encoding", ByteString.copyFromUtf8("json/plain"))
                                          .setData(ByteString.copyFromUtf8(SECRET))
                                          .build()))));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterContainer
  static void report() {
    TRIES.forEach((p, n) -> System.out.println("[property inputs] codec server " + p + ": " + n));
  }

  static JsonNode assertAnswered(ResponseEntity<String> answer) throws Exception {
    int status = answer.getStatusCode().value();
    Statistics.label("status").collect(status);
    assertThat(status).isIn(200, 400, 401);
    JsonNode body = JSON.readTree(answer.getBody());
    assertThat(body.isObject()).isTrue();
    assertThat(body.has(status == 200 ? "payloads" : "error")).as(answer.getBody()).isTrue();
    return body;
  }

  static String secretB64() {
    return Base64.getEncoder().encodeToString(SECRET.getBytes());
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> base64ish =
        Arbitraries.strings().withChars("ABCDEFabcdef0123456789+/=_- ").ofMaxLength(40);
    Arbitrary<String> payload =
        Combinators.combine(
                Arbitraries.of("encoding", "encryption-key-id", "type", "x"),
                Arbitraries.oneOf(
                    base64ish,
                    Arbitraries.of(
                        Base64.getEncoder().encodeToString("binary/encrypted".getBytes()),
                        Base64.getEncoder().encodeToString("k1".getBytes()))),
                base64ish)
            .as((k, v, d) -> "{\"metadata\":{\"" + k + "\":\"" + v + "\"},\"data\":\"" + d + "\"}");
    Arbitrary<String> payloadsJson =
        payload.list().ofMaxSize(4).map(l -> "{\"payloads\":[" + String.join(",", l) + "]}");
    Arbitrary<String> truncatedReal =
        Arbitraries.integers().between(0, SEALED.length() - 1).map(i -> SEALED.substring(0, i));
    Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(300);
    Arbitrary<String> jsonish =
        Arbitraries.strings().withChars("{}[]\":,payloadsmetdr 0123456789nul").ofMaxLength(120);
    return Arbitraries.oneOf(payloadsJson, truncatedReal, anyText, jsonish);
  }

  @Property(tries = 1000)
  void anyBodyGetsAJsonAnswerAndNeverThePlainText(@ForAll("bodies") String body) throws Exception {
    TRIES.computeIfAbsent("bodies", k -> new AtomicInteger()).incrementAndGet();
    JsonNode answer = assertAnswered(SERVER.decode(body, "Bearer " + TOKEN));
    assertThat(answer.toString()).doesNotContain(secretB64());
    assertAnswered(SERVER.encode(body, "Bearer " + TOKEN));
  }

  @Provide
  Arbitrary<String> authorizations() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.strings().ofMaxLength(30).map(s -> "Bearer " + s),
        Arbitraries.of(TOKEN, "Bearer", "Bearer  ", "Basic " + TOKEN, TOKEN + " Bearer"),
        Arbitraries.integers()
            .between(0, TOKEN.length() - 1)
            .map(i -> "Bearer " + TOKEN.substring(0, i)),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(3).map(s -> "Bearer " + TOKEN + s));
  }

  @Property(tries = 1000)
  void onlyTheAcceptedTokenDecodes(@ForAll("authorizations") String authorization)
      throws Exception {
    TRIES.computeIfAbsent("authorization headers", k -> new AtomicInteger()).incrementAndGet();
    String presented = CodecAccess.bearer(authorization);
    boolean accepted = TOKEN.equals(presented);
    ResponseEntity<String> answer = SERVER.decode(SEALED, authorization);
    assertAnswered(answer);
    if (accepted) {
      assertThat(answer.getBody()).contains(secretB64());
    } else {
      assertThat(answer.getStatusCode().value()).as(authorization).isEqualTo(401);
      assertThat(answer.getBody()).doesNotContain(secretB64());
    }
  }
}
