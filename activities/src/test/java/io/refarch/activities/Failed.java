package io.refarch.activities;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.failure.ApplicationFailure;

/** Unwraps the ApplicationFailure an activity raised, however the call reached it. */
public final class Failed {
  private Failed() {}

  public static ApplicationFailure failure(Throwable thrown) {
    Throwable t = thrown;
    while (t != null && !(t instanceof ApplicationFailure)) {
      t = t.getCause();
    }
    assertThat(t).as("an ApplicationFailure in " + thrown).isNotNull();
    return (ApplicationFailure) t;
  }

  /** Runs {@code call}, expecting it to fail with an ApplicationFailure. */
  public static ApplicationFailure of(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return failure(e);
    }
    throw new AssertionError("expected the call to fail");
  }
}
