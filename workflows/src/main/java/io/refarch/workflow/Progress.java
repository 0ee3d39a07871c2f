package io.refarch.workflow;

import java.util.List;

/** What the {@code progress} query answers: the run's phase and every step. */
public record Progress(
    String cloud,
    String cluster,
    Phase phase,
    String currentStep,
    List<StepProgress> steps,
    List<String> created,
    List<String> deleted,
    List<ResourceFailure> notDeleted) {

  public enum Phase {
    RUNNING,
    COMPENSATING,
    SUCCEEDED,
    FAILED,
    CANCELLED
  }
}
