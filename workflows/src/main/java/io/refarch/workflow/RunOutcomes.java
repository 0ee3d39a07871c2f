package io.refarch.workflow;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.Procedure.Provisioned;
import java.util.stream.Collectors;

/** Builds the outcome of a run and the one-line summary the UI shows as the failure message. */
final class RunOutcomes {
  private RunOutcomes() {}

  static RunOutcome of(ClusterSpec spec, Run run, Throwable failure, Provisioned done) {
    Progress p = run.progress();
    return new RunOutcome(
        p.phase(),
        run.failedStep(),
        failure == null ? null : Failures.message(failure),
        failure == null ? null : Failures.type(failure),
        p.created(),
        p.deleted(),
        p.notDeleted(),
        done == null || done.kubeconfig() == null ? null : done.kubeconfig().path(),
        done == null ? null : done.nodes(),
        p.adopted(),
        p.kept(),
        done != null && p.phase() == Progress.Phase.SUCCEEDED
            ? RunOutcome.kubeconfigCommand(spec)
            : null);
  }

  static String summary(RunOutcome o) {
    StringBuilder s = new StringBuilder();
    if (o.failedStep() != null) {
      s.append("step '")
          .append(o.failedStep())
          .append("' failed: ")
          .append(o.errorType())
          .append(": ")
          .append(o.error())
          .append("; ");
    }
    s.append("created ").append(o.created().size());
    if (!o.adopted().isEmpty()) {
      s.append(", adopted ").append(o.adopted().size());
    }
    s.append(", deleted ").append(o.deleted().size());
    if (!o.kept().isEmpty()) {
      s.append(", kept ").append(withReasons(o.kept()));
    }
    if (!o.notDeleted().isEmpty()) {
      s.append(", NOT deleted ").append(withReasons(o.notDeleted()));
    } else if (o.deleted().size() + o.kept().size() < o.created().size()) {
      s.append(", kept ")
          .append(o.created().size() - o.deleted().size() - o.kept().size())
          .append(" for inspection (keepOnFailure)");
    }
    return s.toString();
  }

  private static String withReasons(java.util.List<ResourceFailure> resources) {
    return resources.stream()
        .map(f -> f.resource() + " (" + f.reason() + ")")
        .collect(Collectors.joining(", "));
  }
}
