package io.refarch.cli.watch;

/** How a run's progress is shown while it goes. */
public interface ProgressView {
  void update(Snapshot snapshot);

  /** The run has closed; leave the screen as it is for the summary below. */
  default void done(Snapshot last) {
    update(last);
  }
}
