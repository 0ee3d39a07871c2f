package io.refarch.workflow;

import io.refarch.spec.ClusterSpec;
import io.refarch.workflow.kubernetes.KubeconfigRef;
import io.refarch.workflow.kubernetes.NodeReport;

/** A cloud's numbered procedure, as the reference architecture's manual gives it. */
public interface Procedure {

  /** Declares and (depending on the mode of {@code steps}) runs every step in order. */
  Provisioned run(ClusterSpec spec, Steps steps);

  /** What a finished provisioning leaves for the user. Null fields in plan and teardown modes. */
  record Provisioned(KubeconfigRef kubeconfig, NodeReport nodes) {}
}
