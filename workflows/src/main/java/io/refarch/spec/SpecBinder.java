package io.refarch.spec;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a YAML node tree onto the spec records by walking both side by side.
 *
 * <p>Jackson stops at the first bad value; walking the tree ourselves lets one run report every
 * unknown key and wrong type with its path. Scalars bound to a string keep their text as written,
 * so {@code kubernetesVersion: 1.20} stays "1.20" instead of becoming the number 1.2.
 */
final class SpecBinder {

  /** Names users bring from eksctl, gcloud or az, mapped to ours for the did-you-mean. */
  private static final Map<String, String> FAMILIAR_NAMES =
      Map.ofEntries(
          Map.entry("version", "kubernetesVersion"),
          Map.entry("location", "region"),
          Map.entry("availabilityZones", "zones"),
          Map.entry("nodeGroups", "nodePools"),
          Map.entry("managedNodeGroups", "nodePools"),
          Map.entry("agentPools", "nodePools"),
          Map.entry("instanceType", "machineType"),
          Map.entry("instanceTypes", "machineType"),
          Map.entry("vmSize", "machineType"),
          Map.entry("minSize", "minNodes"),
          Map.entry("minCount", "minNodes"),
          Map.entry("maxSize", "maxNodes"),
          Map.entry("maxCount", "maxNodes"),
          Map.entry("desiredCapacity", "initialNodes"),
          Map.entry("numNodes", "initialNodes"),
          Map.entry("count", "initialNodes"),
          Map.entry("volumeType", "diskType"),
          Map.entry("osDiskType", "diskType"),
          Map.entry("volumeSize", "diskSizeGb"),
          Map.entry("osDiskSizeGB", "diskSizeGb"),
          Map.entry("volumeIOPS", "diskIops"),
          Map.entry("volumeThroughput", "diskThroughput"),
          Map.entry("maxPodsPerNode", "maxPods"),
          Map.entry("nodeLabels", "labels"),
          Map.entry("accountId", "account"),
          Map.entry("subscriptionId", "subscription"));

  private final List<String> problems = new ArrayList<>();

  List<String> problems() {
    return problems;
  }

  <T extends Record> T bindRoot(Node root, Class<T> type) {
    return type.cast(bind(root, type, ""));
  }

