package io.refarch.cli.watch;

import io.refarch.workflow.Progress;
import io.refarch.workflow.ResourceFailure;
import io.refarch.workflow.RunOutcome;
import io.refarch.workflow.StepProgress;
import io.refarch.workflow.StepState;
import io.refarch.workflow.kubernetes.NodeReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** What a finished run did: the end of {@code up} and {@code down}, and of {@code status}. */
public final class RunSummary {
  private RunSummary() {}

  /**
   * Compensation runs last created first, and a compensated step's start time is its delete's. The
   * times are compared as instants, not as text: {@code Instant.toString} drops a zero fraction, so
   * {@code 10:00:05Z} would sort after {@code 10:00:05.120Z}. Equal times keep last created first.
   */
  static final Comparator<StepProgress> COMPENSATION_ORDER =
      Comparator.comparing(
              (StepProgress s) ->
                  s.startedAt() == null ? Instant.MIN : Instant.parse(s.startedAt()))
          .thenComparing(s -> -Integer.parseInt(s.id()));

  /**
   * @param result SUCCEEDED, FAILED, CANCELLED or another final word (TERMINATED, TIMED_OUT)
   * @param outcome what the workflow returned or attached to its failure; null when it could not
   */
  public static void print(
      PrintWriter out, String result, RunOutcome outcome, Snapshot last, String error) {
    print(out, result, outcome, last, error, null);
  }

  /**
   * @param kubeconfigCommand the command that writes this run's kubeconfig, spelled with the spec
   *     file and flags the caller knows; null: the outcome's generic one
   */
  public static void print(
      PrintWriter out,
      String result,
      RunOutcome outcome,
      Snapshot last,
      String error,
      String kubeconfigCommand) {
    Progress progress = last == null ? null : last.progress();
    out.println();
    if (progress != null) {
      out.println("Steps:");
      StepTable.lines(last, null, 80).forEach(out::println);
      out.println();
    }
    out.println("Result: " + result);
    if (outcome != null && outcome.failedStep() != null) {
      out.println("Failed step: " + outcome.failedStep());
    }
    if (outcome != null && outcome.errorType() != null) {
      out.println("Error: " + outcome.errorType() + ": " + outcome.error());
    } else if (error != null) {
      out.println("Error: " + error);
    }
    if (progress != null) {
      List<StepProgress> undone =
          progress.steps().stream()
              .filter(
                  s ->
                      s.state() == StepState.COMPENSATED
                          || s.state() == StepState.COMPENSATION_FAILED
                          || s.state() == StepState.COMPENSATING
                          || s.state() == StepState.KEPT)
              .sorted(COMPENSATION_ORDER)
              .toList();
      if (!undone.isEmpty()) {
        out.println("Compensations, in the order they ran:");
        TextTable t = new TextTable();
        for (StepProgress s : undone) {
          t.row(
              StepTable.state(s.state()),
              s.resource(),
              s.state() == StepState.COMPENSATION_FAILED || s.state() == StepState.KEPT
                  ? s.lastError()
                  : "");
        }
        t.lines("  ").forEach(out::println);
      }
    }
    List<String> created =
        outcome != null ? outcome.created() : progress != null ? progress.created() : null;
    List<String> deleted =
        outcome != null ? outcome.deleted() : progress != null ? progress.deleted() : null;
    List<ResourceFailure> notDeleted =
        outcome != null ? outcome.notDeleted() : progress != null ? progress.notDeleted() : null;
    List<String> adopted =
        outcome != null ? outcome.adopted() : progress != null ? progress.adopted() : List.of();
    List<ResourceFailure> kept =
        outcome != null ? outcome.kept() : progress != null ? progress.kept() : List.of();
    if (created != null) {
      list(out, "Created", created);
      if (!adopted.isEmpty()) {
        // Found existing and matching: a failed run never deletes these.
        list(out, "Adopted (existed before this run)", adopted);
      }
      list(out, "Deleted", deleted);
      if (!kept.isEmpty()) {
        out.println("Kept (not this run's or this cluster's, or shared):");
        kept.forEach(f -> out.println("  " + f.resource() + ": " + f.reason()));
      }
      out.println("Not deleted: " + (notDeleted.isEmpty() ? "none" : ""));
      notDeleted.forEach(f -> out.println("  " + f.resource() + ": " + f.reason()));
      if (!created.isEmpty()
          && notDeleted.isEmpty()
          && created.size() > deleted.size() + kept.size()
          && !"SUCCEEDED".equals(result)) {
        out.println(
            "Left for inspection (keepOnFailure): "
                + (created.size() - deleted.size())
                + " resources");
      }
    }
    if (outcome != null && outcome.kubeconfigCommand() != null) {
      out.println(
          "Kubeconfig: "
              + (kubeconfigCommand != null ? kubeconfigCommand : outcome.kubeconfigCommand())
              + " (writes one on this machine)");
    } else if (outcome != null && outcome.kubeconfigPath() != null) {
      // A run of an older refarch, which wrote one on its worker.
      out.println("Kubeconfig: " + outcome.kubeconfigPath() + " (on the worker that ran the run)");
    }
    if (outcome != null && outcome.nodes() != null) {
      out.println("Nodes:");
      nodes(outcome.nodes()).forEach(out::println);
    }
    out.flush();
  }

  private static void list(PrintWriter out, String label, List<String> items) {
    out.println(label + " (" + items.size() + "):" + (items.isEmpty() ? " none" : ""));
    items.forEach(i -> out.println("  " + i));
  }

  /**
   * The seed's {@code kubectl get nodes -o custom-columns=...} table, with pool and check result.
   */
  public static List<String> nodes(NodeReport report) {
    TextTable t =
        new TextTable(
            "NAME",
            "POOL",
            "READY",
            "RUNTIME",
            "MAXPODS",
            "KERNEL",
            "OSIMAGE",
            "K8S",
            "PROVIDERID",
            "PROBLEMS");
    for (NodeReport.Node n : report.nodes()) {
      t.row(
          n.name(),
          n.pool(),
          n.ready() ? "yes" : "no",
          n.runtime(),
          n.maxPods(),
          n.kernel(),
          n.osImage(),
          n.kubelet(),
          n.providerId(),
          n.problems().isEmpty() ? "none" : String.join("; ", n.problems()));
    }
    return t.lines("  ");
  }
}
