package io.refarch.workflow;

/**
 * One step as the {@code progress} query shows it. Times are ISO-8601 instants from the workflow's
 * clock. {@code attempt} is Temporal's attempt number of the step's activity, as the worker's
 * {@link AttemptReporter} reports each retry (1 until a retry starts).
 */
public record StepProgress(
    String id,
    String title,
    String resource,
    StepState state,
    int attempt,
    String startedAt,
    String endedAt,
    String lastError) {}
