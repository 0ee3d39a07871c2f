package io.refarch.cli;

/** What {@code refarch} exits with; docs/cli.md documents them for scripts. */
public final class ExitCodes {
  /** The command did what it was asked; a run succeeded. */
  public static final int OK = 0;

  /**
   * A run failed (after compensation), was cancelled, or a teardown left resources; or an
   * unexpected error.
   */
  public static final int RUN_FAILED = 1;

  /**
   * Bad input: an unknown option, a spec with problems, a bad fault, a cloud that this build or
   * (with {@code --temporal}) the task queue's workers cannot run; nothing was started.
   */
  public static final int BAD_INPUT = 2;

  /** Refused: a run for this cluster is already going; nothing was started. */
  public static final int ALREADY_RUNNING = 3;

  /**
   * Ctrl-C detached the command from a run that goes on (on refarch's local Temporal or a remote
   * one); 128 + SIGINT, as shells report an interrupted command.
   */
  public static final int DETACHED = 130;

  private ExitCodes() {}
}
