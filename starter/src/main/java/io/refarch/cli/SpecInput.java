package io.refarch.cli;

import io.refarch.spec.ClusterSpec;
import io.refarch.spec.SpecException;
import io.refarch.spec.Specs;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Reads the spec a command was given; on problems prints every one and gives nothing. */
final class SpecInput {
  private SpecInput() {}

  static ClusterSpec load(Refarch root, Path file) {
    try {
      return Specs.load(root.resolve(file));
    } catch (SpecException e) {
      PrintWriter err = root.err();
      int n = e.problems().size();
      err.println(
          "refarch: "
              + file
              + " has "
              + n
              + (n == 1 ? " problem" : " problems")
              + "; nothing was started:");
      e.problems().forEach(p -> err.println("  " + p));
      err.flush();
      return null;
    }
  }
}
