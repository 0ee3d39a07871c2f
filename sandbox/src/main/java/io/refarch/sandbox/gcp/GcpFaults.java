package io.refarch.sandbox.gcp;

import io.grpc.Status;
import io.refarch.sandbox.core.CloudError;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.FaultCatalog;
import java.util.Set;

/**
 * The faults GCP calls can be given: IAM, project policy, GKE and operation methods, with gRPC
 * status names as codes. With ".done" (createCluster.done, createNodePool.done, deleteCluster.done,
 * deleteNodePool.done) the call succeeds and its operation fails instead. The resource is the
 * target's short name: service account id, cluster or node pool name, project id for policies,
 * operation id or its target's name for getOperation, the location for getServerConfig, the API
 * (container.googleapis.com) for getService, the region for getRegion.
 */
public final class GcpFaults implements FaultCatalog {

  private static final Set<String> OPERATIONS =
      Set.of(
          "createServiceAccount",
          "getServiceAccount",
          "deleteServiceAccount",
          "listServiceAccounts",
          "getIamPolicy",
          "setIamPolicy",
          "createCluster",
          "getCluster",
          "listClusters",
          "deleteCluster",
          "createNodePool",
          "getNodePool",
          "listNodePools",
          "deleteNodePool",
          "getOperation",
          "listOperations",
          // What refarch's preflight reads.
          "getServerConfig",
          "getService",
          "getRegion",
          // The call is accepted; its operation ends DONE with the error and the resource in ERROR.
          "createCluster.done",
          "deleteCluster.done",
          "createNodePool.done",
          "deleteNodePool.done");

  @Override
  public Set<String> operations() {
    return OPERATIONS;
  }

  @Override
  public void checkCode(Fault fault) {
    Status.Code code;
    try {
      code = Status.Code.valueOf(fault.code());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "unknown status code '"
              + fault.code()
              + "' in fault for "
              + fault.operation()
              + "; use a gRPC status name such as RESOURCE_EXHAUSTED or UNAVAILABLE");
    }
    if (code == Status.Code.OK) {
      throw new IllegalArgumentException("status code OK is not a fault");
    }
  }

  /** Messages as GCP words them for the statuses people meet in practice. */
  @Override
  public CloudError error(Fault fault, String resource) {
    Status.Code code = Status.Code.valueOf(fault.code());
    String message =
        switch (code) {
          case RESOURCE_EXHAUSTED ->
              "Insufficient regional quota to satisfy request: resource \"CPUS\": request requires"
                  + " '16.0' and is short '8.0'. project has a quota of '24.0' with '8.0' available."
                  + " View and manage quotas at https://console.cloud.google.com/iam-admin/quotas.";
          case UNAVAILABLE -> "The service is currently unavailable.";
          case DEADLINE_EXCEEDED -> "Deadline expired before operation could complete.";
          case PERMISSION_DENIED -> "The caller does not have permission";
          case INTERNAL -> "Internal error encountered.";
          default ->
              "Sandbox fault "
                  + code
                  + " injected for "
                  + fault.operation()
                  + (resource == null ? "" : " on " + resource)
                  + ".";
        };
    return new GoogleApiError(code, message);
  }
}
