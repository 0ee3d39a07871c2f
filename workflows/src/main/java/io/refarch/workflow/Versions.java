package io.refarch.workflow;

import io.temporal.workflow.Workflow;

/**
 * Which side of a versioned change of a procedure a run takes. Inside a workflow it is {@link
 * Workflow#getVersion}: runs recorded before the change replay their old steps; a plan outside any
 * workflow shows what a new run does.
 */
@FunctionalInterface
public interface Versions {
  /** What runs recorded before a change get. */
  int BEFORE = Workflow.DEFAULT_VERSION;

  int of(String changeId, int newest);

  /** The newest of every change: plans, and procedures run outside a workflow. */
  static Versions newest() {
    return (changeId, newest) -> newest;
  }

  /** Recorded in (or read back from) the workflow's history, once per change id. */
  static Versions ofWorkflow() {
    return (changeId, newest) -> Workflow.getVersion(changeId, BEFORE, newest);
  }
}
