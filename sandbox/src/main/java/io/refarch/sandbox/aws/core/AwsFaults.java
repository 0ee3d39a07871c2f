package io.refarch.sandbox.aws.core;

import io.refarch.sandbox.core.CloudError;
import io.refarch.sandbox.core.Fault;
import io.refarch.sandbox.core.FaultCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The faults AWS calls can be given: operations by their AWS names (CreateNodegroup,
 * DescribeCluster, CreateVpc, CreateRole, ...), codes as AWS's error codes (ThrottlingException,
 * ResourceLimitExceeded, RequestLimitExceeded, Throttling, ...). A code without its "Exception"
 * suffix is taken with it for the services whose codes carry one (EKS, SSM, Service Quotas), so
 * {@code CreateNodegroup=ResourceLimitExceeded} answers EKS's ResourceLimitExceededException. The
 * resource is the target's name or id: the cluster or node group name, the role name, the VPC,
 * subnet or gateway id, or the Name tag the call gives.
 */
public final class AwsFaults implements FaultCatalog {

  private final Map<String, String> serviceByOperation = new HashMap<>();

  /** Registers a service's operations under its signing name (ec2, iam, sts, eks, ssm, ...). */
  public AwsFaults with(String service, Set<String> operations) {
    operations.forEach(o -> serviceByOperation.put(o, service));
    return this;
  }

  @Override
  public Set<String> operations() {
    return serviceByOperation.keySet();
  }

  @Override
  public void checkCode(Fault fault) {
    if (fault.code() == null || !fault.code().matches("[A-Z][A-Za-z_]*")) {
      throw new IllegalArgumentException(
          "unknown error code '"
              + fault.code()
              + "' in fault for "
              + fault.operation()
              + "; use an AWS error code such as ThrottlingException or ResourceLimitExceeded");
    }
  }

  @Override
  public CloudError error(Fault fault, String resource) {
    String service = serviceByOperation.get(fault.operation());
    String code = fault.code();
    boolean suffixed =
        service.equals("eks") || service.equals("ssm") || service.equals("servicequotas");
    if (suffixed && !code.endsWith("Exception") && !code.equals("InternalServerError")) {
      code = code + "Exception";
    }
    String message =
        "Sandbox fault "
            + code
            + " injected for "
            + fault.operation()
            + (resource == null ? "" : " on " + resource)
            + ".";
    if (code.startsWith("Throttl") || code.equals("RequestLimitExceeded")) {
      message = "Rate exceeded";
    }
    return new AwsError(status(service, code), code, message);
  }

  /** The HTTP status AWS gives the code, per the service models and AWS's error docs. */
  private static int status(String service, String code) {
    return switch (code) {
      case "ResourceInUseException", "EntityAlreadyExists", "DeleteConflict", "LimitExceeded" ->
          409;
      case "ResourceNotFoundException", "NoSuchEntity" -> 404;
      case "ServerException",
          "InternalFailure",
          "InternalError",
          "ServiceFailure",
          "InternalServerError" ->
          500;
      case "ServiceUnavailableException",
          "ServiceUnavailable",
          "Unavailable",
          "RequestLimitExceeded" ->
          503;
      case "ThrottlingException", "TooManyRequestsException" -> service.equals("eks") ? 429 : 400;
      default -> 400;
    };
  }
}
