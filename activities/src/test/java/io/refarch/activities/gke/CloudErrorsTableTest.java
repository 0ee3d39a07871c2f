package io.refarch.activities.gke;

import static io.refarch.activities.gke.GoogleErrors.grpc;
import static io.refarch.activities.gke.GoogleErrors.rest;
import static io.refarch.activities.gke.GoogleErrors.restLegacy;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.rpc.ApiException;
import io.refarch.activities.Failures;
import io.refarch.workflow.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Google Cloud error refarch can meet, with Google's wording, over the transport the client
 * uses (GKE and Resource Manager over HTTP/JSON, IAM over gRPC; both where either can carry it),
 * and the failure Temporal gets for it: its type, whether it is retried and, when the failure sets
 * it, the pause before the next attempt. Retried failures without a pause use the retry policy's
 * back-off (2 s doubling to 1 min, 30 attempts).
 */
class CloudErrorsTableTest {
  private static final String DOING = "creating node pool workload-services";
  private static final Duration POLICY_BACKOFF = null;
  private static final boolean RETRIED = true;
  private static final boolean FAILS_AT_ONCE = false;

  static Stream<Case> table() {
    return Stream.of(
        // --- GKE runs one operation per cluster: retried with the policy's back-off.
        row(
                "GKE busy, REST 400",
                rest(
                    400,
                    "FAILED_PRECONDITION",
                    "Operation operation-1596064640049-1b03e177 is currently upgrading cluster"
                        + " gitpod. Please wait and try again once it is done.",
                    null))
            .is(Failures.CLUSTER_BUSY, RETRIED, POLICY_BACKOFF),
        row(
                "GKE busy, gRPC with CLUSTER_ALREADY_HAS_OPERATION",
                grpc(
                    "FAILED_PRECONDITION",
                    "Cluster is running incompatible operation"
                        + " operation-1731137433803-29e34938-9333-469b-b14f-5bdf10b143d2.",
                    "CLUSTER_ALREADY_HAS_OPERATION"))
            .is(Failures.CLUSTER_BUSY, RETRIED, POLICY_BACKOFF),
        row(
                "GKE busy, REST 400 incompatible operation",
                rest(
                    400,
                    "FAILED_PRECONDITION",
                    "Cluster is running incompatible operation"
                        + " operation-1718024305921-fd4f65ea-7da5-4d36-a166-f619a83fb205.",
                    null))
            .is(Failures.CLUSTER_BUSY, RETRIED, POLICY_BACKOFF),
        row(
                "GKE concurrent-operations limit, REST 429",
                rest(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Too many operations: cluster \"gitpod\" hits the concurrent operations quota"
                        + " 5, please try again later.",
                    null))
            .is(Failures.CLUSTER_BUSY, RETRIED, POLICY_BACKOFF),

        // --- Any other FAILED_PRECONDITION waits for a person.
        row(
                "billing not enabled, REST 400 FAILED_PRECONDITION",
                rest(
                    400,
                    "FAILED_PRECONDITION",
                    "Billing account for project '123456789012' is not found. Billing must be"
                        + " enabled for activation of service(s) 'container.googleapis.com' to"
                        + " proceed.",
                    null))
            .is(FailureTypes.FAILED_PRECONDITION, FAILS_AT_ONCE, null, "Billing account"),
        row(
                "stale policy etag, gRPC FAILED_PRECONDITION",
                grpc(
                    "FAILED_PRECONDITION",
                    "There were concurrent policy changes. Please retry the whole"
                        + " read-modify-write with exponential backoff.",
                    null))
            .is(Failures.TRANSIENT, RETRIED, POLICY_BACKOFF),
        row(
                "stale policy etag, REST 409 ABORTED",
                rest(
                    409,
                    "ABORTED",
                    "There were concurrent policy changes. Please retry the whole"
                        + " read-modify-write with exponential backoff.",
                    null))
            .is(Failures.TRANSIENT, RETRIED, POLICY_BACKOFF),

        // --- Request-rate quotas refill within a minute: retried after 60 s.
        row(
                "GKE read rate limit, REST 429 with RATE_LIMIT_EXCEEDED",
                rest(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per"
                        + " minute' of service 'container.googleapis.com' for consumer"
                        + " 'project_number:123456789012'.",
                    "RATE_LIMIT_EXCEEDED"))
            .is(Failures.RATE_LIMITED, RETRIED, Duration.ofSeconds(60), "Read requests per minute"),
        row(
                "Resource Manager write rate limit, REST 429, wording only",
                rest(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Quota exceeded for quota metric 'Write requests' and limit 'Write requests"
                        + " per minute' of service 'cloudresourcemanager.googleapis.com' for"
                        + " consumer 'project_number:123456789012'.",
                    null))
            .is(Failures.RATE_LIMITED, RETRIED, Duration.ofSeconds(60)),
        row(
                "IAM rate limit, gRPC with RATE_LIMIT_EXCEEDED",
                grpc(
                    "RESOURCE_EXHAUSTED",
                    "Quota exceeded for quota metric 'Service Account Admin requests' and limit"
                        + " 'Service Account Admin requests per minute' of service"
                        + " 'iam.googleapis.com' for consumer 'project_number:123456789012'.",
                    "RATE_LIMIT_EXCEEDED"))
            .is(Failures.RATE_LIMITED, RETRIED, Duration.ofSeconds(60)),
        row(
                "regional read rate limit, gRPC, wording only",
                grpc(
                    "RESOURCE_EXHAUSTED",
                    "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per"
                        + " minute per region' of service 'container.googleapis.com' for consumer"
                        + " 'project_number:123456789012'.",
                    null))
            .is(Failures.RATE_LIMITED, RETRIED, Duration.ofSeconds(60)),
        row(
                "older API's 403 rateLimitExceeded, REST",
                restLegacy(403, null, "Rate Limit Exceeded", "rateLimitExceeded"))
            .is(Failures.RATE_LIMITED, RETRIED, Duration.ofSeconds(60)),

        // --- Exhausted resource quotas wait for a person.
        row(
                "regional CPUS quota, REST 429 RESOURCE_EXHAUSTED",
                rest(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Insufficient regional quota to satisfy request: resource \"CPUS\": request"
                        + " requires '16.0' and is short '8.0'. project has a quota of '24.0' with"
                        + " '8.0' available. View and manage quotas at"
                        + " https://console.cloud.google.com/iam-admin/quotas.",
                    null))
            .is(FailureTypes.QUOTA_EXCEEDED, FAILS_AT_ONCE, null, "quota exceeded", "CPUS"),
        row(
                "regional IN_USE_ADDRESSES quota, REST 403 (as GKE sends it)",
                rest(
                    403,
                    "PERMISSION_DENIED",
                    "Insufficient regional quota to satisfy request: resource \"IN_USE_ADDRESSES\":"
                        + " request requires '5.0' and is short '1.0'. project has a quota of"
                        + " '4.0' with '4.0' available. View and manage quotas at"
                        + " https://console.cloud.google.com/iam-admin/quotas?usage=USED&project=my-project.",
                    null))
            .is(FailureTypes.QUOTA_EXCEEDED, FAILS_AT_ONCE, null, "IN_USE_ADDRESSES"),
        row(
                "cluster count needs a CPU quota increase, REST 403",
                rest(
                    403,
                    "PERMISSION_DENIED",
                    "You cannot create more than 3 clusters in location us-central1; to create"
                        + " more than 3, you must request an increase of your Google Compute Engine"
                        + " quota for region us-central1 to 25 CPUs or more.",
                    null))
            .is(FailureTypes.QUOTA_EXCEEDED, FAILS_AT_ONCE, null),
        row(
                "Compute quota, gRPC RESOURCE_EXHAUSTED",
                grpc(
                    "RESOURCE_EXHAUSTED",
                    "Quota 'CPUS' exceeded. Limit: 24.0 in region us-central1.",
                    null))
            .is(FailureTypes.QUOTA_EXCEEDED, FAILS_AT_ONCE, null),

        // --- Configuration: fails at once and says how to fix it.
        row(
                "Kubernetes Engine API disabled, REST 403 SERVICE_DISABLED",
                rest(
                    403,
                    "PERMISSION_DENIED",
                    "Kubernetes Engine API has not been used in project 123456789012 before or it"
                        + " is disabled. Enable it by visiting"
                        + " https://console.developers.google.com/apis/api/container.googleapis.com/overview?project=123456789012"
                        + " then retry. If you enabled this API recently, wait a few minutes for"
                        + " the action to propagate to our systems and retry.",
                    "SERVICE_DISABLED"))
            .is(
                FailureTypes.CONFIGURATION,
                FAILS_AT_ONCE,
                null,
                "gcloud services enable container.googleapis.com"),
        row(
                "IAM API disabled, gRPC PERMISSION_DENIED, wording only",
                grpc(
                    "PERMISSION_DENIED",
                    "Identity and Access Management (IAM) API has not been used in project"
                        + " 123456789012 before or it is disabled. Enable it by visiting"
                        + " https://console.developers.google.com/apis/api/iam.googleapis.com/overview?project=123456789012"
                        + " then retry.",
                    null))
            .is(
                FailureTypes.CONFIGURATION,
                FAILS_AT_ONCE,
                null,
                "gcloud services enable iam.googleapis.com"),
        row(
                "GKE API not enabled for its service agent, REST 400 FAILED_PRECONDITION",
                rest(
                    400,
                    "FAILED_PRECONDITION",
                    "Failed precondition when calling the ServiceConsumerManager:"
                        + " tenantmanager::185014: Consumer 123456789012 should enable"
                        + " service:container.googleapis.com before generating a service account.",
                    null))
            .is(
                FailureTypes.CONFIGURATION,
                FAILS_AT_ONCE,
                null,
                "gcloud services enable container.googleapis.com"),
        row(
                "credentials rejected, REST 401 UNAUTHENTICATED",
                rest(
                    401,
                    "UNAUTHENTICATED",
                    "Request had invalid authentication credentials. Expected OAuth 2 access"
                        + " token, login cookie or other valid authentication credential. See"
                        + " https://developers.google.com/identity/sign-in/web/devconsole-project.",
                    "ACCESS_TOKEN_TYPE_UNSUPPORTED"))
            .is(
                FailureTypes.CONFIGURATION,
                FAILS_AT_ONCE,
                null,
                "gcloud auth application-default login"),
        row(
                "ADC login needs re-authentication (invalid_grant), REST",
                GoogleErrors.restCredentialsRejected())
            .is(
                FailureTypes.CONFIGURATION,
                FAILS_AT_ONCE,
                null,
                "invalid_grant",
                "gcloud auth application-default login",
                "GOOGLE_APPLICATION_CREDENTIALS"),
        row(
                "ADC login needs re-authentication (invalid_grant), gRPC",
                GoogleErrors.grpcCredentialsRejected())
            .is(
                FailureTypes.CONFIGURATION,
                FAILS_AT_ONCE,
                null,
                "invalid_grant",
                "gcloud auth application-default login"),
        row(
                "token endpoint unreachable, gRPC UNAVAILABLE",
                GoogleErrors.grpcTokenEndpointUnavailable())
            .is(Failures.TRANSIENT, RETRIED, POLICY_BACKOFF),

        // --- Missing permissions wait for a person.
        row(
                "missing GKE permission, REST 403",
                rest(
                    403,
                    "PERMISSION_DENIED",
                    "Required \"container.clusters.create\" permission(s) for"
                        + " \"projects/my-project\".",
                    null))
            .is(FailureTypes.PERMISSION_DENIED, FAILS_AT_ONCE, null),
        row(
                "missing IAM permission, gRPC",
                grpc(
                    "PERMISSION_DENIED",
                    "Permission 'iam.serviceAccounts.create' denied on resource (or it may not"
                        + " exist).",
                    "IAM_PERMISSION_DENIED"))
            .is(FailureTypes.PERMISSION_DENIED, FAILS_AT_ONCE, null),
        row(
                "missing project IAM permission, REST 403",
                rest(403, "PERMISSION_DENIED", "The caller does not have permission", null))
            .is(FailureTypes.PERMISSION_DENIED, FAILS_AT_ONCE, null),

        // --- A new service account is waited for, for a bounded time.
        row(
                "new service account not yet visible to setIamPolicy, REST 400",
                rest(
                    400,
                    "INVALID_ARGUMENT",
                    "Service account gitpod-gke@my-project.iam.gserviceaccount.com does not exist.",
                    null))
            .is(Failures.NOT_READY, RETRIED, Duration.ofSeconds(15), "up to 3 min"),
        row(
                "new service account not yet visible to GKE, gRPC NOT_FOUND",
                grpc(
                    "NOT_FOUND",
                    "Service account"
                        + " \"projects/-/serviceAccounts/gitpod-gke@my-project.iam.gserviceaccount.com\""
                        + " does not exist.",
                    null))
            .is(Failures.NOT_READY, RETRIED, Duration.ofSeconds(15)),
        row(
                "service account still missing 3 min after the first attempt, REST 400",
                rest(
                    400,
                    "INVALID_ARGUMENT",
                    "Service account gitpod-gke@my-project.iam.gserviceaccount.com does not"
                        + " exist.",
                    null))
            .after(Duration.ofMinutes(3).plusSeconds(5))
            .is(
                FailureTypes.INVALID_ARGUMENT,
                FAILS_AT_ONCE,
                null,
                "still so 3 min 5 s after the first attempt"),

        // --- Bad requests wait for a person.
        row(
                "missing network, REST 400",
                rest(400, "INVALID_ARGUMENT", "Network \"default\" does not exist.", null))
            .is(FailureTypes.INVALID_ARGUMENT, FAILS_AT_ONCE, null),
        row(
                "unsupported version, REST 400",
                rest(400, "INVALID_ARGUMENT", "Master version \"1.10\" is unsupported.", null))
            .is(FailureTypes.INVALID_ARGUMENT, FAILS_AT_ONCE, null),
        row(
                "not found where it must exist, REST 404",
                rest(
                    404,
                    "NOT_FOUND",
                    "Not found: projects/my-project/locations/us-central1/clusters/gitpod.",
                    null))
            .is(FailureTypes.INVALID_ARGUMENT, FAILS_AT_ONCE, null),
        row(
                "already exists where refarch did not expect it, REST 409",
                rest(
                    409,
                    "ALREADY_EXISTS",
                    "Already exists: projects/my-project/locations/us-central1/clusters/gitpod.",
                    null))
            .is(FailureTypes.INVALID_ARGUMENT, FAILS_AT_ONCE, null),

        // --- The cloud could not answer now: retried with the policy's back-off.
        row(
                "unavailable, REST 503",
                rest(503, "UNAVAILABLE", "The service is currently unavailable.", null))
            .is(Failures.TRANSIENT, RETRIED, POLICY_BACKOFF),
        row("unavailable, gRPC", grpc("UNAVAILABLE", "io exception", null))
            .is(Failures.TRANSIENT, RETRIED, POLICY_BACKOFF),
        row(
                "deadline, REST 504",
                rest(
                    504,
                    "DEADLINE_EXCEEDED",
                    "Deadline expired before operation could complete.",
                    null))
            .is(Failures.TRANSIENT, RETRIED, POLICY_BACKOFF),
        row("internal, REST 500", rest(500, "INTERNAL", "Internal error encountered.", null))
            .is(Failures.TRANSIENT, RETRIED, POLICY_BACKOFF));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void classifies(Case c) {
    ApplicationFailure failure = CloudErrors.translate(DOING, c.error, c.sinceFirstAttempt);

    assertThat(failure.getType()).isEqualTo(c.type);
    assertThat(failure.isNonRetryable()).isEqualTo(!c.retried);
    assertThat(failure.getNextRetryDelay()).isEqualTo(c.nextRetryDelay);
    assertThat(failure.getOriginalMessage()).startsWith(DOING + " failed: ");
    for (String mention : c.mentions) {
      assertThat(failure.getOriginalMessage()).contains(mention);
    }
    assertThat(failure.getOriginalMessage())
        .doesNotContain(GoogleErrors.REFRESH_TOKEN)
        .doesNotContain(GoogleErrors.CLIENT_SECRET);
    if (!c.retried) {
      assertThat(FailureTypes.PERMANENT).contains(c.type);
    } else {
      assertThat(FailureTypes.PERMANENT).doesNotContain(c.type);
    }
  }

  private static Case row(String name, ApiException error) {
    return new Case(name, error, Duration.ZERO, null, false, null, List.of());
  }

  record Case(
      String name,
      ApiException error,
      Duration sinceFirstAttempt,
      String type,
      boolean retried,
      Duration nextRetryDelay,
      List<String> mentions) {

    Case after(Duration since) {
      return new Case(name, error, since, type, retried, nextRetryDelay, mentions);
    }

    Case is(String type, boolean retried, Duration nextRetryDelay, String... mentions) {
      return new Case(
          name, error, sinceFirstAttempt, type, retried, nextRetryDelay, List.of(mentions));
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
