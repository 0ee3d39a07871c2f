package io.refarch.activities.eks;

import static org.assertj.core.api.Assertions.assertThat;

import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Every AWS error code refarch meets, and what Temporal does with it. */
class AwsErrorsTest {
  record Case(String code, int status, String message, String type, boolean retried) {}

  static final List<Case> TABLE =
      List.of(
          new Case("Throttling", 400, "Rate exceeded", Failures.RATE_LIMITED, true),
          new Case(
              "RequestLimitExceeded", 503, "Request limit exceeded.", Failures.RATE_LIMITED, true),
          new Case("ServiceUnavailable", 503, "Service unavailable", Failures.TRANSIENT, true),
          new Case("ServiceUnavailableException", 503, "try later", Failures.TRANSIENT, true),
          new Case("InternalError", 500, "An internal error", Failures.TRANSIENT, true),
          new Case(
              "ResourceInUseException",
              409,
              "Cluster has nodegroups attached",
              Failures.CLUSTER_BUSY,
              true),
          new Case("DependencyViolation", 400, "has dependencies", Failures.NOT_READY, true),
          new Case(
              "ResourceLimitExceededException",
              400,
              "Cluster limit exceeded",
              FailureTypes.QUOTA_EXCEEDED,
              false),
          new Case("AddressLimitExceeded", 400, "max EIPs", FailureTypes.QUOTA_EXCEEDED, false),
          new Case(
              "InsufficientInstanceCapacity",
              500,
              "We currently do not have sufficient m6i.xlarge capacity",
              FailureTypes.QUOTA_EXCEEDED,
              false),
          new Case(
              "VcpuLimitExceeded",
              400,
              "You have requested more vCPU capacity than your current vCPU limit of 32 allows",
              FailureTypes.QUOTA_EXCEEDED,
              false),
          new Case(
              "InvalidParameterException",
              400,
              "You have requested more vCPU capacity than your current vCPU limit allows",
              FailureTypes.QUOTA_EXCEEDED,
              false),
          new Case("AccessDenied", 403, "not authorized", FailureTypes.PERMISSION_DENIED, false),
          new Case("AccessDeniedException", 403, "denied", FailureTypes.PERMISSION_DENIED, false),
          new Case("UnauthorizedOperation", 403, "no", FailureTypes.PERMISSION_DENIED, false),
          new Case(
              "AuthFailure",
              401,
              "AWS was not able to validate",
              FailureTypes.CONFIGURATION,
              false),
          new Case("ExpiredToken", 403, "expired", FailureTypes.CONFIGURATION, false),
          new Case(
              "InvalidParameterValue",
              400,
              "Value (x) for parameter cidrBlock is invalid",
              FailureTypes.INVALID_ARGUMENT,
              false),
          new Case(
              "InvalidParameterException",
              400,
              "bad version",
              FailureTypes.INVALID_ARGUMENT,
              false),
          new Case("ValidationError", 400, "bad", FailureTypes.INVALID_ARGUMENT, false),
          new Case("MalformedPolicyDocument", 400, "bad", FailureTypes.INVALID_ARGUMENT, false),
          new Case("SomethingNew", 502, "gateway", Failures.TRANSIENT, true),
          new Case("SomethingNew", 409, "conflict", FailureTypes.FAILED_PRECONDITION, false));

  @Test
  void eachCodeBecomesItsFailureType() {
    for (Case c : TABLE) {
      ApplicationFailure f = AwsErrors.translate("creating X", c.code(), c.status(), c.message());
      assertThat(f.getType()).as(c.code() + " " + c.message()).isEqualTo(c.type());
      assertThat(f.isNonRetryable()).as(c.code()).isEqualTo(!c.retried());
      assertThat(f.getOriginalMessage()).startsWith("creating X failed: ");
    }
  }

  @Test
  void theExceptionsCodeIsRead() {
    AwsServiceException e =
        AwsServiceException.builder()
            .statusCode(400)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("InvalidVpcID.NotFound")
                    .errorMessage("The vpc ID 'vpc-1' does not exist")
                    .build())
            .build();
    assertThat(AwsErrors.isNotFound(e)).isTrue();
    assertThat(AwsErrors.translate("x", e).getType()).isEqualTo(FailureTypes.INVALID_ARGUMENT);
    AwsServiceException template =
        AwsServiceException.builder()
            .statusCode(400)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("InvalidLaunchTemplateName.NotFoundException")
                    .build())
            .build();
    assertThat(AwsErrors.isNotFound(template)).isTrue();
  }

  @Test
  void noCredentialsIsTheWorkersSetupAndANetworkErrorIsRetried() {
    ApplicationFailure missing =
        AwsErrors.translate(
            "creating VPC",
            SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain"));
    assertThat(missing.getType()).isEqualTo(FailureTypes.CONFIGURATION);
    assertThat(missing.getOriginalMessage()).contains("AWS_ACCESS_KEY_ID");
    ApplicationFailure network =
        AwsErrors.translate("creating VPC", SdkClientException.create("Connection refused"));
    assertThat(network.getType()).isEqualTo(Failures.TRANSIENT);
    assertThat(network.isNonRetryable()).isFalse();
  }

  @Test
  void secretsInAMessageAreRedacted() {
    ApplicationFailure f =
        AwsErrors.translate(
            "x",
            "AccessDenied",
            403,
            "denied for AKIAIOSFODNN7EXAMPLE with token=AQoDYXdzEJr1K2d3f4g5h6j7k8l9m0n");
    assertThat(f.getOriginalMessage()).doesNotContain("AQoDYXdzEJr1K2d3f4g5h6j7k8l9m0n");
  }
}
