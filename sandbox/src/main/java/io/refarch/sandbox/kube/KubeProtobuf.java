package io.refarch.sandbox.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.refarch.sandbox.core.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the Kubernetes protobuf encoding ("k8s\0" + runtime.Unknown) that kubectl 1.32 uses for the
 * objects its {@code create} subcommands send (e.g. {@code kubectl create clusterrolebinding}), for
 * the few kinds those produce. Field numbers are those of k8s.io/api's generated.proto files.
 */
final class KubeProtobuf {

  private enum Type {
    STRING,
    INT64,
    BOOL,
    BYTES,
    TIME,
    MESSAGE,
    STRING_MAP,
    BYTES_MAP
  }

  private record Field(String name, Type type, boolean repeated, Map<Integer, Field> message) {
    static Field of(String name, Type type) {
      return new Field(name, type, false, null);
    }

    static Field strings(String name) {
      return new Field(name, Type.STRING, true, null);
    }

    static Field message(String name, Map<Integer, Field> schema) {
      return new Field(name, Type.MESSAGE, false, schema);
    }

    static Field messages(String name, Map<Integer, Field> schema) {
      return new Field(name, Type.MESSAGE, true, schema);
    }
  }

  private static final Map<Integer, Field> OWNER_REFERENCE =
      Map.of(
          1,
          Field.of("kind", Type.STRING),
          3,
          Field.of("name", Type.STRING),
          4,
          Field.of("uid", Type.STRING),
          5,
          Field.of("apiVersion", Type.STRING),
          6,
          Field.of("controller", Type.BOOL),
          7,
          Field.of("blockOwnerDeletion", Type.BOOL));
  private static final Map<Integer, Field> OBJECT_META =
      Map.ofEntries(
          Map.entry(1, Field.of("name", Type.STRING)),
          Map.entry(2, Field.of("generateName", Type.STRING)),
          Map.entry(3, Field.of("namespace", Type.STRING)),
          Map.entry(5, Field.of("uid", Type.STRING)),
          Map.entry(6, Field.of("resourceVersion", Type.STRING)),
          Map.entry(7, Field.of("generation", Type.INT64)),
          Map.entry(8, Field.of("creationTimestamp", Type.TIME)),
          Map.entry(11, Field.of("labels", Type.STRING_MAP)),
          Map.entry(12, Field.of("annotations", Type.STRING_MAP)),
          Map.entry(13, Field.messages("ownerReferences", OWNER_REFERENCE)),
          Map.entry(14, Field.strings("finalizers")));
  private static final Map<Integer, Field> SUBJECT =
      Map.of(
          1,
          Field.of("kind", Type.STRING),
          2,
          Field.of("apiGroup", Type.STRING),
          3,
          Field.of("name", Type.STRING),
          4,
          Field.of("namespace", Type.STRING));
  private static final Map<Integer, Field> ROLE_REF =
      Map.of(
          1,
          Field.of("apiGroup", Type.STRING),
          2,
          Field.of("kind", Type.STRING),
          3,
          Field.of("name", Type.STRING));
  private static final Map<Integer, Field> POLICY_RULE =
      Map.of(
          1,
          Field.strings("verbs"),
          2,
          Field.strings("apiGroups"),
          3,
          Field.strings("resources"),
          4,
          Field.strings("resourceNames"),
          5,
          Field.strings("nonResourceURLs"));
  private static final Map<Integer, Field> BINDING =
      Map.of(
          1,
          Field.message("metadata", OBJECT_META),
          2,
          Field.messages("subjects", SUBJECT),
          3,
          Field.message("roleRef", ROLE_REF));
  private static final Map<Integer, Field> ROLE =
      Map.of(1, Field.message("metadata", OBJECT_META), 2, Field.messages("rules", POLICY_RULE));
  private static final Map<Integer, Field> NAMESPACE =
      Map.of(
          1,
          Field.message("metadata", OBJECT_META),
          2,
          Field.message("spec", Map.of(1, Field.strings("finalizers"))));
  private static final Map<Integer, Field> SERVICE_ACCOUNT =
      Map.of(
          1,
          Field.message("metadata", OBJECT_META),
          4,
          Field.of("automountServiceAccountToken", Type.BOOL));
  private static final Map<Integer, Field> CONFIG_MAP =
      Map.of(
          1,
          Field.message("metadata", OBJECT_META),
          2,
          Field.of("data", Type.STRING_MAP),
          3,
          Field.of("binaryData", Type.BYTES_MAP),
          4,
          Field.of("immutable", Type.BOOL));
  private static final Map<Integer, Field> SECRET =
      Map.of(
          1,
          Field.message("metadata", OBJECT_META),
          2,
          Field.of("data", Type.BYTES_MAP),
          3,
          Field.of("type", Type.STRING),
          4,
          Field.of("stringData", Type.STRING_MAP),
          5,
          Field.of("immutable", Type.BOOL));

