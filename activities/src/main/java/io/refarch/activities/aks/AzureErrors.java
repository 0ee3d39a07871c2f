package io.refarch.activities.aks;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Set;

/**
 * Turns an Azure error into the failure Temporal acts on, with the types GKE's and EKS's errors
 * use: retried when waiting helps (429 with its {@code Retry-After}, AKS's 409 {@code
 * OperationNotAllowed} while another operation runs on the cluster, 5xx), not retried when only a
 * person can (a quota, a VM size the region lacks, a missing role, a bad parameter, credentials
 * Entra refuses). ARM always answers {@code {"error":{"code","message"}}}; the code is what this
 * reads.
 */
public final class AzureErrors {
  /** When a 429 names no pause: ARM's documented per-hour limits reset in minutes, not seconds. */
  static final Duration RATE_LIMIT_DELAY = Duration.ofSeconds(20);

  private static final Set<String> BUSY =
      Set.of("OperationNotAllowed", "Conflict", "AnotherOperationInProgress", "EtagMismatch");

  private static final Set<String> QUOTA =
      Set.of(
          "QuotaExceeded",
          "OperationNotAllowed.QuotaExceeded",
          "SkuNotAvailable",
          "AllocationFailed",
          "ZonalAllocationFailed",
          "OverconstrainedAllocationRequest",
          "PublicIPCountLimitReached",
          "InsufficientVCPUQuota",
          "ErrCode_InsufficientVCPUQuota");

  private static final Set<String> DENIED =
      Set.of(
          "AuthorizationFailed",
          "LinkedAuthorizationFailed",
          "RequestDisallowedByPolicy",
          "Forbidden",
          "SubscriptionNotRegistered",
          "MissingSubscriptionRegistration");

  private static final Set<String> REJECTED_CREDENTIALS =
      Set.of(
          "InvalidAuthenticationToken",
          "InvalidAuthenticationTokenTenant",
          "ExpiredAuthenticationToken",
          "AuthenticationFailed",
          "InvalidSubscriptionId",
          "SubscriptionNotFound");

  private static final Set<String> INVALID =
      Set.of(
          "InvalidParameter",
          "BadRequest",
          "InvalidTemplate",
          "InvalidResourceName",
          "InvalidResourceGroupLocation",
          "LocationNotAvailableForResourceType",
          "K8sVersionNotSupported",
          "AgentPoolK8sVersionNotSupported",
          "InvalidApiVersionParameter",
          "NoRegisteredProviderFound",
          "PropertyChangeNotAllowed",
          "InvalidLoadBalancerProfile");

  public static final String CREDENTIALS_FIX =
      "give the worker an Azure credential azure-identity's default chain finds (AZURE_CLIENT_ID,"
          + " AZURE_TENANT_ID and AZURE_CLIENT_SECRET, a workload or managed identity, or `az"
          + " login`); then run again";

  private AzureErrors() {}

  /**
   * {@code doing} says what was attempted, e.g. "creating agent pool regularws".
   *
   * @throws ActivityCompletionException unchanged: Temporal's word, from a heartbeat inside a wait,
   *     that this attempt is over (the run was cancelled, the attempt timed out); it is no error of
   *     Azure's, and made a retried failure it would keep a cancelled run waiting on an activity
   *     that never reports itself cancelled
   */
  public static ApplicationFailure translate(String doing, RuntimeException e) {
    if (e instanceof ActivityCompletionException over) {
      throw over;
    }
    if (e instanceof ManagementException m) {
      ManagementError error = m.getValue();
      String code = error != null && error.getCode() != null ? error.getCode() : "";
      String message = error != null && error.getMessage() != null ? error.getMessage() : "";
      return translate(doing, code, m.getResponse().getStatusCode(), message, retryAfter(m));
    }
    if (e instanceof ClientAuthenticationException) {
      // Entra refused the credential (a wrong secret, an unknown client) or none was found.
      return Failures.permanent(
          FailureTypes.CONFIGURATION,
          doing
              + " failed: the worker could not sign in to Azure ("
              + ConfigurationErrors.redact(e.getMessage())
              + "). Fix: "
              + CREDENTIALS_FIX
              + ".");
    }
    if (e instanceof HttpResponseException h && h.getResponse() != null) {
      return translate(
          doing, "", h.getResponse().getStatusCode(), String.valueOf(h.getMessage()), null);
    }
    // No answer: a connection refused or reset, a timeout.
    return Failures.retryable(
        Failures.TRANSIENT, doing + " failed: " + ConfigurationErrors.redact(e.getMessage()));
  }

  static ApplicationFailure translate(
      String doing, String code, int status, String cloudMessage, Duration retryAfter) {
    String message =
        doing
            + " failed: "
            + (code.isEmpty() ? "HTTP " + status : code)
            + ": "
            + ConfigurationErrors.redact(cloudMessage);
    if (status == 429 || code.equals("TooManyRequests")) {
      Duration wait = retryAfter != null ? retryAfter : RATE_LIMIT_DELAY;
      return Failures.retryableAfter(
          Failures.RATE_LIMITED,
          message + " (Azure throttled the request; trying again in " + wait.toSeconds() + " s)",
          wait);
    }
    if (QUOTA.contains(code) || cloudMessage.contains("exceeding approved")) {
      return Failures.permanent(FailureTypes.QUOTA_EXCEEDED, message);
    }
    if (BUSY.contains(code) || (status == 409 && code.isEmpty())) {
      return Failures.retryable(Failures.CLUSTER_BUSY, message);
    }
    if (DENIED.contains(code)) {
      return Failures.permanent(FailureTypes.PERMISSION_DENIED, message);
    }
    if (REJECTED_CREDENTIALS.contains(code) || status == 401) {
      return Failures.permanent(
          FailureTypes.CONFIGURATION,
          message + " (Azure rejected the worker's credential). Fix: " + CREDENTIALS_FIX + ".");
    }
    if (INVALID.contains(code) || code.startsWith("Invalid")) {
      return Failures.permanent(FailureTypes.INVALID_ARGUMENT, message);
    }
    if (status >= 500) {
      return Failures.retryable(Failures.TRANSIENT, message);
    }
    if (status == 403) {
      return Failures.permanent(FailureTypes.PERMISSION_DENIED, message);
    }
    if (status == 404) {
      return Failures.permanent(FailureTypes.FAILED_PRECONDITION, message);
    }
    return Failures.permanent(FailureTypes.INVALID_ARGUMENT, message);
  }

  /** Whether ARM said the resource (or its group) does not exist. */
  public static boolean isNotFound(RuntimeException e) {
    return e instanceof HttpResponseException h
        && h.getResponse() != null
        && h.getResponse().getStatusCode() == 404;
  }

  private static Duration retryAfter(HttpResponseException e) {
    if (e.getResponse() == null) {
      return null;
    }
    String value = e.getResponse().getHeaders().getValue(HttpHeaderName.RETRY_AFTER);
    try {
      return value == null ? null : Duration.ofSeconds(Math.max(1, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      return null; // an HTTP date: the default pause
    }
  }
}
