package io.refarch.cli.history;

import io.refarch.cli.watch.RunSummary;
import io.refarch.cli.watch.TextTable;
import io.refarch.workflow.ResourceFailure;
import java.io.PrintWriter;
import java.util.List;

/** {@code refarch history} as text. */
public final class AuditReport {
  private AuditReport() {}

  public static void print(PrintWriter out, RunAudit a) {
    out.println(a.workflowType() + " " + a.workflowId());
    out.println(
        "  run "
            + a.runId()
            + ", "
            + a.status()
            + (a.startedAt() == null ? "" : ", started " + a.startedAt())
            + (a.duration() == null ? "" : ", took " + a.duration()));
    if (a.failureType() != null || a.failureMessage() != null) {
      out.println(
          "  failure: "
              + (a.failureType() == null ? "" : a.failureType() + ": ")
              + a.failureMessage());
    }
    List<RunAudit.ActivityRecord> work =
        a.activities().stream().filter(r -> !r.compensation()).toList();
    List<RunAudit.ActivityRecord> undo =
        a.activities().stream().filter(RunAudit.ActivityRecord::compensation).toList();
    out.println();
    out.println("Steps:");
    table(work).forEach(out::println);
    if (!undo.isEmpty()) {
      out.println();
      out.println("Compensations, in the order they ran:");
      table(undo).forEach(out::println);
    }
    List<RunAudit.ActivityRecord> retried =
        a.activities().stream().filter(r -> r.lastRetriedFailure() != null).toList();
    if (!retried.isEmpty()) {
      out.println();
      out.println("Retries (the failure before the last attempt):");
      retried.forEach(
          r ->
              out.println(
                  "  " + r.number() + " " + r.activityType() + ": " + r.lastRetriedFailure()));
    }
    List<RunAudit.ActivityRecord> failed =
        a.activities().stream().filter(r -> r.failureMessage() != null).toList();
    if (!failed.isEmpty()) {
      out.println();
      out.println("Failures:");
      failed.forEach(
          r ->
              out.println(
                  "  "
                      + r.number()
                      + " "
                      + r.activityType()
                      + ": "
                      + r.failureType()
                      + ": "
                      + r.failureMessage()));
    }
    out.println();
    if (a.gaps().isEmpty()) {
      out.println("Gaps: none (no timers, no worker outage, no timed-out task)");
    } else {
      out.println("Gaps:");
      TextTable t = new TextTable("AT", "KIND", "DETAIL");
      a.gaps().forEach(g -> t.row(g.at(), g.kind(), g.detail()));
      t.lines("  ").forEach(out::println);
    }
    if (a.outcome() != null) {
      out.println();
      out.println("Outcome:");
      out.println("  created: " + String.join(", ", a.outcome().created()));
      if (!a.outcome().adopted().isEmpty()) {
        out.println("  adopted: " + String.join(", ", a.outcome().adopted()));
      }
      out.println("  deleted: " + String.join(", ", a.outcome().deleted()));
      for (ResourceFailure f : a.outcome().kept()) {
        out.println("  kept: " + f.resource() + ": " + f.reason());
      }
      out.println("  not deleted: " + (a.outcome().notDeleted().isEmpty() ? "none" : ""));
      for (ResourceFailure f : a.outcome().notDeleted()) {
        out.println("    " + f.resource() + ": " + f.reason());
      }
      if (a.outcome().kubeconfigPath() != null) {
        out.println("  kubeconfig: " + a.outcome().kubeconfigPath());
      }
      if (a.outcome().nodes() != null) {
        out.println("  nodes:");
        RunSummary.nodes(a.outcome().nodes()).forEach(l -> out.println("  " + l));
      }
    }
    out.flush();
  }

  private static List<String> table(List<RunAudit.ActivityRecord> records) {
    TextTable t = new TextTable("#", "STEP", "ACTIVITY", "INPUT", "ATTEMPTS", "TOOK", "RESULT");
    for (RunAudit.ActivityRecord r : records) {
      t.row(
          String.valueOf(r.number()),
          r.step(),
          r.activityType(),
          r.input(),
          String.valueOf(r.attempts()),
          r.duration() == null ? "" : r.duration(),
          r.result() + (r.failureType() == null ? "" : " (" + r.failureType() + ")"));
    }
    return t.lines("  ");
  }
}
