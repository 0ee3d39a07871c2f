package io.refarch.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The eksctl ClusterConfig of the 002 seed (Gitpod's AWS reference architecture page), cut out of
 * the seed's markdown at test time: the file under test is the seed's own, not a hand-made copy of
 * the YAML. The page is kept verbatim in test resources ({@code seeds/002_*.txt}) so a clean clone
 * can run the test; where the project's shared seeds sit above the repository (as on the machines
 * it is developed on), {@link #seedFile} also checks that the kept page is still theirs.
 */
final class EksctlSeed {
  /** The seed names the file so; its code block follows this line. */
  private static final String FILE_TITLE = "**gitpod-cluster.yaml**";

  private static final String SEED = "002_7452e532849920b1.txt";

  private EksctlSeed() {}

  /** The kept 002 seed page, after checking it against shared/seeds/ when that is above. */
  static Path seedFile() {
    Path kept;
    try {
      kept = Path.of(EksctlSeed.class.getResource("/seeds/" + SEED).toURI());
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource seeds/" + SEED + " missing", e);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path shared = dir.resolve("shared").resolve("seeds").resolve(SEED);
      if (Files.isRegularFile(shared)) {
        try {
          if (Files.mismatch(shared, kept) != -1) {
            throw new IllegalStateException(
                shared + " differs from the kept copy " + kept + ": copy the seed again");
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        break;
      }
    }
    return kept;
  }

  /** The ```yaml block after the seed's "gitpod-cluster.yaml" title, exactly as written. */
  static String clusterConfig() {
    List<String> lines;
    try {
      lines = Files.readAllLines(seedFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int title = lines.indexOf(FILE_TITLE);
    if (title < 0 || title + 1 >= lines.size() || !lines.get(title + 1).equals("```yaml")) {
      throw new IllegalStateException("no ```yaml block after " + FILE_TITLE + " in the seed");
    }
    StringBuilder block = new StringBuilder();
    for (int i = title + 2; i < lines.size() && !lines.get(i).equals("```"); i++) {
      block.append(lines.get(i)).append('\n');
    }
    return block.toString();
  }

  /**
   * The seed's file with the values a reader must supply, and eksctl takes from its credentials,
   * written as examples/eks.yaml writes them (its aws.account and clusterAdmin, both CHANGE ME).
   * The seed's other example values (cluster gitpod, region eu-west-1, tags department: cs and
   * project: gitpod) are the ones examples/eks.yaml uses too, so they stay as they are.
   */
  static String withPlaceholdersOf(ClusterSpec eksYaml) {
    String text = clusterConfig();
    String metadata = "\nmetadata:\n";
    if (!text.contains(metadata)) {
      throw new IllegalStateException("the seed's ClusterConfig has no metadata block");
    }
    return text.replace(
        metadata,
        metadata
            + "  annotations:\n"
            + "    refarch.io/account: \""
            + eksYaml.aws().account()
            + "\"\n"
            + "    refarch.io/cluster-admin: "
            + eksYaml.clusterAdmin()
            + "\n");
  }
}
