package io.refarch.workflow;

import io.temporal.workflow.Workflow;

/** Keeps the run's current-step search attribute up to date, so runs can be found by step. */
final class RunAttributes {
  private RunAttributes() {}

  static void currentStep(String title) {
    Workflow.upsertTypedSearchAttributes(RunSearchAttributes.STEP.valueSet(title));
  }
}
