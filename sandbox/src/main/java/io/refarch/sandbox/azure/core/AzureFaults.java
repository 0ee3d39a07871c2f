package io.refarch.sandbox.azure.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refarch.sandbox.core.CloudError;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.FaultCatalog;
import io.refarch.sandbox.core.Json;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The faults Azure calls can be given: operations named as the REST operations are ({@code
 * PutManagedCluster}, {@code PutAgentPool}, {@code GetOperation}, {@code Token}, ...), the resource
 * the cluster or agent pool name (the resource group's for group calls), codes ARM's and AKS's,
 * e.g. {@code PutAgentPool:headlessws=QuotaExceeded} or {@code
 * GetManagedCluster=TooManyRequestsx3}.
 */
public final class AzureFaults implements FaultCatalog {

  public static final Set<String> OPERATIONS =
      Set.of(
          "PutResourceGroup",
          "GetResourceGroup",
          "DeleteResourceGroup",
          "PutManagedCluster",
          "GetManagedCluster",
          "ListManagedClusters",
          "DeleteManagedCluster",
          "ListClusterAdminCredential",
          "ListClusterUserCredential",
          "PutAgentPool",
          "GetAgentPool",
          "DeleteAgentPool",
          "ListAgentPools",
          "GetOperation",
          "ListKubernetesVersions",
          "ListUsages",
          "ListSkus",
          "Token",
          // Accepted, then the async operation ends Failed with the code (AKS reports quota and
          // capacity found while provisioning this way); the resource is left Failed.
          "PutManagedCluster.done",
          "DeleteManagedCluster.done",
          "PutAgentPool.done",
          "DeleteAgentPool.done");

  /** Each code's HTTP status, as ARM and AKS answer it. */
  public static final Map<String, Integer> CODES =
      new TreeMap<>(
          Map.of(
              "TooManyRequests", 429,
              "OperationNotAllowed", 409,
              "QuotaExceeded", 400,
              "SkuNotAvailable", 400,
              "AuthorizationFailed", 403,
              "InvalidParameter", 400,
              "BadRequest", 400,
              "InternalServerError", 500,
              "Conflict", 409,
              "ServiceUnavailable", 503));

  @Override
  public Set<String> operations() {
    return OPERATIONS;
  }

  @Override
  public void checkCode(Fault fault) {
    if (!CODES.containsKey(fault.code())) {
      throw new IllegalArgumentException(
          "unknown error code '"
              + fault.code()
              + "' in fault for "
              + fault.operation()
              + "; Azure faults take one of "
              + String.join(", ", CODES.keySet()));
    }
  }

  @Override
  public CloudError error(Fault fault, String resource) {
    String code = fault.code();
    int status = CODES.get(code);
    String on = resource == null ? "" : " on " + resource;
    if (fault.operation().equals("Token")) {
      // Entra's token endpoint answers in OAuth's words, not ARM's envelope.
      ObjectNode body = Json.object();
      body.put(
          "error", status == 429 || status >= 500 ? "temporarily_unavailable" : "invalid_request");
      body.put(
          "error_description",
          "AADSTS90000: Sandbox fault " + code + " injected for Token" + on + ".");
      body.putArray("error_codes").add(90000);
      ArmError error = ArmError.raw(status, code, body);
      return status == 429 ? error.header("Retry-After", "1") : error;
    }
    String message =
        switch (code) {
          case "TooManyRequests" ->
              "The request is being throttled as the limit has been reached for operation type - "
                  + fault.operation()
                  + ". For more information, see - https://aka.ms/srpthrottlinglimits";
          case "OperationNotAllowed" ->
              "Operation is not allowed: Another operation (Updating) is in progress, please wait"
                  + " for it to finish before starting a new operation. See"
                  + " https://aka.ms/aks-pending-operation for more details";
          case "QuotaExceeded" ->
              "Preflight validation check for resource(s) for container service"
                  + on
                  + " failed. Message: Operation could not be completed as it results in exceeding"
                  + " approved Total Regional Cores quota (sandbox fault).";
          case "SkuNotAvailable" ->
              "The requested VM size for resource"
                  + on
                  + " is currently not available in this location (sandbox fault). Please try"
                  + " another size or deploy to a different location or zones.";
          case "AuthorizationFailed" ->
              "The client '"
                  + "sandbox"
                  + "' does not have authorization to perform action '"
                  + fault.operation()
                  + "'"
                  + on
                  + " or the scope is invalid (sandbox fault).";
          default -> "Sandbox fault " + code + " injected for " + fault.operation() + on + ".";
        };
    ArmError error = new ArmError(status, code, message);
    return status == 429 ? error.header("Retry-After", "1") : error;
  }
}
