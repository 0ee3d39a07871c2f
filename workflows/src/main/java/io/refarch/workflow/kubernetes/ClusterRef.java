package io.refarch.workflow.kubernetes;

import io.refarch.spec.Cloud;
import io.refarch.spec.ClusterSpec;

/**
 * Which cluster an in-cluster step talks to: coordinates only. Each attempt of the step asks the
 * cloud for the endpoint and CA and the worker's own credential chain for a fresh token, so no
 * file, token or certificate travels through the workflow, and any worker can run the step.
 *
 * @param owner the GCP project, AWS account or Azure subscription
 */
public record ClusterRef(Cloud cloud, String owner, String region, String name) {

  public static ClusterRef of(ClusterSpec spec) {
    return new ClusterRef(spec.cloud(), spec.owner(), spec.region(), spec.name());
  }

  @Override
  public String toString() {
    return cloud.id() + " cluster " + owner + "/" + region + "/" + name;
  }
}
