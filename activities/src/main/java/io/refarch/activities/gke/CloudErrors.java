package io.refarch.activities.gke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.Retryable;
import io.grpc.StatusRuntimeException;
import io.refarch.activities.ConfigurationErrors;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Google Cloud error into the failure Temporal acts on: retried when waiting can help (a
 * busy cluster, a flaky network, a rate limit, a service account still propagating), not retried
 * when only a person can (bad argument, missing permission, exhausted quota, a worker or project
 * that is not set up). The table in {@code CloudErrorsTableTest} lists every case.
 */
public final class CloudErrors {
  /**
   * GKE runs one cluster operation at a time: "Operation operation-... is currently upgrading
   * cluster ... Please wait and try again once it is done.", "Cluster is running incompatible
   * operation ...", "Too many operations: cluster ... hits the concurrent operations quota".
   */
  private static final Pattern BUSY =
      Pattern.compile(
          "(?is).*(operation \\S+ is currently|please wait and try again|incompatible operation"
              + "|too many operations|concurrent operations).*");

  private static final Set<String> BUSY_REASONS = Set.of("CLUSTER_ALREADY_HAS_OPERATION");

  /** A policy written with a stale etag: re-reading it and writing again settles it. */
  private static final Pattern STALE_ETAG =
      Pattern.compile("(?is).*(concurrent policy changes|etag).*");

  /**
   * A request-rate quota: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests
   * per minute' of service ...", "Rate Limit Exceeded", "Insufficient tokens for quota ...". A
   * per-day limit or a resource quota (CPUS, IN_USE_ADDRESSES) does not refill within minutes.
   */
  private static final Pattern RATE_LIMIT =
      Pattern.compile(
          "(?is).*(\\bper (minute|second|100 seconds)\\b|rate limit|insufficient tokens for quota)"
              + ".*");

  private static final Set<String> RATE_LIMIT_REASONS =
      Set.of("RATE_LIMIT_EXCEEDED", "rateLimitExceeded", "userRateLimitExceeded");

  /**
   * An exhausted resource quota: "Insufficient regional quota to satisfy request: resource \"CPUS\"
   * ...", "Quota 'IN_USE_ADDRESSES' exceeded. Limit: 8.0 in region ...". GKE answers these with 403
   * PERMISSION_DENIED as well as with RESOURCE_EXHAUSTED.
   */
  private static final Pattern RESOURCE_QUOTA =
      Pattern.compile(
          "(?is).*(insufficient (regional |project |zonal )?quota|quota '[^']+' exceeded"
              + "|increase of your .*quota).*");

  /** A per-minute quota refills within a minute; the retry policy's back-off is shorter. */
  static final Duration RATE_LIMIT_DELAY = Duration.ofSeconds(60);

  /**
   * "Service account gitpod-gke@p.iam.gserviceaccount.com does not exist." right after creating it:
   * Google documents that a new service account can take a minute or more to be usable.
   */
  private static final Pattern SERVICE_ACCOUNT_MISSING =
      Pattern.compile("(?is).*service account \\S+ does not exist.*");

  /** How long after the activity's first attempt a missing service account is still waited for. */
  static final Duration SERVICE_ACCOUNT_WAIT = Duration.ofMinutes(3);

  static final Duration SERVICE_ACCOUNT_DELAY = Duration.ofSeconds(15);

  /**
   * An API not enabled in the project: "Kubernetes Engine API has not been used in project ...
   * before or it is disabled", "Consumer ... should enable service:container.googleapis.com".
   */
  private static final Pattern SERVICE_DISABLED =
      Pattern.compile("(?is).*(has not been used in project|should enable service:).*");

  private static final Pattern SERVICE_NAME = Pattern.compile("([a-z0-9-]+\\.googleapis\\.com)");

  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudErrors() {}

  /**
   * {@code doing} says what was attempted, e.g. "creating node pool workload-services". Inside an
   * activity, the time since its first attempt bounds the wait for a new service account.
   */
  public static ApplicationFailure translate(String doing, ApiException e) {
    return translate(doing, e, sinceFirstAttempt());
  }

