package io.refarch.activities.eks;

import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns an AWS error into the failure Temporal acts on, with the same types as GKE's {@code
 * CloudErrors}: retried when waiting helps (throttling, an unavailable service, a resource busy
 * with another change), not retried when only a person can (a quota, a missing permission, a bad
 * parameter, credentials AWS rejects). EC2 and IAM speak Query/XML, EKS REST/JSON; both give an
 * error code, which is what this reads ({@code CloudErrorsTableTest}'s twin is {@code
 * AwsErrorsTest}).
 */
public final class AwsErrors {
  /** A request-rate limit; AWS's SDK already backed off, so the next attempt waits longer. */
  static final Duration RATE_LIMIT_DELAY = Duration.ofSeconds(20);

  private static final Set<String> THROTTLING =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "RequestLimitExceeded",
          "TooManyRequestsException",
          "RequestThrottled",
          "RequestThrottledException",
          "SlowDown",
          "PriorRequestNotComplete");

  private static final Set<String> UNAVAILABLE =
      Set.of(
          "ServiceUnavailable",
          "ServiceUnavailableException",
          "Unavailable",
          "InternalError",
          "InternalFailure",
          "InternalServiceError",
          "ServerException",
          "RequestTimeout",
          "RequestTimeoutException",
          "IDPCommunicationError");

  /** Another change runs on the resource (EKS: an update in progress, a node group still there). */
  private static final Set<String> BUSY =
      Set.of(
          "ResourceInUseException",
          "ConcurrentModification",
          "ConcurrentModificationException",
          "ConflictException",
          "IncorrectState",
          "IncorrectInstanceState",
          "DeleteConflict");

  private static final Set<String> QUOTA =
      Set.of(
          "ResourceLimitExceeded",
          "ResourceLimitExceededException",
          "LimitExceeded",
          "LimitExceededException",
          "AddressLimitExceeded",
          "VpcLimitExceeded",
          "NatGatewayLimitExceeded",
          "InternetGatewayLimitExceeded",
          "RouteTableLimitExceeded",
          "SecurityGroupLimitExceeded",
          "InsufficientInstanceCapacity",
          "InsufficientCapacity",
          "InsufficientCapacityException",
          "InsufficientFreeAddressesInSubnet",
          "VcpuLimitExceeded",
          "MaxIOPSLimitExceeded",
          "VolumeLimitExceeded",
          "ServiceQuotaExceededException");

  private static final Set<String> DENIED =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnauthorizedOperation",
          "UnauthorizedException",
          "OptInRequired",
          "Blocked");

  /** The worker's credentials themselves are refused: a person must fix the worker's setup. */
  private static final Set<String> REJECTED_CREDENTIALS =
      Set.of(
          "AuthFailure",
          "InvalidClientTokenId",
          "UnrecognizedClientException",
          "SignatureDoesNotMatch",
          "IncompleteSignature",
          "InvalidAccessKeyId",
          "ExpiredToken",
          "ExpiredTokenException",
          "MissingAuthenticationToken");

  private static final Set<String> INVALID =
      Set.of(
          "ValidationError",
          "ValidationException",
          "InvalidRequestException",
          "InvalidParameterException",
          "InvalidInput",
          "MalformedPolicyDocument",
          "MalformedPolicyDocumentException",
          "UnsupportedAvailabilityZoneException",
          "NotFoundException",
          "ResourceNotFoundException",
          "NoSuchEntity",
          "EntityAlreadyExists",
          "ResourceAlreadyExists",
          "MissingParameter",
          "UnknownParameter",
          "UnsupportedOperation",
          "InvalidAction");

  /** "You have requested more vCPU capacity than your current vCPU limit of 32 allows ...". */
  private static final Pattern VCPU_LIMIT =
      Pattern.compile("(?is).*(vcpu limit|vcpu capacity|insufficient capacity).*");

  public static final String CREDENTIALS_FIX =
      "give the worker AWS credentials through the SDK's default chain (AWS_ACCESS_KEY_ID and"
          + " AWS_SECRET_ACCESS_KEY, AWS_PROFILE with ~/.aws, a web identity token, or an"
          + " instance or pod role); then run again";

  private AwsErrors() {}

  /** {@code doing} says what was attempted, e.g. "creating VPC for cluster gitpod". */
  public static ApplicationFailure translate(String doing, SdkException e) {
    if (e instanceof AwsServiceException service) {
      return translate(doing, code(service), service.statusCode(), message(service));
    }
    String detail = ConfigurationErrors.redact(e.getMessage());
    if (e instanceof SdkClientException && isMissingCredentials(detail)) {
      return Failures.permanent(
          FailureTypes.CONFIGURATION,
          doing
              + " failed: the worker has no usable AWS credentials ("
              + detail
              + "). Fix: "
              + CREDENTIALS_FIX
              + ".");
    }
    // A connection refused or reset, a timeout: the network, not the request.
    return Failures.retryable(Failures.TRANSIENT, doing + " failed: " + detail);
  }

  static ApplicationFailure translate(String doing, String code, int status, String cloudMessage) {
    String message = doing + " failed: " + code + ": " + ConfigurationErrors.redact(cloudMessage);
    if (THROTTLING.contains(code)) {
      return Failures.retryableAfter(
          Failures.RATE_LIMITED,
          message + " (AWS throttled the request; trying again in 20 s)",
          RATE_LIMIT_DELAY);
    }
    if (UNAVAILABLE.contains(code)) {
      return Failures.retryable(Failures.TRANSIENT, message);
    }
    if (BUSY.contains(code)) {
      return Failures.retryable(Failures.CLUSTER_BUSY, message);
    }
    if (code.equals("DependencyViolation")) {
      return Failures.retryable(Failures.NOT_READY, message);
    }
    if (QUOTA.contains(code) || VCPU_LIMIT.matcher(cloudMessage).matches()) {
      return Failures.permanent(
          FailureTypes.QUOTA_EXCEEDED,
          doing
              + " failed: quota exceeded: "
              + code
              + ": "
              + ConfigurationErrors.redact(cloudMessage));
    }
    if (DENIED.contains(code)) {
      return Failures.permanent(FailureTypes.PERMISSION_DENIED, message);
    }
    if (REJECTED_CREDENTIALS.contains(code)) {
      return Failures.permanent(
          FailureTypes.CONFIGURATION,
          message + " (AWS rejected the worker's credentials). Fix: " + CREDENTIALS_FIX + ".");
    }
    if (INVALID.contains(code) || code.startsWith("Invalid") || code.startsWith("Malformed")) {
      return Failures.permanent(FailureTypes.INVALID_ARGUMENT, message);
    }
    if (status >= 500 || status == 0) {
      return Failures.retryable(Failures.TRANSIENT, message);
    }
    if (status == 403) {
      return Failures.permanent(FailureTypes.PERMISSION_DENIED, message);
    }
    return Failures.permanent(FailureTypes.FAILED_PRECONDITION, message);
  }

  /** The AWS error code (EC2's "InvalidVpcID.NotFound", IAM's "NoSuchEntity", EKS's ...). */
  public static String code(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
      return e.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }

  public static String message(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null) {
      return e.awsErrorDetails().errorMessage();
    }
    return String.valueOf(e.getMessage());
  }

  /** The resource asked for does not exist: EC2's "*.NotFound", IAM's NoSuchEntity, EKS's 404. */
  public static boolean isNotFound(SdkException e) {
    if (!(e instanceof AwsServiceException service)) {
      return false;
    }
    String code = code(service);
    // EC2: InvalidVpcID.NotFound, InvalidLaunchTemplateName.NotFoundException, ...
    return code.contains("NotFound")
        || code.equals("NoSuchEntity")
        || code.equals("ResourceNotFoundException")
        || code.equals("NotFoundException");
  }

  public static boolean isAlreadyExists(SdkException e) {
    if (!(e instanceof AwsServiceException service)) {
      return false;
    }
    String code = code(service);
    return code.equals("EntityAlreadyExists")
        || code.endsWith(".Duplicate")
        || code.equals("ResourceInUseException")
        || code.contains("AlreadyExists");
  }

  public static boolean isDependencyViolation(SdkException e) {
    return e instanceof AwsServiceException service && code(service).equals("DependencyViolation");
  }

  private static boolean isMissingCredentials(String detail) {
    String lower = detail.toLowerCase(Locale.ROOT);
    return lower.contains("unable to load credentials")
        || lower.contains("unable to load aws credentials")
        || lower.contains("credentials provider");
  }
}
