package io.refarch.cli.watch;

import io.refarch.workflow.Progress;
import java.io.PrintWriter;
import java.util.List;

/** For a terminal: the whole step list, redrawn in place with a spinner on the running step. */
public final class TtyView implements ProgressView {
  private static final String[] SPINNER = {"|", "/", "-", "\\"};
  private final PrintWriter out;
  private int drawn;
  private int frame;

  public TtyView(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void update(Snapshot s) {
    draw(s, SPINNER[frame++ % SPINNER.length]);
  }

  /** The live table goes; the summary below repeats it, final, in the scrollback. */
  @Override
  public void done(Snapshot last) {
    if (drawn > 0) {
      out.print("\033[" + drawn + "F\033[J");
      out.flush();
      drawn = 0;
    }
  }

  private void draw(Snapshot s, String spinner) {
    List<String> lines = new java.util.ArrayList<>();
    Progress p = s.progress();
    lines.add(
        p == null
            ? "  starting..."
            : "  "
                + p.phase().name().toLowerCase()
                + (p.currentStep() == null ? "" : ": " + p.currentStep()));
    lines.addAll(StepTable.lines(s, spinner, 60));
    StringBuilder b = new StringBuilder();
    if (drawn > 0) {
      b.append("\033[").append(drawn).append('F'); // back to the first line drawn last time
    }
    for (String line : lines) {
      b.append("\033[2K").append(line).append('\n');
    }
    b.append("\033[J"); // clear whatever the previous, longer drawing left below
    out.print(b);
    out.flush();
    drawn = lines.size();
  }
}
