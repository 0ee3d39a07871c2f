package io.refarch.cli.watch;

import io.refarch.workflow.Progress;
import io.refarch.workflow.StepProgress;
import io.refarch.workflow.StepState;
import java.util.List;
import java.util.Locale;

/** The step list of a run: state, elapsed time, attempt and last error of each step. */
public final class StepTable {
  private StepTable() {}

  /** A step with the server's attempt count and last failure folded in while it runs. */
  public record Row(StepProgress step, int attempt, String lastError) {}

  public static List<Row> rows(Snapshot s) {
    Progress p = s.progress();
    if (p == null) {
      return List.of();
    }
    return p.steps().stream().map(step -> row(step, p, s.running())).toList();
  }

  private static Row row(StepProgress step, Progress p, Snapshot.RunningActivity running) {
    boolean current =
        running != null && step.title().equals(p.currentStep()) && isActive(step.state());
    int attempt = step.attempt();
    String lastError = step.lastError();
    if (current) {
      attempt = Math.max(attempt, running.attempt());
      if (running.lastFailure() != null) {
        lastError = running.lastFailure();
      }
    }
    return new Row(step, attempt, lastError);
  }

  public static boolean isActive(StepState state) {
    return state == StepState.RUNNING || state == StepState.COMPENSATING;
  }

  public static String state(StepState state) {
    return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /**
   * The table as text lines. {@code spinner} marks the running step (a TTY passes a frame, a pipe
   * passes null and gets a plain word).
   */
  public static List<String> lines(Snapshot s, String spinner, int errorWidth) {
    TextTable table = new TextTable("", "#", "STEP", "STATE", "TIME", "ATTEMPT", "LAST ERROR");
    for (Row r : rows(s)) {
      StepProgress step = r.step();
      String mark =
          switch (step.state()) {
            case RUNNING, COMPENSATING -> spinner == null ? ">" : spinner;
            case SUCCEEDED, COMPENSATED -> "ok";
            case FAILED, COMPENSATION_FAILED -> "!!";
            case SKIPPED -> "-";
            case KEPT -> "=";
            case PENDING -> ".";
          };
      table.row(
          mark,
          step.id(),
          step.title(),
          state(step.state()),
          Durations.between(step.startedAt(), step.endedAt(), s.now()),
          r.attempt() > 1 ? String.valueOf(r.attempt()) : "",
          shorten(r.lastError(), errorWidth));
    }
    return table.lines("  ");
  }

  static String shorten(String text, int width) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= width
        ? oneLine
        : oneLine.substring(0, Math.max(0, width - 3)) + "...";
  }
}
