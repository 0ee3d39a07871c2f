package io.refarch.activities.aks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every ARM/AKS error code the issue names, and what Temporal does with it. */
class AzureErrorsTest {
  record Case(String code, int status, String message, String type, boolean retried) {}

  static final List<Case> TABLE =
      List.of(
          new Case("TooManyRequests", 429, "throttled", Failures.RATE_LIMITED, true),
          new Case(
              "OperationNotAllowed",
              409,
              "Operation is not allowed: Another agentpool operation (services - Creating) is in"
                  + " progress, please wait for it to finish before starting a new operation.",
              Failures.CLUSTER_BUSY,
              true),
          new Case("InternalServerError", 500, "try later", Failures.TRANSIENT, true),
          new Case(
              "QuotaExceeded",
              400,
              "Operation could not be completed as it results in exceeding approved standardDv4Family"
                  + " Cores quota",
              FailureTypes.QUOTA_EXCEEDED,
              false),
          new Case(
              "SkuNotAvailable",
              400,
              "The requested VM size Standard_D16_v4 is currently not available in westeurope",
              FailureTypes.QUOTA_EXCEEDED,
              false),
          new Case(
              "AuthorizationFailed",
              403,
              "The client does not have authorization to perform action"
                  + " 'Microsoft.ContainerService/managedClusters/write'",
              FailureTypes.PERMISSION_DENIED,
              false),
          new Case(
              "InvalidParameter",
              400,
              "The value of parameter agentPoolProfile.maxPods is invalid",
              FailureTypes.INVALID_ARGUMENT,
              false),
          new Case("BadRequest", 400, "bad", FailureTypes.INVALID_ARGUMENT, false),
          new Case(
              "InvalidAuthenticationToken",
              401,
              "The access token is invalid",
              FailureTypes.CONFIGURATION,
              false),
          new Case("", 404, "not found", FailureTypes.FAILED_PRECONDITION, false));

  @Test
  void eachCodeBecomesTheFailureTemporalActsOn() {
    for (Case c : TABLE) {
      ApplicationFailure f =
          AzureErrors.translate("creating agent pool x", c.code, c.status, c.message, null);
      assertThat(f.getType()).as(c.code()).isEqualTo(c.type());
      assertThat(f.isNonRetryable()).as(c.code()).isEqualTo(!c.retried());
      assertThat(f.getOriginalMessage()).as(c.code()).startsWith("creating agent pool x failed");
    }
  }

  @Test
  void aThrottledCallWaitsWhatRetryAfterSays() {
    ApplicationFailure f =
        AzureErrors.translate(
            "reading", "TooManyRequests", 429, "slow down", Duration.ofSeconds(7));

    assertThat(f.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
    assertThat(f.getOriginalMessage()).contains("trying again in 7 s");
  }

  @Test
  void temporalsCancelFromAHeartbeatIsPassedOnNotRetriedAsAnAzureError() {
    ActivityCanceledException cancelled = new ActivityCanceledException();

    assertThatThrownBy(() -> AzureErrors.translate("creating agent pool regularws", cancelled))
        .isSameAs(cancelled);
  }

  @Test
  void anArmIdNamesItsResourceGroup() {
    assertThat(
            AksKubeAccess.groupOf(
                "/subscriptions/0000/resourcegroups/gitpod-rg/providers/Microsoft.ContainerService/managedClusters/gitpod"))
        .isEqualTo("gitpod-rg");
  }
}
