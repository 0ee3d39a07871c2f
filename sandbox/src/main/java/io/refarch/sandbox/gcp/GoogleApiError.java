package io.refarch.sandbox.gcp;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.refarch.sandbox.core.CloudError;
import io.refarch.sandbox.core.Json;

/** A Google API error: the gRPC status plus the HTTP code GCP's REST front end maps it to. */
public final class GoogleApiError extends CloudError {

  private final Status.Code code;

  public GoogleApiError(Status.Code code, String message) {
    super(message);
    this.code = code;
  }

  public static GoogleApiError notFound(String message) {
    return new GoogleApiError(Status.Code.NOT_FOUND, message);
  }

  public static GoogleApiError alreadyExists(String message) {
    return new GoogleApiError(Status.Code.ALREADY_EXISTS, message);
  }

  public static GoogleApiError invalid(String message) {
    return new GoogleApiError(Status.Code.INVALID_ARGUMENT, message);
  }

  public static GoogleApiError failedPrecondition(String message) {
    return new GoogleApiError(Status.Code.FAILED_PRECONDITION, message);
  }

  public Status.Code code() {
    return code;
  }

  /** The HTTP status Google's REST gateway uses for this code (google/rpc/code.proto). */
  @Override
  public int httpStatus() {
    return httpStatus(code);
  }

  public static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 499;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case UNAUTHENTICATED -> 401;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
    };
  }

  /** The google.rpc error envelope GCP's REST APIs answer with. */
  @Override
  public String body() {
    return "{\"error\":{\"code\":"
        + httpStatus()
        + ",\"message\":"
        + Json.quote(getMessage())
        + ",\"status\":\""
        + code.name()
        + "\"}}";
  }

  public StatusRuntimeException toGrpc() {
    return Status.fromCode(code).withDescription(getMessage()).asRuntimeException();
  }

  /** The errors GCP's REST front end answers by itself. */
  public static final io.refarch.sandbox.core.RestServer.Errors REST =
      new io.refarch.sandbox.core.RestServer.Errors() {
        @Override
        public CloudError notFound(String message) {
          return GoogleApiError.notFound(message);
        }

        @Override
        public CloudError unimplemented(String message) {
          return new GoogleApiError(Status.Code.UNIMPLEMENTED, message);
        }

        @Override
        public CloudError internal(String message) {
          return new GoogleApiError(Status.Code.INTERNAL, message);
        }
      };
}