  private Object bind(Node node, Type type, String path) {
    if (isNull(node)) {
      return null;
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class) {
        return bindList(node, args[0], path);
      }
      if (raw == Map.class) {
        return bindMap(node, args[1], path);
      }
      throw new IllegalStateException("spec type not supported: " + type);
    }
    Class<?> cls = (Class<?>) type;
    if (cls.isRecord()) {
      return bindRecord(node, cls, path);
    }
    if (cls == String.class) {
      return bindString(node, path);
    }
    if (cls == Integer.class) {
      return bindInteger(node, path);
    }
    if (cls == Boolean.class) {
      return bindBoolean(node, path);
    }
    if (cls == Cloud.class) {
      return bindCloud(node, path);
    }
    throw new IllegalStateException("spec type not supported: " + type);
  }

  private Object bindRecord(Node node, Class<?> cls, String path) {
    if (!(node instanceof MappingNode mapping)) {
      expected(path, "a mapping", node);
      return null;
    }
    RecordComponent[] components = cls.getRecordComponents();
    List<String> known = Arrays.stream(components).map(RecordComponent::getName).toList();
    Object[] args = new Object[components.length];
    boolean[] seen = new boolean[components.length];
    // In the order of the file, so the problems read top to bottom.
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyOf(tuple, path);
      if (key == null) {
        continue;
      }
      String keyPath = join(path, key);
      int index = known.indexOf(key);
      if (index < 0) {
        problems.add(keyPath + ": unknown key; " + suggestion(key, known));
      } else if (seen[index]) {
        problems.add(keyPath + ": duplicate key");
      } else {
        seen[index] = true;
        args[index] = bind(tuple.getValueNode(), components[index].getGenericType(), keyPath);
      }
    }
    return construct(cls, components, args);
  }

  private List<Object> bindList(Node node, Type elementType, String path) {
    if (!(node instanceof SequenceNode sequence)) {
      expected(path, "a list", node);
      return null;
    }
    List<Object> out = new ArrayList<>();
    List<Node> items = sequence.getValue();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = path + "[" + i + "]";
      if (isNull(items.get(i))) {
        problems.add(itemPath + ": expected " + describe(elementType) + ", got nothing");
        continue;
      }
      Object item = bind(items.get(i), elementType, itemPath);
      if (item != null) {
        out.add(item);
      }
    }
    return Collections.unmodifiableList(out);
  }

  private Map<String, Object> bindMap(Node node, Type valueType, String path) {
    if (!(node instanceof MappingNode mapping)) {
      expected(path, "a mapping", node);
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyOf(tuple, path);
      if (key == null) {
        continue;
      }
      String entryPath = path + "[\"" + key + "\"]";
      if (out.containsKey(key)) {
        problems.add(entryPath + ": duplicate key");
        continue;
      }
      if (isNull(tuple.getValueNode())) {
        // Kubernetes allows empty label values, but "key:" with nothing is more likely a slip.
        problems.add(
            entryPath
                + ": expected "
                + describe(valueType)
                + ", got nothing (write \"\" for empty)");
        continue;
      }
      Object value = bind(tuple.getValueNode(), valueType, entryPath);
      if (value != null) {
        out.put(key, value);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private String bindString(Node node, String path) {
    if (!(node instanceof ScalarNode scalar)) {
      expected(path, "a string", node);
      return null;
    }
    return scalar.getValue();
  }

  private Integer bindInteger(Node node, String path) {
    if (node instanceof ScalarNode scalar && scalar.getValue().matches("[-+]?[0-9]{1,10}")) {
      try {
        return Integer.valueOf(scalar.getValue());
      } catch (NumberFormatException tooLarge) {
        // falls through to the message below
      }
    }
    expected(path, "an integer", node);
    return null;
  }

  private Boolean bindBoolean(Node node, String path) {
    if (node instanceof ScalarNode scalar) {
      String v = scalar.getValue();
      if (v.equals("true") || v.equals("false")) {
        return Boolean.valueOf(v);
      }
    }
    expected(path, "true or false", node);
    return null;
  }

  private Cloud bindCloud(Node node, String path) {
    if (node instanceof ScalarNode scalar) {
      for (Cloud c : Cloud.values()) {
        if (c.id().equals(scalar.getValue())) {
          return c;
        }
      }
    }
    problems.add(path + ": must be one of gcp, aws, azure");
    return null;
  }

  private String keyOf(NodeTuple tuple, String path) {
    if (tuple.getKeyNode() instanceof ScalarNode key && !isNull(key)) {
      return key.getValue();
    }
    problems.add((path.isEmpty() ? "top level" : path) + ": keys must be plain strings");
    return null;
  }

  private void expected(String path, String what, Node got) {
    problems.add(path + ": expected " + what + ", got " + shown(got));
  }

  private static String shown(Node node) {
    if (node instanceof ScalarNode scalar) {
      return "\"" + scalar.getValue() + "\"";
    }
    return node instanceof SequenceNode ? "a list" : "a mapping";
  }

  private static String describe(Type type) {
    if (type == Integer.class) {
      return "an integer";
    }
    if (type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    return type instanceof ParameterizedType p && p.getRawType() == List.class
        ? "a list"
        : "a mapping";
  }

  private static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** "did you mean X?" for a near miss or a familiar name, else the keys that are allowed. */
  static String suggestion(String key, List<String> known) {
    String familiar = FAMILIAR_NAMES.get(key);
    if (familiar != null && known.contains(familiar)) {
      return "did you mean " + familiar + "?";
    }
    String lower = key.toLowerCase(Locale.ROOT);
    int allowed = lower.length() <= 4 ? 1 : lower.length() <= 8 ? 2 : 3;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best != null && bestDistance <= allowed) {
      return "did you mean " + best + "?";
    }
    return "expected one of " + String.join(", ", known);
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static Object construct(Class<?> cls, RecordComponent[] components, Object[] args) {
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      Constructor<?> constructor = cls.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot build " + cls.getSimpleName(), e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot build " + cls.getSimpleName(), e.getCause());
    }
  }
}
