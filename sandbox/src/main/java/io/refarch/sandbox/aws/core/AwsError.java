package io.refarch.sandbox.aws.core;

import io.refarch.sandbox.core.CloudError;
import io.refarch.sandbox.core.Json;

/**
 * An AWS error: its code (the SDK maps it to a typed exception, e.g. {@code NoSuchEntity} to IAM's
 * {@code NoSuchEntityException}), its message and HTTP status. The same error is worded in each
 * service's envelope by its {@link AwsProtocol}; {@link #body()} is the JSON form.
 */
public final class AwsError extends CloudError {

  private final String code;
  private final int status;

  public AwsError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** A 400 the caller caused. */
  public static AwsError client(String code, String message) {
    return new AwsError(400, code, message);
  }

  public String code() {
    return code;
  }

  /** Whether the caller is to blame (4xx): Query's {@code <Type>Sender</Type>}. */
  public boolean sender() {
    return status < 500;
  }

  @Override
  public int httpStatus() {
    return status;
  }

  @Override
  public String body() {
    return "{\"__type\":" + Json.quote(code) + ",\"message\":" + Json.quote(getMessage()) + "}";
  }
}
