package io.refarch.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.refarch.codec.AesGcmPayloadCodec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A Temporal codec server: the Web UI ("Codec Server endpoint" = http://WORKER:8082/codec) and
 * {@code temporal --codec-endpoint} send encrypted payloads here to show them decrypted. It answers
 * only callers {@link CodecAccess} admits, on its own port ({@link CodecListener}).
 */
@RestController
class CodecServer implements WebMvcConfigurer {
  private static final Logger log = LoggerFactory.getLogger(CodecServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AesGcmPayloadCodec codec;
  private final CodecAccess access;
  private final WorkerSettings.Codec settings;

  CodecServer(PayloadCodecBeans.CodecKeys keys, CodecAccess access, WorkerSettings settings) {
    this.codec = keys.keyring() == null ? null : new AesGcmPayloadCodec(keys.keyring());
    this.access = access;
    this.settings = settings.codec();
  }

  @PostMapping(path = "/codec/decode", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> decode(
      @RequestBody(required = false) String body,
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
    return answer(body, auth, codec::decode);
  }

  @PostMapping(path = "/codec/encode", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> encode(
      @RequestBody(required = false) String body,
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
    return answer(body, auth, codec::encode);
  }

  private ResponseEntity<String> answer(String body, String auth, UnaryOperator<List<Payload>> op) {
    if (codec == null || !access.served()) {
      return error(HttpStatus.NOT_FOUND, "the codec server is not served: " + access.reason());
    }
    if (!access.admits(auth)) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .contentType(MediaType.APPLICATION_JSON)
          .body(errorJson("a valid bearer token is required"));
    }
    Payloads.Builder in = Payloads.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(body == null ? "" : body, in);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return error(
          HttpStatus.BAD_REQUEST, "body is not a Payloads JSON object ({\"payloads\": [...]})");
    }
    try {
      Payloads out = Payloads.newBuilder().addAllPayloads(op.apply(in.getPayloadsList())).build();
      // The printer leaves out an empty list; the protocol's answer always has "payloads".
      String json =
          out.getPayloadsCount() == 0 ? "{\"payloads\":[]}" : JsonFormat.printer().print(out);
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
    } catch (PayloadCodecException e) {
      // The codec's messages name a key id and what failed, never key material or plain text.
      return error(HttpStatus.BAD_REQUEST, e.getMessage());
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      log.warn("Codec server could not process a request: {}", e.getClass().getName());
      return error(HttpStatus.BAD_REQUEST, "a payload could not be processed");
    }
  }

  private static ResponseEntity<String> error(HttpStatus status, String message) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(errorJson(message));
  }

  static String errorJson(String message) {
    try {
      return JSON.writeValueAsString(Map.of("error", message == null ? "" : message));
    } catch (JsonProcessingException e) {
      return "{\"error\":\"\"}";
    }
  }

  @Override
  public void addCorsMappings(CorsRegistry registry) {
    String origins =
        settings == null || settings.corsOrigins() == null ? "" : settings.corsOrigins();
    if (!origins.isBlank()) {
      registry
          .addMapping("/codec/**")
          .allowedOrigins(origins.split(","))
          .allowedMethods("POST", "OPTIONS")
          .allowedHeaders("*")
          .allowCredentials(true);
    }
  }
}
