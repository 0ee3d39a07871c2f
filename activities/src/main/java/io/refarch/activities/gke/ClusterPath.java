package io.refarch.activities.gke;

import io.refarch.spec.ClusterSpec;

/** The GKE resource names of one cluster: projects/P/locations/L/clusters/C and below. */
public record ClusterPath(String project, String location, String cluster) {

  public static ClusterPath of(ClusterSpec spec) {
    return new ClusterPath(spec.gcp().project(), spec.region(), spec.name());
  }

  public String parent() {
    return "projects/" + project + "/locations/" + location;
  }

  public String name() {
    return parent() + "/clusters/" + cluster;
  }

  public String nodePool(String pool) {
    return name() + "/nodePools/" + pool;
  }

  /** Operations are named by their id under the location; GKE returns only the id. */
  public String operation(String operationId) {
    return operationId.startsWith("projects/")
        ? operationId
        : parent() + "/operations/" + operationId;
  }
}
