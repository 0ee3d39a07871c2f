package io.refarch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs {@code refarch} in this JVM, in a directory of the test's, with the activities it is given.
 */
final class CommandRunner {
  private final Path dir;
  private final ActivitySource activities;
  private final Map<String, String> env;
  private final Interrupts interrupts = new Interrupts();

  CommandRunner(Path dir, ActivitySource activities) {
    this(dir, activities, Map.of());
  }

  /** Without REFARCH_HOME in {@code env}, one in the test's directory: tests never lock ~. */
  CommandRunner(Path dir, ActivitySource activities, Map<String, String> env) {
    this.dir = dir;
    this.activities = activities;
    Map<String, String> withHome = new java.util.HashMap<>(env);
    withHome.putIfAbsent("REFARCH_HOME", dir.resolve(".refarch-home").toString());
    this.env = Map.copyOf(withHome);
  }

  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new Refarch(dir, env, activities, false, interrupts)
            .execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Ctrl-C for the commands this runner runs. */
  Interrupts interrupts() {
    return interrupts;
  }

  /** The repository's own example spec, copied into the test's directory. */
  static Path example(Path dir, String name) throws IOException {
    Path target = dir.resolve(name);
    Files.copy(Path.of("..", "examples", name), target);
    return target;
  }
}
