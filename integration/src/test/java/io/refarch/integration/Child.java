package io.refarch.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the stage, its output in a log file (printed when a test fails to start it).
 */
final class Child {
  private final String name;
  private final Process process;
  private final Path log;

  private Child(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static Child start(String name, List<String> command, Map<String, String> env, Path log) {
    return start(name, command, env, log, false);
  }

  /**
   * @param exactEnv the child gets exactly {@code env}, nothing inherited (a container's
   *     environment)
   */
  static Child start(
      String name, List<String> command, Map<String, String> env, Path log, boolean exactEnv) {
    return start(name, command, env, log, exactEnv, null);
  }

  /**
   * @param directory the child's working directory (null: this one)
   */
  static Child start(
      String name,
      List<String> command,
      Map<String, String> env,
      Path log,
      boolean exactEnv,
      Path directory) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (exactEnv) {
        builder.environment().clear();
      }
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      builder.environment().putAll(env);
      Child child = new Child(name, builder.start(), log);
      // A test JVM that dies must not leave servers behind (.ci/integration also kills the process
      // group).
      Runtime.getRuntime().addShutdownHook(new Thread(child.process::destroyForcibly));
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The exit code of a child that has ended. */
  int exitValue() {
    return process.exitValue();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL: no shutdown hook, no graceful anything, like a machine that loses power. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** SIGTERM and wait, like an operator stopping a service. */
  void stop() {
    process.destroy();
    waitForExit();
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }

  static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
