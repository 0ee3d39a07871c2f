package io.refarch.cli.watch;

import io.refarch.workflow.Progress;
import io.refarch.workflow.StepProgress;
import io.refarch.workflow.StepState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** For logs and pipes (CI): one line per change of a step's state or attempt, never a redraw. */
public final class LineView implements ProgressView {
  private final PrintWriter out;
  private final Instant start;
  private final Map<String, String> seen = new HashMap<>();
  private boolean compensating;
  private static final java.util.Set<StepState> UNDO =
      java.util.EnumSet.of(
          StepState.COMPENSATING, StepState.COMPENSATED, StepState.COMPENSATION_FAILED);

  public LineView(PrintWriter out, Instant start) {
    this.out = out;
    this.start = start;
  }

  @Override
  public void update(Snapshot s) {
    Progress p = s.progress();
    if (p == null) {
      return;
    }
    int total = p.steps().size();
    List<StepTable.Row> rows = StepTable.rows(s);
    // Work goes first to last, its undo last to first: lines come in the order things happened.
    rows.stream().filter(r -> !UNDO.contains(r.step().state())).forEach(r -> report(s, r, total));
    List<StepTable.Row> undo =
        new ArrayList<>(rows.stream().filter(r -> UNDO.contains(r.step().state())).toList());
    Collections.reverse(undo);
    undo.forEach(r -> report(s, r, total));
    out.flush();
  }

  private void report(Snapshot s, StepTable.Row r, int total) {
    StepProgress step = r.step();
    if (step.state() == StepState.PENDING) {
      return;
    }
    String key = step.state() + "/" + r.attempt() + "/" + Objects.toString(r.lastError(), "");
    String before = seen.put(step.id(), key);
    if (key.equals(before)) {
      return;
    }
    if (UNDO.contains(step.state())) {
      if (!compensating) {
        compensating = true;
        print(s, "compensating: deleting what this run created, last created first");
      }
      // Polling can miss how the step ended before its undo began; the undo implies it.
      if (before == null
          || !(before.startsWith("SUCCEEDED")
              || before.startsWith("FAILED")
              || before.startsWith("COMPENSAT"))) {
        boolean failed = step.lastError() != null;
        print(
            s,
            prefix(step, total)
                + (failed
                    ? "failed (" + StepTable.shorten(step.lastError(), 200) + ")"
                    : "succeeded"));
      }
    }
    StringBuilder line =
        new StringBuilder(prefix(step, total)).append(StepTable.state(step.state()));
    if (!StepTable.isActive(step.state()) && step.state() != StepState.SKIPPED) {
      line.append(" in ").append(Durations.between(step.startedAt(), step.endedAt(), s.now()));
    }
    if (r.attempt() > 1) {
      line.append(", attempt ").append(r.attempt());
    }
    if (r.lastError() != null
        && (step.state() == StepState.FAILED
            || step.state() == StepState.COMPENSATION_FAILED
            || step.state() == StepState.KEPT)) {
      line.append(" (").append(StepTable.shorten(r.lastError(), 200)).append(')');
    } else if (r.lastError() != null && StepTable.isActive(step.state())) {
      line.append(" (last error: ").append(StepTable.shorten(r.lastError(), 200)).append(')');
    }
    print(s, line.toString());
  }

  private static String prefix(StepProgress step, int total) {
    return "step " + step.id() + "/" + total + " " + step.title() + ": ";
  }

  private void print(Snapshot s, String text) {
    out.printf("[%7s] %s%n", Durations.format(Duration.between(start, s.now())), text);
  }
}
