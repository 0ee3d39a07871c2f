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
  COMPENSATION_FAILED
}
