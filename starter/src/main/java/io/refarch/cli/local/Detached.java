package io.refarch.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts a process that outlives the command: in a session of its own ({@code setsid}), so the
 * terminal's Ctrl-C and hang-up, which go to the command's whole process group, do not reach it;
 * input from nowhere, output appended to a log.
 */
final class Detached {
  private Detached() {}

  /** {@code setsid} where the system has it (Linux); elsewhere the process shares the group. */
  static List<String> prefix() {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      Path setsid = Path.of(dir, "setsid");
      if (Files.isExecutable(setsid)) {
        return List.of(setsid.toString());
      }
    }
    return List.of();
  }

  static Process start(List<String> command, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder b = new ProcessBuilder(command);
    b.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    b.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    b.redirectErrorStream(true);
    return b.start();
  }
}
