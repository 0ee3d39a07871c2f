package io.refarch.workflow;

/** A step as {@code refarch plan} shows it, in order. */
public record PlannedStep(int number, String title, String resource, String request, Kind kind) {

  public enum Kind {
    /** A cloud resource: created now, deleted on failure and by teardown. */
    CREATE,
    /** An in-cluster object: created now, deleted on failure; goes with the cluster. */
    CREATE_IN_CLUSTER,
    /** Nothing to undo. */
    PERFORM
  }
}