  static ApplicationFailure translate(String doing, ApiException e, Duration sinceFirstAttempt) {
    Optional<IOException> credentials = credentialsError(e);
    if (credentials.isPresent()) {
      return ConfigurationErrors.tokenRefresh(doing, credentials.get());
    }
    StatusCode.Code code = code(e);
    String cloudMessage = shorten(message(e));
    Set<String> reasons = reasons(e);
    String message = doing + " failed: " + code + ": " + cloudMessage;
    if (reasons.contains("SERVICE_DISABLED")
        || reasons.contains("accessNotConfigured")
        || SERVICE_DISABLED.matcher(cloudMessage).matches()) {
      return serviceDisabled(message, cloudMessage);
    }
    if (isRateLimit(code, reasons, cloudMessage)) {
      return Failures.retryableAfter(
          Failures.RATE_LIMITED,
          message + " (a request-rate quota; trying again in " + seconds(RATE_LIMIT_DELAY) + ")",
          RATE_LIMIT_DELAY);
    }
    return switch (code) {
      case INVALID_ARGUMENT, NOT_FOUND ->
          SERVICE_ACCOUNT_MISSING.matcher(cloudMessage).matches()
              ? serviceAccountMissing(message, sinceFirstAttempt)
              : Failures.permanent(FailureTypes.INVALID_ARGUMENT, message);
      case OUT_OF_RANGE, ALREADY_EXISTS ->
          Failures.permanent(FailureTypes.INVALID_ARGUMENT, message);
      case PERMISSION_DENIED ->
          RESOURCE_QUOTA.matcher(cloudMessage).matches()
              ? Failures.permanent(
                  FailureTypes.QUOTA_EXCEEDED, doing + " failed: quota exceeded: " + cloudMessage)
              : Failures.permanent(FailureTypes.PERMISSION_DENIED, message);
      case UNAUTHENTICATED ->
          ConfigurationErrors.rejectedCredentials(doing, code + ": " + cloudMessage);
      case RESOURCE_EXHAUSTED ->
          isBusy(reasons, cloudMessage)
              ? Failures.retryable(Failures.CLUSTER_BUSY, message)
              : Failures.permanent(
                  FailureTypes.QUOTA_EXCEEDED, doing + " failed: quota exceeded: " + cloudMessage);
      case FAILED_PRECONDITION ->
          isBusy(reasons, cloudMessage)
              ? Failures.retryable(Failures.CLUSTER_BUSY, message)
              : STALE_ETAG.matcher(cloudMessage).matches()
                  ? Failures.retryable(Failures.TRANSIENT, message)
                  : Failures.permanent(FailureTypes.FAILED_PRECONDITION, message);
      default -> Failures.retryable(Failures.TRANSIENT, message);
    };
  }

  /**
   * Another operation runs on the cluster (GKE allows one at a time): an upgrade, a repair, a pool
   * being created. Waiting for it, not retrying, is the answer.
   */
  public static boolean isClusterBusy(ApiException e) {
    StatusCode.Code code = code(e);
    return (code == StatusCode.Code.FAILED_PRECONDITION
            || code == StatusCode.Code.RESOURCE_EXHAUSTED)
        && isBusy(reasons(e), shorten(message(e)));
  }

  public static boolean isNotFound(ApiException e) {
    return code(e) == StatusCode.Code.NOT_FOUND;
  }

  public static boolean isAlreadyExists(ApiException e) {
    return code(e) == StatusCode.Code.ALREADY_EXISTS;
  }

  /**
   * The error's google.rpc code. Over HTTP/JSON gax maps by HTTP status alone (GKE's 400
   * FAILED_PRECONDITION arrives as INVALID_ARGUMENT, 409 ALREADY_EXISTS as ABORTED); the body's
   * {@code error.status} says what Google meant.
   */
  public static StatusCode.Code code(ApiException e) {
    return restError(e)
        .map(error -> error.path("status").asText(""))
        .filter(status -> !status.isEmpty())
        .flatMap(CloudErrors::parseCode)
        .orElse(e.getStatusCode().getCode());
  }

  /**
   * Google's own message: the body's {@code error.message} over HTTP/JSON, the status description
   * over gRPC.
   */
  public static String message(ApiException e) {
    return restError(e)
        .map(error -> error.path("message").asText(""))
        .filter(message -> !message.isEmpty())
        .or(() -> grpcDescription(e))
        .orElse(e.getMessage());
  }

