package io.refarch.sandbox.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON both ways: Jackson trees for state and Kubernetes objects, proto3 JSON for Google API messages. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer NAMES = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Printer INTS = NAMES.printingEnumsAsInts();

    private Json() {
    }

    /** Parses a request body into {@code builder}; clients send enums as names (gcloud) or numbers (Java). */
    public static <B extends Message.Builder> B parse(String json, B builder) {
        if (json == null || json.isBlank()) {
            return builder;
        }
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw ApiError.invalid("Invalid JSON payload received. " + e.getMessage());
        }
    }

    public static String print(Message message, boolean enumsAsInts) {
        try {
            return (enumsAsInts ? INTS : NAMES).print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    public static JsonNode tree(Message message) {
        return tree(print(message, false));
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <B extends Message.Builder> B fromTree(JsonNode node, B builder) {
        return parse(node.toString(), builder);
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
