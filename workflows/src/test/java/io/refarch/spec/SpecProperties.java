package io.refarch.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad spec files, tried at random through {@link Specs#load} (what every command reads): no
 * exception but {@link SpecException} escapes, and every problem it reports names where: the file
 * (for a document that is no spec at all) or a field path.
 */
class SpecProperties {
  static final Map<String, AtomicInteger> TRIES = new ConcurrentHashMap<>();
  static final Set<String> FIELDS =
      Set.copyOf(
          Arrays.stream(ClusterSpec.class.getRecordComponents()).map(c -> c.getName()).toList());
  private static final Path FILE;

  static {
    try {
      FILE = Files.createTempFile("refarch-spec-property", ".yaml");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterContainer
  static void report() {
    TRIES.forEach((p, n) -> System.out.println("[property inputs] Specs.load " + p + ": " + n));
  }

  /** Loads the text as a spec file; returns the problems, none when it is a valid spec. */
  static List<String> problemsOf(String yaml) throws IOException {
    Files.writeString(FILE, yaml);
    try {
      Specs.load(FILE);
      return List.of();
    } catch (SpecException e) {
      assertThat(e.problems()).as("a rejection says why").isNotEmpty();
      return e.problems();
    }
  }

  /**
   * Whether a problem names its place: the file, the top level, or a path starting at a spec field
   * (eksctl's fields, for an eksctl ClusterConfig) or at a key the document has at its top level
   * (an unknown key is named as written).
   */
  static void assertEachNamesAPath(List<String> problems, String yaml) {
    Set<String> starts = new HashSet<>(FIELDS);
    if (SpecMutations.loadOrNull(yaml) instanceof Map<?, ?> top) {
      if (String.valueOf(top.get("apiVersion")).startsWith("eksctl.io/")) {
        // A ClusterConfig's problems use eksctl's paths: "metadata.name: required".
        starts.addAll(EksctlClusterConfig.CLUSTER_CONFIG);
      }
      // A key as the file writes it: a !!binary key is named by its base64 text.
      top.keySet()
          .forEach(
              k ->
                  starts.add(
                      k instanceof byte[] b
                          ? java.util.Base64.getMimeEncoder().encodeToString(b)
                          : String.valueOf(k)));
    }
    for (String problem : problems) {
      assertThat(problem).doesNotContain("Exception", "\tat ");
      boolean named =
          problem.startsWith(FILE + ": ")
              || problem.startsWith("top level: ")
              || starts.stream()
                  .anyMatch(
                      s ->
                          problem.startsWith(s)
                              && problem.length() > s.length()
                              && ".[: (".indexOf(problem.charAt(s.length())) >= 0);
      assertThat(named).as("names a path: %s%nin:%n%s", problem, yaml).isTrue();
    }
  }

  private static void check(String property, String yaml) throws IOException {
    TRIES.computeIfAbsent(property, k -> new AtomicInteger()).incrementAndGet();
    List<String> problems = problemsOf(yaml);
    Statistics.label("outcome").collect(problems.isEmpty() ? "valid" : "rejected");
    assertEachNamesAPath(problems, yaml);
  }

  @Provide
  Arbitrary<String> yamlishText() {
    return SpecMutations.yamlishText();
  }

  @Provide
  Arbitrary<String> randomTrees() {
    return SpecMutations.randomTrees();
  }

  @Provide
  Arbitrary<String> mutatedPresets() {
    return SpecMutations.mutatedPresets();
  }

  @Property(tries = 1000)
  void randomTextIsRejectedNamingTheFileOrAField(@ForAll("yamlishText") String yaml)
      throws IOException {
    check("random text", yaml);
  }

  @Property(tries = 1000)
  void randomDocumentsAreRejectedNamingAPath(@ForAll("randomTrees") String yaml)
      throws IOException {
    check("random documents", yaml);
  }

  @Property(tries = 1000)
  void mutatedPresetsAreAcceptedOrRejectedNamingAPath(@ForAll("mutatedPresets") String yaml)
      throws IOException {
    check("mutated presets", yaml);
  }
}
