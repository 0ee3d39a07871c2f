package io.refarch.cli;

import java.time.Duration;

/**
 * Counts the Ctrl-Cs a command receives, so it can tell the first (detach, or cancel an in-process
 * run) from the second (cancel, or leave). The real process takes SIGINT over from the JVM (which
 * would otherwise run its shutdown hooks and exit); tests press it with {@link #press}.
 */
public final class Interrupts {
  private int count;

  /** Ctrl-C: one more press. */
  public synchronized void press() {
    count++;
    notifyAll();
  }

  public synchronized int count() {
    return count;
  }

  /**
   * Waits until at least {@code presses} Ctrl-Cs came, at most {@code within}; true if they did.
   */
  public synchronized boolean await(int presses, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (count < presses) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /**
   * SIGINT presses this instead of stopping the JVM, until the returned handle is closed. Uses
   * sun.misc.Signal (jdk.unsupported), the one way a Java program can survive a Ctrl-C.
   */
  @SuppressWarnings("removal")
  AutoCloseable catchSigint() {
    sun.misc.Signal sigint = new sun.misc.Signal("INT");
    sun.misc.SignalHandler previous = sun.misc.Signal.handle(sigint, s -> press());
    return () -> sun.misc.Signal.handle(sigint, previous);
  }
}
