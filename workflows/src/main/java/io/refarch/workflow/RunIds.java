package io.refarch.workflow;

import io.refarch.spec.ClusterSpec;

/**
 * Workflow ids and the task queue. The id is derived from cloud, owner, region and cluster name,
 * and provisioning and teardown share it, so two runs for one cluster cannot run at once.
 */
public final class RunIds {
  public static final String TASK_QUEUE = "refarch";

  private RunIds() {}

  public static String workflowId(ClusterSpec spec) {
    return "refarch/"
        + spec.cloud().id()
        + "/"
        + spec.owner()
        + "/"
        + spec.region()
        + "/"
        + spec.name();
  }
}
