package io.refarch.spec;

import java.nio.file.Path;

/** The one way in: read a spec file, fill defaults, validate; nothing runs on a bad spec. */
public final class Specs {
  private Specs() {}

  /** Parses, defaults and validates; throws with every problem at once. */
  public static ClusterSpec load(Path file) throws SpecException {
    SpecLoader.Document parsed = SpecLoader.readDocument(file);
    ClusterSpec defaulted = SpecDefaults.apply(parsed.spec());
    // Named as the file names them (an eksctl ClusterConfig has its own paths).
    java.util.List<String> problems =
        SpecValidator.validate(defaulted).stream().map(parsed.problemPath()).toList();
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    return defaulted;
  }
}
