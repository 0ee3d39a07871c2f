package io.refarch.activities.acceptance;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something a run does in the background; fails the test rather than hang it. */
final class Await {
  private Await() {}

  static void until(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
