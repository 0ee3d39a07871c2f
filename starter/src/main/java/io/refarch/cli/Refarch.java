package io.refarch.cli;

import io.refarch.activities.Activities;
import io.refarch.codec.Keyring;
import io.refarch.codec.PayloadEncryption;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code refarch} command: plans, starts and watches cluster runs, and reads their history. */
@Command(
    name = "refarch",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Provisions the Kubernetes cluster of Gitpod's self-hosted reference architecture as Temporal workflows.",
      "",
      "Without --temporal (or TEMPORAL_ADDRESS), up and down run their own Temporal: with the `temporal` CLI (on PATH",
      "or in REFARCH_TEMPORAL_CLI) a dev server on SQLite under ~/.refarch/temporal (a sandbox's next to its state)",
      "and a worker in the background, so a run outlives the command; without it, in this process only. Each run's",
      "history is saved under .refarch/runs/ when the command ends, where status, history and list read it."
    },
    subcommands = {
      PlanCommand.class,
      PreflightCommand.class,
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      HistoryCommand.class,
      ListCommand.class,
      CancelCommand.class,
      KubeconfigCommand.class,
      SandboxCommand.class,
      BenchCommand.class,
      WorkerCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the run failed (after compensation), was cancelled or left resources; a preflight check failed;",
      "  or an unexpected error",
      "2:bad input (unknown option, spec problems, bad fault); nothing was started",
      "3:a run for this cluster is already going; nothing was started",
      "130:Ctrl-C detached from a run that goes on (on the local or a remote Temporal)"
    })
public final class Refarch implements Runnable {

  @Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print the stack trace of an unexpected error.")
  boolean debug;

  private final Path workDir;
  private final Map<String, String> env;
  private final ActivitySource activities;
  private final boolean tty;
  private final boolean handlesSignals;
  private final Interrupts interrupts;
  private PrintWriter out;
  private PrintWriter err;

  public Refarch() {
    this(
        Path.of("").toAbsolutePath(),
        System.getenv(),
        Activities::create,
        System.console() != null,
        true,
        new Interrupts());
  }

  /** For tests: another working directory, environment, activities (fakes) and terminal kind. */
  Refarch(Path workDir, Map<String, String> env, ActivitySource activities, boolean tty) {
    this(workDir, env, activities, tty, false, new Interrupts());
  }

  /** For tests that press Ctrl-C themselves, through {@code interrupts}. */
  Refarch(
      Path workDir,
      Map<String, String> env,
      ActivitySource activities,
      boolean tty,
      Interrupts interrupts) {
    this(workDir, env, activities, tty, false, interrupts);
  }

  private Refarch(
      Path workDir,
      Map<String, String> env,
      ActivitySource activities,
      boolean tty,
      boolean handlesSignals,
      Interrupts interrupts) {
    this.handlesSignals = handlesSignals;
    this.interrupts = interrupts;
    this.workDir = workDir;
    this.env = env;
    this.activities = activities;
    this.tty = tty;
  }

  public static void main(String[] args) {
    int code =
        new Refarch()
            .execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(code);
  }

  public int execute(PrintWriter out, PrintWriter err, String... args) {
    this.out = out;
    this.err = err;
    CommandLine cli = new CommandLine(this);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          // A user sees one line; the stack is for whoever debugs refarch itself.
          err.println("refarch: " + Errors.message(e));
          if (Arrays.asList(args).contains("--debug")) {
            e.printStackTrace(err);
          }
          err.flush();
          return ExitCodes.RUN_FAILED;
        });
    // Payload encryption (the worker's REFARCH_CODEC_* settings): runs this process starts, the
    // answers it reads and the histories it audits go through the same codec.
    Keyring keyring;
    try {
      keyring = PayloadEncryption.keyring(env);
    } catch (IOException | RuntimeException e) {
      err.println(
          "refarch: "
              + PayloadEncryption.ENV_KEY_FILE
              + " / "
              + PayloadEncryption.ENV_KEYS
              + ": "
              + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    DataConverter before = GlobalDataConverter.get();
    if (keyring != null) {
      GlobalDataConverter.register(PayloadEncryption.dataConverter(keyring));
    }
    try {
      return cli.execute(args);
    } finally {
      if (keyring != null) {
        GlobalDataConverter.register(before);
      }
      out.flush();
      err.flush();
    }
  }

  @Override
  public void run() {
    // No subcommand: say what there is.
    new CommandLine(this).usage(out);
  }

  Path workDir() {
    return workDir;
  }

  /** Relative paths the user gives are read against the working directory (tests use their own). */
  Path resolve(Path path) {
    return workDir.resolve(path);
  }

  Map<String, String> env() {
    return env;
  }

  /**
   * What every working directory on this machine shares: {@code $REFARCH_HOME/locks}, by default
   * {@code ~/.refarch/locks}, where embedded runs hold one lock per cluster.
   */
  Path locksDir() {
    return homeDir().resolve("locks");
  }

  /** {@code $REFARCH_HOME}, by default {@code ~/.refarch}: what the user's commands share. */
  Path homeDir() {
    String home = env.get("REFARCH_HOME");
    return home != null && !home.isBlank()
        ? Path.of(home)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".refarch");
  }

  /** The Ctrl-Cs this command received (the real process counts SIGINT; tests press). */
  Interrupts interrupts() {
    return interrupts;
  }

  ActivitySource activities() {
    return activities;
  }

  /** Only the real process reacts to Ctrl-C; tests run many commands in one JVM. */
  boolean handlesSignals() {
    return handlesSignals;
  }

  boolean tty() {
    return tty;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /**
   * A sandbox's state directory: the one given (against the working directory), else
   * .refarch/sandbox.
   */
  Path sandboxStateDir(Path given) {
    return given != null ? resolve(given) : workDir.resolve(".refarch").resolve("sandbox");
  }

  /** Where embedded runs keep their histories. */
  Path runsDir() {
    return workDir.resolve(".refarch").resolve("runs");
  }
}
