package io.refarch.workflow;

/**
 * One step as the {@code progress} query shows it. Times are ISO-8601 instants from the
 * workflow's clock; {@code attempt} counts the times the workflow scheduled the step (the
 * server-side retries of a running activity are shown by {@code refarch status} from the
 * server's pending-activity view, and by {@code refarch history}).
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
