package io.refarch.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Random spec documents for property tests: YAML-ish text, random trees of spec-like keys, and
 * random mutations of the presets in examples/. Shared with the CLI's property test.
 */
public final class SpecMutations {
  private SpecMutations() {}

  /** The field names a spec may hold, at any level, so random trees hit the binder's paths. */
  static final List<String> KEYS =
      List.of(
          "apiVersion",
          "kind",
          "cloud",
          "name",
          "region",
          "zones",
          "kubernetesVersion",
          "clusterAdmin",
          "gcp",
          "aws",
          "azure",
          "project",
          "nodePools",
          "machineType",
          "diskSizeGb",
          "minNodes",
          "maxNodes",
          "initialNodes",
          "labels",
          "network",
          "networkPolicy",
          "vpcCidr",
          "account",
          "subscription",
          "maxPods",
          "diskType",
          "diskIops",
          "diskThroughput",
          "calico",
          "operatorManifest",
          "privateAccess",
          "publicAccess",
          "tags",
          "nodePoolServiceAccount");

  /** The presets, examples/*.yaml, as text. */
  public static List<String> presets() {
    Path dir = examples();
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml"))
          .sorted()
          .map(
              p -> {
                try {
                  return Files.readString(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path examples() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("examples"))) {
        return dir.resolve("examples");
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no examples/ above " + Path.of("").toAbsolutePath());
  }

  /** Text over the characters that mean something in YAML, and some that mean nothing. */
  public static Arbitrary<String> yamlishText() {
    return Arbitraries.strings()
        .withChars(":- \n\t[]{}#&*!|>'\"%@`,?.=~0123456789abcdefgnpkz")
        .withCharRange('\u00a0', '\u00ff')
        .ofMaxLength(300);
  }

  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.of("gcp", "aws", "azure", "", "latest", "10.0.0.0/8", "us-central1-a")
            .map(s -> (Object) s),
        Arbitraries.just(null));
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(12));
  }

  /** A random value: a scalar, or lists and maps of them down to {@code depth}. */
  public static Arbitrary<Object> values(int depth) {
    if (depth <= 0) {
      return scalars();
    }
    Arbitrary<Object> deeper = Arbitraries.lazy(() -> values(depth - 1));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, scalars()),
        net.jqwik.api.Tuple.of(1, deeper.list().ofMaxSize(4).map(l -> (Object) l)),
        net.jqwik.api.Tuple.of(
            2, Arbitraries.maps(keys(), deeper).ofMaxSize(5).map(m -> (Object) m)));
  }

  /** A random mapping of spec-like keys, as YAML. */
  public static Arbitrary<String> randomTrees() {
    return Arbitraries.maps(keys(), values(3)).ofMaxSize(8).map(SpecMutations::dump);
  }

  /** One change to a document: where (a walk of child choices), what, and with what. */
  public record Mutation(List<Integer> walk, Kind kind, Object value, String key) {}

  public enum Kind {
    DELETE,
    REPLACE,
    RENAME_KEY,
    DUPLICATE,
    WRAP_IN_LIST,
    NEGATE_NUMBER
  }

  public static Arbitrary<Mutation> mutations() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 50).list().ofMinSize(0).ofMaxSize(5),
            Arbitraries.of(Kind.class),
            values(2),
            keys())
        .as(Mutation::new);
  }

  /** A preset with 1 to 3 random mutations, as YAML. */
  public static Arbitrary<String> mutatedPresets() {
    List<String> presets = presets();
    return Combinators.combine(
            Arbitraries.integers().between(0, presets.size() - 1),
            mutations().list().ofMinSize(1).ofMaxSize(3))
        .as((i, changes) -> dump(mutate(load(presets.get(i)), changes)));
  }

  @SuppressWarnings("unchecked")
  static Object load(String yaml) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
  }

  /** The document as snakeyaml reads it, or null when it is no YAML. */
  static Object loadOrNull(String yaml) {
    try {
      return load(yaml);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String dump(Object document) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(new Representer(options), options).dump(document);
  }

  static Object mutate(Object document, List<Mutation> changes) {
    Object doc = document;
    for (Mutation m : changes) {
      doc = apply(doc, m, 0);
    }
    return doc;
  }

  /** Walks down the mutation's choices while there are children, then changes what it reached. */
  @SuppressWarnings("unchecked")
  private static Object apply(Object node, Mutation m, int step) {
    boolean deeper = step < m.walk().size();
    if (deeper && node instanceof Map<?, ?> map && !map.isEmpty()) {
      Map<Object, Object> copy = new LinkedHashMap<>((Map<Object, Object>) map);
      Object key = new ArrayList<>(copy.keySet()).get(m.walk().get(step) % copy.size());
      if (step == m.walk().size() - 1) {
        return changeEntry(copy, key, m);
      }
      copy.put(key, apply(copy.get(key), m, step + 1));
      return copy;
    }
    if (deeper && node instanceof List<?> list && !list.isEmpty()) {
      List<Object> copy = new ArrayList<>(list);
      int i = m.walk().get(step) % copy.size();
      if (step == m.walk().size() - 1) {
        switch (m.kind()) {
          case DELETE -> copy.remove(i);
          case DUPLICATE -> copy.add(i, copy.get(i));
          default -> copy.set(i, change(copy.get(i), m));
        }
        return copy;
      }
      copy.set(i, apply(copy.get(i), m, step + 1));
      return copy;
    }
    return change(node, m);
  }

  private static Object changeEntry(Map<Object, Object> map, Object key, Mutation m) {
    switch (m.kind()) {
      case DELETE -> map.remove(key);
      case RENAME_KEY -> {
        Object v = map.remove(key);
        map.put(m.key(), v);
      }
      case DUPLICATE -> map.put(m.key(), map.get(key));
      default -> map.put(key, change(map.get(key), m));
    }
    return map;
  }

  private static Object change(Object value, Mutation m) {
    return switch (m.kind()) {
      case WRAP_IN_LIST -> new ArrayList<>(Arrays.asList(value));
      case NEGATE_NUMBER ->
          value instanceof Integer i
              ? Integer.valueOf(-i - 1)
              : value instanceof Number ? -1 : m.value();
      default -> m.value();
    };
  }
}