  private static final Map<String, Map<Integer, Field>> KINDS =
      Map.of(
          "ClusterRoleBinding",
          BINDING,
          "RoleBinding",
          BINDING,
          "ClusterRole",
          ROLE,
          "Role",
          ROLE,
          "Namespace",
          NAMESPACE,
          "ServiceAccount",
          SERVICE_ACCOUNT,
          "ConfigMap",
          CONFIG_MAP,
          "Secret",
          SECRET);

  private KubeProtobuf() {}

  /** The object as JSON, or empty if the kind is not one the sandbox can read from protobuf. */
  static Optional<ObjectNode> decode(byte[] body) throws IOException {
    if (body.length < 4 || body[0] != 'k' || body[1] != '8' || body[2] != 's' || body[3] != 0) {
      throw new IOException("missing the k8s protobuf envelope");
    }
    CodedInputStream in = CodedInputStream.newInstance(body, 4, body.length - 4);
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          CodedInputStream meta = CodedInputStream.newInstance(in.readByteArray());
          while (!meta.isAtEnd()) {
            int t = meta.readTag();
            switch (WireFormat.getTagFieldNumber(t)) {
              case 1 -> apiVersion = meta.readString();
              case 2 -> kind = meta.readString();
              default -> meta.skipField(t);
            }
          }
        }
        case 2 -> raw = in.readByteArray();
        default -> in.skipField(tag);
      }
    }
    Map<Integer, Field> schema = KINDS.get(kind);
    if (schema == null) {
      return Optional.empty();
    }
    ObjectNode object = Json.object().put("apiVersion", apiVersion).put("kind", kind);
    read(CodedInputStream.newInstance(raw), schema, object);
    return Optional.of(object);
  }

  private static void read(CodedInputStream in, Map<Integer, Field> schema, ObjectNode into)
      throws IOException {
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      Field f = schema.get(WireFormat.getTagFieldNumber(tag));
      if (f == null) {
        in.skipField(tag);
        continue;
      }
      switch (f.type) {
        case STRING -> {
          if (f.repeated) {
            into.withArray(f.name).add(in.readString());
          } else {
            String value = in.readString();
            if (!value.isEmpty()) { // gogo-protobuf writes empty strings too
              into.put(f.name, value);
            }
          }
        }
        case INT64 -> into.put(f.name, in.readInt64());
        case BOOL -> into.put(f.name, in.readBool());
        case BYTES -> into.put(f.name, Base64.getEncoder().encodeToString(in.readByteArray()));
        case TIME -> {
          CodedInputStream t = CodedInputStream.newInstance(in.readByteArray());
          long seconds = 0;
          while (!t.isAtEnd()) {
            int tt = t.readTag();
            if (WireFormat.getTagFieldNumber(tt) == 1) {
              seconds = t.readInt64();
            } else {
              t.skipField(tt);
            }
          }
          if (seconds != 0) {
            into.put(f.name, Instant.ofEpochSecond(seconds).toString());
          }
        }
        case MESSAGE -> {
          ObjectNode child = Json.object();
          read(CodedInputStream.newInstance(in.readByteArray()), f.message, child);
          if (f.repeated) {
            ((ArrayNode) into.withArray(f.name)).add(child);
          } else {
            into.set(f.name, child);
          }
        }
        case STRING_MAP, BYTES_MAP -> {
          CodedInputStream entry = CodedInputStream.newInstance(in.readByteArray());
          String key = "";
          String value = "";
          while (!entry.isAtEnd()) {
            int et = entry.readTag();
            switch (WireFormat.getTagFieldNumber(et)) {
              case 1 -> key = entry.readString();
              case 2 ->
                  value =
                      f.type == Type.STRING_MAP
                          ? entry.readString()
                          : Base64.getEncoder().encodeToString(entry.readByteArray());
              default -> entry.skipField(et);
            }
          }
          into.with(f.name).put(key, value);
        }
      }
    }
  }
}
