package io.refarch.workflow;

import java.util.List;

/**
 * What the {@code progress} query answers: the run's phase and every step; what it created (its own
 * to delete), adopted (found existing and matching: never deleted by a failed run), deleted, kept
 * (not its own or shared; with the reason), and could not delete.
 */
public record Progress(
    String cloud,
    String cluster,
    Phase phase,
    String currentStep,
    List<StepProgress> steps,
    List<String> created,
    List<String> deleted,
    List<ResourceFailure> notDeleted,
    List<String> adopted,
    List<ResourceFailure> kept) {

  /** Progress saved before adoption was reported has no such lists. */
  public Progress {
    adopted = adopted == null ? List.of() : adopted;
    kept = kept == null ? List.of() : kept;
  }

  public enum Phase {
    RUNNING,
    COMPENSATING,
    SUCCEEDED,
    FAILED,
    CANCELLED
  }
}
