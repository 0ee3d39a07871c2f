package io.refarch.workflow.kubernetes;

import io.refarch.spec.Cloud;
import io.refarch.spec.ClusterSpec;
import java.util.List;

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

  /**
   * The cluster a run's workflow id names ({@code refarch/<cloud>/<owner>/<region>/<name>}, see
   * {@link io.refarch.workflow.RunIds#workflowId}).
   *
   * @throws IllegalArgumentException saying what is wrong with the id
   */
  public static ClusterRef ofWorkflowId(String id) {
    String[] parts = id == null ? new String[0] : id.split("/", -1);
    if (parts.length != 5 || !parts[0].equals("refarch")) {
      throw new IllegalArgumentException(
          "'" + id + "' is not a run id: expected refarch/<cloud>/<owner>/<region>/<name>");
    }
    Cloud cloud;
    try {
      cloud = Cloud.of(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + id + "': cloud '" + parts[1] + "' " + e.getMessage());
    }
    for (int i = 2; i < 5; i++) {
      if (parts[i].isBlank()) {
        throw new IllegalArgumentException(
            "'" + id + "': " + List.of("owner", "region", "name").get(i - 2) + " is empty");
      }
    }
    return new ClusterRef(cloud, parts[2], parts[3], parts[4]);
  }

  @Override
  public String toString() {
    return cloud.id() + " cluster " + owner + "/" + region + "/" + name;
  }
}
