package io.refarch.sandbox.core;

/**
 * An error an emulated API answers with. Each cloud words and wraps its errors its own way
 * (Google's google.rpc envelope, Kubernetes' Status, AWS's XML, Azure's ARM JSON), so a cloud
 * subclasses this and the shared HTTP front end only asks for the status line and the body.
 */
public abstract class CloudError extends RuntimeException {

  protected CloudError(String message) {
    // No stack trace: these are answers, not bugs, and faults throw them on every matching call.
    super(message, null, false, false);
  }

  /** The HTTP status of the answer. */
  public abstract int httpStatus();

  /** The answer's body, in the cloud's error envelope. */
  public abstract String body();

  /** The answer's Content-Type. */
  public String contentType() {
    return "application/json; charset=UTF-8";
  }
}
