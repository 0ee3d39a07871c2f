package io.refarch.activities.acceptance;

import java.util.List;

/**
 * What provisioning {@code examples/gke.yaml} must do to the sandbox, written out by hand from the
 * 000 seed's procedure so that any change of order or any extra create fails a test.
 */
final class Seed {
  private Seed() {}

  static final String PROJECT = "projects/my-gcp-project";
  static final String CLUSTER = PROJECT + "/locations/us-central1/clusters/gitpod";
  static final String EMAIL = "gitpod-gke@my-gcp-project.iam.gserviceaccount.com";

  /** The seed's commands as requests: service account, role bindings, cluster, pools, RBAC. */
  static final List<String> MUTATIONS =
      List.of(
          "GRPC /google.iam.admin.v1.IAM/CreateServiceAccount",
          "POST /v3/" + PROJECT + ":setIamPolicy",
          "POST /v1/" + PROJECT + "/locations/us-central1/clusters",
          "DELETE /v1/" + CLUSTER + "/nodePools/default-pool",
          "POST /v1/" + CLUSTER + "/nodePools workload-services",
          "POST /v1/" + CLUSTER + "/nodePools workload-regular-workspaces",
          "POST /v1/" + CLUSTER + "/nodePools workload-headless-workspaces",
          "POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings");

  static final List<String> INVENTORY =
      List.of(
          "gcp " + PROJECT + "/serviceAccounts/" + EMAIL,
          "gcp " + PROJECT + " iam roles/storage.admin serviceAccount:" + EMAIL,
          "gcp " + PROJECT + " iam roles/logging.logWriter serviceAccount:" + EMAIL,
          "gcp " + PROJECT + " iam roles/monitoring.metricWriter serviceAccount:" + EMAIL,
          "gcp " + PROJECT + " iam roles/container.admin serviceAccount:" + EMAIL,
          "gke " + CLUSTER,
          "gke " + CLUSTER + "/nodePools/workload-services",
          "gke " + CLUSTER + "/nodePools/workload-regular-workspaces",
          "gke " + CLUSTER + "/nodePools/workload-headless-workspaces",
          "k8s gitpod clusterrolebindings/cluster-admin-binding");

  /** The resources a run creates, in the order it creates them (as the outcome names them). */
  static final List<String> CREATES_IN_ORDER =
      List.of(
          "service-account/gitpod-gke",
          "project-roles/gitpod-gke",
          "cluster/gitpod",
          "node-pool/workload-services",
          "node-pool/workload-regular-workspaces",
          "node-pool/workload-headless-workspaces",
          "cluster-role-binding/cluster-admin-binding");

  /**
   * A teardown's deletes, newest first; the cluster-admin binding dies with the cluster, so
   * teardown does not call the cluster's API.
   */
  static final List<String> DELETES_IN_ORDER =
      List.of(
          "node-pool/workload-headless-workspaces",
          "node-pool/workload-regular-workspaces",
          "node-pool/workload-services",
          "cluster/gitpod",
          "project-roles/gitpod-gke",
          "service-account/gitpod-gke");
}
