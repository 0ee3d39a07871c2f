package io.refarch.workflow;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.kubernetes.NodeReport;
import java.util.List;

/**
 * The end of a run: what was created, what was adopted (existed and matched), what was deleted (by
 * compensation or teardown), what was kept because it was not this run's or is shared (and why),
 * what could not be deleted and why, and for a successful provisioning the node table and how to
 * get a kubeconfig.
 *
 * @param kubeconfigPath where runs of older versions wrote a kubeconfig on a worker; null since
 *     runs write none
 * @param kubeconfigCommand for a successful provisioning, the command that writes a kubeconfig on
 *     the user's machine ({@code refarch kubeconfig refarch/gcp/P/R/NAME}, by the run's workflow
 *     id); null in outcomes of older runs
 */
public record RunOutcome(
    Progress.Phase result,
    String failedStep,
    String error,
    String errorType,
    List<String> created,
    List<String> deleted,
    List<ResourceFailure> notDeleted,
    String kubeconfigPath,
    NodeReport nodes,
    List<String> adopted,
    List<ResourceFailure> kept,
    String kubeconfigCommand) {

  /**
   * What a successful provisioning says about the kubeconfig: the command for its cluster, named by
   * the run's workflow id, which any user of the server can copy (no spec file needed).
   */
  public static String kubeconfigCommand(ClusterSpec spec) {
    return "refarch kubeconfig " + RunIds.workflowId(spec);
  }

  /** Outcomes recorded before adoption was reported have no such lists. */
  public RunOutcome {
    adopted = adopted == null ? List.of() : adopted;
    kept = kept == null ? List.of() : kept;
  }
}
