package io.refarch.workflow;

/** Where one step of a run stands. */
public enum StepState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Not run: a teardown skips what dies with the cluster, a failed run skips what follows. */
  SKIPPED,
  COMPENSATING,
  COMPENSATED,
  COMPENSATION_FAILED,
  /** Not deleted on purpose: not this run's or this cluster's, or still used by another cluster. */
  KEPT
}