  private static Optional<String> grpcDescription(ApiException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException grpc) {
        return Optional.ofNullable(grpc.getStatus().getDescription()).filter(d -> !d.isEmpty());
      }
    }
    return Optional.empty();
  }

  /**
   * The machine-readable reasons: google.rpc.ErrorInfo's {@code reason} (over gRPC from the status
   * details, over HTTP/JSON from {@code error.details}) and the older {@code
   * error.errors[].reason}.
   */
  static Set<String> reasons(ApiException e) {
    Set<String> reasons = new LinkedHashSet<>();
    if (e.getReason() != null && !e.getReason().isEmpty()) {
      reasons.add(e.getReason());
    }
    restError(e)
        .ifPresent(
            error -> {
              for (JsonNode detail : error.path("details")) {
                if (detail.path("@type").asText("").endsWith("google.rpc.ErrorInfo")) {
                  reasons.add(detail.path("reason").asText(""));
                }
              }
              for (JsonNode item : error.path("errors")) {
                reasons.add(item.path("reason").asText(""));
              }
            });
    reasons.remove("");
    return reasons;
  }

  private static boolean isBusy(Set<String> reasons, String cloudMessage) {
    return reasons.stream().anyMatch(BUSY_REASONS::contains)
        || BUSY.matcher(cloudMessage).matches();
  }

  /**
   * RESOURCE_EXHAUSTED by its reason or wording, or an older API's 403 with a rate-limit reason;
   * GKE's concurrent-operations limit is a busy cluster, not a rate limit.
   */
  private static boolean isRateLimit(
      StatusCode.Code code, Set<String> reasons, String cloudMessage) {
    boolean byReason = reasons.stream().anyMatch(RATE_LIMIT_REASONS::contains);
    return switch (code) {
      case RESOURCE_EXHAUSTED ->
          !isBusy(reasons, cloudMessage)
              && (byReason || RATE_LIMIT.matcher(cloudMessage).matches());
      case PERMISSION_DENIED -> byReason;
      default -> false;
    };
  }

  private static ApplicationFailure serviceAccountMissing(String message, Duration since) {
    if (since.compareTo(SERVICE_ACCOUNT_WAIT) < 0) {
      return Failures.retryableAfter(
          Failures.NOT_READY,
          message
              + " (a new service account can take a minute or more to be usable; trying again"
              + " for up to "
              + minutes(SERVICE_ACCOUNT_WAIT)
              + " after the first attempt)",
          SERVICE_ACCOUNT_DELAY);
    }
    return Failures.permanent(
        FailureTypes.INVALID_ARGUMENT,
        message
            + " (still so "
            + minutes(since)
            + " after the first attempt, longer than a new service account takes to become"
            + " usable: check that it exists and was not deleted)");
  }

  private static ApplicationFailure serviceDisabled(String message, String cloudMessage) {
    Matcher service = SERVICE_NAME.matcher(cloudMessage);
    String api = service.find() ? service.group(1) : "SERVICE";
    return Failures.permanent(
        FailureTypes.CONFIGURATION,
        message
            + " Fix: enable the API in the project (`gcloud services enable "
            + api
            + " --project <project>`), wait a few minutes, then run again.");
  }

  /**
   * The worker's credentials failed while the client got a token: over gRPC inside an UNAVAILABLE
   * or UNAUTHENTICATED status, over HTTP/JSON as the cause of an UNKNOWN one.
   */
  private static Optional<IOException> credentialsError(ApiException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IOException io && t instanceof Retryable) {
        return Optional.of(io);
      }
    }
    return Optional.empty();
  }

  /**
   * From the first attempt's schedule to this attempt's start, both on the Temporal server's clock
   * (the worker's may differ). The attempt's own schedule time is not used: the test server sets it
   * when the previous attempt failed, not when the retry became due.
   */
  static Duration sinceFirstAttempt() {
    ActivityInfo info;
    try {
      info = Activity.getExecutionContext().getInfo();
    } catch (IllegalStateException notInAnActivity) {
      return Duration.ZERO;
    }
    long first = info.getScheduledTimestamp();
    long now =
        Math.max(
            info.getStartedTimestamp(),
            Math.max(info.getCurrentAttemptScheduledTimestamp(), first));
    if (first <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(now - first);
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }

  private static String minutes(Duration d) {
    long seconds = d.toSeconds();
    return seconds % 60 == 0 ? seconds / 60 + " min" : seconds / 60 + " min " + seconds % 60 + " s";
  }

  private static Optional<JsonNode> restError(ApiException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException http && http.getContent() != null) {
        try {
          JsonNode error = JSON.readTree(http.getContent()).path("error");
          return error.isObject() ? Optional.of(error) : Optional.empty();
        } catch (IOException | RuntimeException notJson) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<StatusCode.Code> parseCode(String status) {
    try {
      return Optional.of(StatusCode.Code.valueOf(status));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }

  /** Errors can carry whole JSON bodies; the first few hundred characters say what matters. */
  static String shorten(String message) {
    if (message == null) {
      return "";
    }
    String oneLine = message.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + "...";
  }
}
