package io.refarch.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code temporal} CLI against one server: the tests drive runs exactly as docs/operations.md
 * tells users to.
 */
final class TemporalCli {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String binary;
  private final String address;

  TemporalCli(String binary, String address) {
    this.binary = binary;
    this.address = address;
  }

  String address() {
    return address;
  }

  /**
   * Runs {@code temporal ARGS --address ADDRESS}; stdout on success, an AssertionError with stderr
   * otherwise.
   */
  String run(String... args) {
    Result r = tryRun(args);
    if (r.exit != 0) {
      throw new AssertionError(
          "temporal " + String.join(" ", args) + " exited " + r.exit + ": " + r.stderr + r.stdout);
    }
    return r.stdout;
  }

  JsonNode json(String... args) {
    String[] withJson = new String[args.length + 2];
    System.arraycopy(args, 0, withJson, 0, args.length);
    withJson[args.length] = "-o";
    withJson[args.length + 1] = "json";
    try {
      return JSON.readTree(run(withJson));
    } catch (IOException e) {
      throw new AssertionError("temporal " + String.join(" ", args) + " printed no JSON", e);
    }
  }

  record Result(int exit, String stdout, String stderr) {}

  Result tryRun(String... args) {
    List<String> command = new ArrayList<>(List.of(binary));
    command.addAll(List.of(args));
    command.add("--address");
    command.add(address);
    try {
      Process p = new ProcessBuilder(command).start();
      p.getOutputStream().close();
      // Read both streams fully (histories are large) before waiting.
      var err = p.getErrorStream();
      var errText = new StringBuilder();
      Thread errReader =
          new Thread(
              () -> {
                try {
                  errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                  // the process went away; its exit code tells
                }
              });
      errReader.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(
            "temporal " + String.join(" ", args) + " did not finish in 3 minutes");
      }
      errReader.join();
      return new Result(p.exitValue(), out, errText.toString());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
