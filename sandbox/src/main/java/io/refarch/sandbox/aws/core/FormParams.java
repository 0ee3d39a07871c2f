package io.refarch.sandbox.aws.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of a Query request ({@code Action=CreateVpc&TagSpecification.1.Tag.1.Key=Name}),
 * with the numbered lists and dotted structures the Query protocols flatten into names: EC2's
 * {@code Filter.1.Value.1}, IAM's {@code Tags.member.1.Key}.
 */
public final class FormParams {

  private final Map<String, String> values;

  public FormParams(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public String get(String name) {
    return values.get(name);
  }

  /** The value, or an AWS MissingParameter error naming it. */
  public String require(String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw AwsError.client(
          "MissingParameter", "The request must contain the parameter " + name + ".");
    }
    return value;
  }

  public String get(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  /** The values of {@code prefix.1}, {@code prefix.2}, ... in order. */
  public List<String> list(String prefix) {
    List<String> list = new ArrayList<>();
    for (int i = 1; values.containsKey(prefix + "." + i); i++) {
      list.add(values.get(prefix + "." + i));
    }
    return list;
  }

  /** The structures {@code prefix.1.*}, {@code prefix.2.*}, ... in order. */
  public List<FormParams> structs(String prefix) {
    List<FormParams> list = new ArrayList<>();
    for (int i = 1; ; i++) {
      FormParams member = under(prefix + "." + i);
      if (member.values.isEmpty()) {
        return list;
      }
      list.add(member);
    }
  }

  /** The parameters under {@code prefix.}, with the prefix taken off. */
  public FormParams under(String prefix) {
    Map<String, String> sub = new TreeMap<>();
    String dotted = prefix + ".";
    values.forEach(
        (k, v) -> {
          if (k.startsWith(dotted)) {
            sub.put(k.substring(dotted.length()), v);
          }
        });
    return new FormParams(sub);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * The parameters as a JSON tree: dotted names become objects, numbered members arrays ({@code
   * BlockDeviceMapping.1.Ebs.VolumeSize=100} → {@code {"BlockDeviceMapping":[{"Ebs":{"VolumeSize":
   * "100"}}]}}). For structures the sandbox keeps as given and answers back.
   */
  public ObjectNode tree() {
    ObjectNode root = Json.object();
    new TreeMap<>(values).forEach((k, v) -> put(root, k.split("\\."), 0, v));
    return root;
  }

  private static void put(JsonNode node, String[] path, int i, String value) {
    String key = path[i];
    boolean last = i == path.length - 1;
    boolean nextIsIndex = !last && path[i + 1].matches("\\d+");
    if (node instanceof ObjectNode object) {
      if (last) {
        object.put(key, value);
      } else {
        JsonNode child = object.get(key);
        if (child == null) {
          child = nextIsIndex ? object.putArray(key) : object.putObject(key);
        }
        put(child, path, i + 1, value);
      }
    } else if (node instanceof ArrayNode array) {
      int index = Integer.parseInt(key) - 1;
      while (array.size() <= index) {
        array.addObject();
      }
      if (last) {
        array.set(index, Json.MAPPER.getNodeFactory().textNode(value));
      } else {
        JsonNode child = array.get(index);
        if (nextIsIndex && !(child instanceof ArrayNode)) {
          child = Json.MAPPER.createArrayNode();
          array.set(index, child);
        }
        put(child, path, i + 1, value);
      }
    }
  }
}
