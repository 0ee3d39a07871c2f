package io.refarch.cli.watch;

import io.refarch.workflow.Progress;
import io.refarch.workflow.StepProgress;
import io.refarch.workflow.StepState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** For logs and pipes (CI): one line per change of a step's state or attempt, never a redraw. */
public final class LineView implements ProgressView {
  private final PrintWriter out;
  private final Instant start;
  private final Map<String, String> seen = new HashMap<>();
  private Progress.Phase phase;

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
    if (p.phase() != phase) {
      if (p.phase() == Progress.Phase.COMPENSATING) {
        print(s, "compensating: deleting what this run created, last created first");
      }
      phase = p.phase();
    }
    int total = p.steps().size();
    for (StepTable.Row r : StepTable.rows(s)) {
      StepProgress step = r.step();
      if (step.state() == StepState.PENDING) {
        continue;
      }
      String key = step.state() + "/" + r.attempt() + "/" + Objects.toString(r.lastError(), "");
      if (key.equals(seen.put(step.id(), key))) {
        continue;
      }
      StringBuilder line = new StringBuilder()
          .append("step ").append(step.id()).append('/').append(total).append(' ')
          .append(step.title()).append(": ").append(StepTable.state(step.state()));
      if (!StepTable.isActive(step.state()) && step.state() != StepState.SKIPPED) {
        line.append(" in ").append(Durations.between(step.startedAt(), step.endedAt(), s.now()));
      }
      if (r.attempt() > 1) {
        line.append(", attempt ").append(r.attempt());
      }
      if (r.lastError() != null && step.state() != StepState.SUCCEEDED) {
        line.append(" (").append(step.state() == StepState.FAILED || step.state() == StepState.COMPENSATION_FAILED
            ? "" : "last error: ").append(StepTable.shorten(r.lastError(), 200)).append(')');
      }
      print(s, line.toString());
    }
    out.flush();
  }

  private void print(Snapshot s, String text) {
    out.printf("[%7s] %s%n", Durations.format(Duration.between(start, s.now())), text);
  }
}
