package io.refarch.sandbox.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.refarch.sandbox.core.Json;
import io.refarch.sandbox.core.RestServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Google API messages as proto3 JSON, the body of every GCP REST call. Clients send enums as names
 * (gcloud) or numbers (the Java client, which asks {@code $alt=json;enum-encoding=int}); answers
 * follow the request.
 */
public final class ProtoJson {

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer NAMES =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Printer INTS = NAMES.printingEnumsAsInts();

  private ProtoJson() {}

  /** Parses a request body into {@code builder}; an empty body leaves it as it is. */
  public static <B extends Message.Builder> B parse(String json, B builder) {
    if (json == null || json.isBlank()) {
      return builder;
    }
    try {
      PARSER.merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw GoogleApiError.invalid("Invalid JSON payload received. " + e.getMessage());
    }
  }

  /** The answer to {@code request}: enums as numbers when it asked for them. */
  public static String print(Message message, RestServer.Request request) {
    return print(
        message,
        URLDecoder.decode(request.rawQuery(), StandardCharsets.UTF_8)
            .contains("enum-encoding=int"));
  }

  public static String print(Message message, boolean enumsAsInts) {
    try {
      return (enumsAsInts ? INTS : NAMES).print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot print " + message.getDescriptorForType().getFullName(), e);
    }
  }

  /** A message as a Jackson tree, for the state file. */
  public static JsonNode tree(Message message) {
    return Json.tree(print(message, false));
  }

  public static <B extends Message.Builder> B fromTree(JsonNode node, B builder) {
    return parse(node.toString(), builder);
  }
}
