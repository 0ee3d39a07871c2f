package io.refarch.activities.gke;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.testing.http.MockHttpTransport;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.httpjson.HttpJsonStatusCode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.api.gax.rpc.ErrorDetails;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.Retryable;
import com.google.auth.oauth2.UserCredentials;
import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.util.List;

/**
 * Google errors built the way the clients build them: over gRPC a StatusRuntimeException (with
 * google.rpc details in its trailers) wrapped by gax with the parsed {@link ErrorDetails}, over
 * HTTP/JSON an {@link HttpResponseException} whose content is the google.rpc JSON envelope, wrapped
 * by gax with the status mapped from the HTTP code alone.
 */
final class GoogleErrors {
  /** Secrets the credential cases carry; no failure message may contain them. */
  static final String REFRESH_TOKEN = "1//0gRefreshTokenThatMustNotLeak-abcdefghijklmnop";

  static final String CLIENT_SECRET = "client-secret-that-must-not-leak";

  private static final ObjectMapper JSON = new ObjectMapper();

  private GoogleErrors() {}

  /** What gax-grpc's exception factory makes of a status with an optional ErrorInfo reason. */
  static ApiException grpc(String code, String message, String reason) {
    Status.Code grpcCode = Status.Code.valueOf(code);
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(grpcCode.value()).setMessage(message);
    if (reason != null) {
      status.addDetails(
          Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("googleapis.com").build()));
    }
    StatusRuntimeException wire = StatusProto.toStatusRuntimeException(status.build());
    ErrorDetails details =
        ErrorDetails.builder().setRawErrorMessages(status.getDetailsList()).build();
    return ApiExceptionFactory.createException(
        wire, GrpcStatusCode.of(grpcCode), retryableByDefault(grpcCode.name()), details);
  }

  /**
   * What gax-httpjson's exception factory makes of an error response: {@code status} goes into the
   * body only (gax maps {@code http} alone); {@code reason} into an ErrorInfo detail, or, for the
   * older APIs' format ({@code legacyReason}), into {@code error.errors[].reason}.
   */
  static ApiException rest(int http, String status, String message, String reason) {
    return rest(http, status, message, reason, false);
  }

  static ApiException restLegacy(int http, String status, String message, String reason) {
    return rest(http, status, message, reason, true);
  }

  private static ApiException rest(
      int http, String status, String message, String reason, boolean legacy) {
    ObjectNode error = JSON.createObjectNode();
    error.put("code", http);
    error.put("message", message);
    if (status != null) {
      error.put("status", status);
    }
    if (reason != null && legacy) {
      error
          .putArray("errors")
          .addObject()
          .put("message", message)
          .put("domain", "usageLimits")
          .put("reason", reason);
    } else if (reason != null) {
      error
          .putArray("details")
          .addObject()
          .put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
          .put("reason", reason)
          .put("domain", "googleapis.com");
    }
    String body = JSON.createObjectNode().set("error", error).toString();
    String statusMessage = reasonPhrase(http);
    HttpResponseException wire =
        new HttpResponseException.Builder(http, statusMessage, new HttpHeaders())
            .setContent(body)
            .setMessage(
                http
                    + " "
                    + statusMessage
                    + "\nPOST https://container.googleapis.com/v1/projects/my-project/locations/"
                    + "us-central1/clusters\n"
                    + body)
            .build();
    HttpJsonStatusCode code = HttpJsonStatusCode.of(http);
    return ApiExceptionFactory.createException(
        statusMessage, wire, code, retryableByDefault(code.getCode().name()));
  }

  /**
   * A user login (gcloud's ADC file) that Google no longer accepts, revoked or in need of
   * re-authentication: the token endpoint answers 400 invalid_grant.
   */
  static UserCredentials revokedLogin() {
    return UserCredentials.newBuilder()
        .setClientId("123-client.apps.googleusercontent.com")
        .setClientSecret(CLIENT_SECRET)
        .setRefreshToken(REFRESH_TOKEN)
        .setHttpTransportFactory(
            () ->
                new MockHttpTransport.Builder()
                    .setLowLevelHttpResponse(
                        new MockLowLevelHttpResponse()
                            .setStatusCode(400)
                            .setContentType("application/json")
                            .setContent(
                                "{\"error\":\"invalid_grant\",\"error_description\":"
                                    + "\"reauth related error (invalid_rapt)\"}"))
                    .build())
        .build();
  }

  /** The exception google-auth-library really throws when refreshing {@link #revokedLogin()}. */
  static IOException refreshRejected() {
    try {
      revokedLogin().refreshAccessToken();
    } catch (IOException e) {
      return e;
    }
    throw new AssertionError("the token endpoint was expected to refuse");
  }

  /** Over HTTP/JSON, a failed token refresh reaches the caller as UNKNOWN around the cause. */
  static ApiException restCredentialsRejected() {
    return ApiExceptionFactory.createException(
        refreshRejected(), HttpJsonStatusCode.of(StatusCode.Code.UNKNOWN), false);
  }

  /** Over gRPC, grpc-auth turns a non-retryable token failure into UNAUTHENTICATED. */
  static ApiException grpcCredentialsRejected() {
    StatusRuntimeException wire =
        Status.UNAUTHENTICATED
            .withDescription("Failed computing credential metadata")
            .withCause(refreshRejected())
            .asRuntimeException();
    return ApiExceptionFactory.createException(
        wire, GrpcStatusCode.of(Status.Code.UNAUTHENTICATED), false);
  }

  /** ... and a retryable one (token endpoint unreachable or 5xx) into UNAVAILABLE. */
  static ApiException grpcTokenEndpointUnavailable() {
    StatusRuntimeException wire =
        Status.UNAVAILABLE
            .withDescription("Credentials failed to obtain metadata")
            .withCause(new TokenEndpointUnavailable())
            .asRuntimeException();
    return ApiExceptionFactory.createException(
        wire, GrpcStatusCode.of(Status.Code.UNAVAILABLE), true);
  }

  /**
   * Stands in for google-auth-library's (package-private) GoogleAuthException with {@code
   * isRetryable() == true}, which it throws when the token endpoint cannot be reached.
   */
  static final class TokenEndpointUnavailable extends IOException implements Retryable {
    TokenEndpointUnavailable() {
      super("Error getting access token for service account: Connection reset");
    }

    @Override
    public boolean isRetryable() {
      return true;
    }

    @Override
    public int getRetryCount() {
      return 3;
    }
  }

  /** The codes the generated clients' retry settings treat as retryable by default. */
  private static boolean retryableByDefault(String code) {
    return List.of("UNAVAILABLE", "DEADLINE_EXCEEDED").contains(code);
  }

  private static String reasonPhrase(int http) {
    return switch (http) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Error";
    };
  }
}
