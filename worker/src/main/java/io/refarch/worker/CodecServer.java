package io.refarch.worker;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.refarch.codec.AesGcmPayloadCodec;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.function.Function;
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
 * A Temporal codec server: the Web UI ("Codec Server endpoint" = http://WORKER:8081/codec) and
 * {@code temporal --codec-endpoint} send encrypted payloads here to show them decrypted. Only
 * callers with the configured bearer token are answered, when a token is set.
 */
@RestController
class CodecServer implements WebMvcConfigurer {
  private final AesGcmPayloadCodec codec;
  private final WorkerSettings.Codec settings;

  CodecServer(PayloadCodecBeans.CodecKeys keys, WorkerSettings settings) {
    this.codec = keys.keyring() == null ? null : new AesGcmPayloadCodec(keys.keyring());
    this.settings = settings.codec();
  }

  @PostMapping(path = "/codec/decode", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> decode(
      @RequestBody String body,
      @RequestHeader(name = "Authorization", required = false) String auth) {
    return answer(body, auth, p -> codec.decode(p));
  }

  @PostMapping(path = "/codec/encode", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> encode(
      @RequestBody String body,
      @RequestHeader(name = "Authorization", required = false) String auth) {
    return answer(body, auth, p -> codec.encode(p));
  }

  private ResponseEntity<String> answer(
      String body,
      String auth,
      Function<List<io.temporal.api.common.v1.Payload>, List<io.temporal.api.common.v1.Payload>>
          op) {
    if (codec == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body("{\"error\":\"payload encryption is off on this worker\"}");
    }
    String token = settings == null ? null : settings.token();
    if (token != null && !token.isBlank() && !("Bearer " + token).equals(auth)) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .body("{\"error\":\"a valid bearer token is required\"}");
    }
    try {
      Payloads.Builder in = Payloads.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(body, in);
      Payloads out = Payloads.newBuilder().addAllPayloads(op.apply(in.getPayloadsList())).build();
      return ResponseEntity.ok(JsonFormat.printer().print(out));
    } catch (InvalidProtocolBufferException e) {
      return ResponseEntity.badRequest().body("{\"error\":\"body is not a Payloads JSON object\"}");
    } catch (PayloadCodecException e) {
      return ResponseEntity.badRequest()
          .body("{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
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
