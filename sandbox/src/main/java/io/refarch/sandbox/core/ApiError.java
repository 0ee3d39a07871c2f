package io.refarch.sandbox.core;

import io.grpc.Status;

/** A Google API error: the gRPC status plus the HTTP code GCP's REST front end maps it to. */
public final class ApiError extends RuntimeException {

    private final Status.Code code;

    public ApiError(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public static ApiError notFound(String message) {
        return new ApiError(Status.Code.NOT_FOUND, message);
    }

    public static ApiError alreadyExists(String message) {
        return new ApiError(Status.Code.ALREADY_EXISTS, message);
    }

    public static ApiError invalid(String message) {
        return new ApiError(Status.Code.INVALID_ARGUMENT, message);
    }

    public static ApiError failedPrecondition(String message) {
        return new ApiError(Status.Code.FAILED_PRECONDITION, message);
    }

    public Status.Code code() {
        return code;
    }

    /** The HTTP status Google's REST gateway uses for this code (google/rpc/code.proto). */
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
    public String toJson() {
        return "{\"error\":{\"code\":" + httpStatus() + ",\"message\":" + Json.quote(getMessage())
                + ",\"status\":\"" + code.name() + "\"}}";
    }

    public io.grpc.StatusRuntimeException toGrpc() {
        return Status.fromCode(code).withDescription(getMessage()).asRuntimeException();
    }
}
