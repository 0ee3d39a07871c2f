package io.refarch.activities.gke;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import io.grpc.Status;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which Google errors Temporal should retry. (Over the wire, the sandbox tests show the same for
 * the errors the sandbox can produce; these are the wordings it cannot.)
 */
class CloudErrorsTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FAILED_PRECONDITION | Operation operation-1 is currently upgrading cluster gitpod. Please wait and try again once it is done. | ClusterBusy | false",
        "RESOURCE_EXHAUSTED | Too many operations: the cluster has reached the limit of concurrent operations. | ClusterBusy | false",
        "RESOURCE_EXHAUSTED | Insufficient regional quota to satisfy request: resource \"CPUS\" | QuotaExceeded | true",
        "INVALID_ARGUMENT | Network \"default\" does not exist. | InvalidArgument | true",
        "PERMISSION_DENIED | Required \"container.clusters.create\" permission(s) | PermissionDenied | true",
        "UNAUTHENTICATED | Request had invalid authentication credentials. | ConfigurationError | true",
        "UNAVAILABLE | The service is currently unavailable. | Transient | false",
        "DEADLINE_EXCEEDED | Deadline expired before operation could complete. | Transient | false",
        "INTERNAL | Internal error encountered. | Transient | false",
        "ABORTED | There were concurrent policy changes. | Transient | false",
      })
  void classifies(String code, String message, String type, boolean permanent) {
    ApiException e =
        ApiExceptionFactory.createException(
            message, null, GrpcStatusCode.of(Status.Code.valueOf(code)), false);

    ApplicationFailure failure = CloudErrors.translate("creating node pool workload-services", e);

    assertThat(failure.getType()).isEqualTo(type);
    assertThat(failure.isNonRetryable()).isEqualTo(permanent);
    assertThat(failure.getOriginalMessage())
        .startsWith("creating node pool workload-services failed: ");
    if (type.equals(FailureTypes.QUOTA_EXCEEDED)) {
      assertThat(failure.getOriginalMessage()).contains("quota exceeded").contains("CPUS");
    }
  }
}
