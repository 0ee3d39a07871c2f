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

  /**
   * The run's static summary, which the Web UI shows in its list and on the run's page: cloud,
   * cluster, region and the project, account or subscription, e.g. {@code gcp cluster gitpod in
   * us-central1 (project my-project)}.
   */
  public static String summary(ClusterSpec spec) {
    String owner =
        switch (spec.cloud()) {
          case GCP -> "project";
          case AWS -> "account";
          case AZURE -> "subscription";
        };
    return spec.cloud().id()
        + " cluster "
        + spec.name()
        + " in "
        + spec.region()
        + " ("
        + owner
        + " "
        + spec.owner()
        + ")";
  }
}
